from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from kotacerdas.core.api_errors import ErrorOut
from kotacerdas.regions.models import Level, Region
from kotacerdas.regions.schemas import ChildOut, RegionOut, VillageOut
from kotacerdas.regions.selectors import region_children, region_get

router = Router(tags=["wilayah"])

LEVEL_NAMES = {
    Level.PROVINCE: "province",
    Level.REGENCY: "regency",
    Level.DISTRICT: "district",
    Level.VILLAGE: "village",
}


def _child(region: Region) -> ChildOut:
    villages = getattr(region, "villages", None)
    return ChildOut(
        code=region.code,
        name=region.name,
        level=LEVEL_NAMES[Level(region.level)],
        villages=[VillageOut(code=v.code, name=v.name) for v in villages]
        if villages is not None
        else None,
    )


@router.get(
    "/{code}",
    response={200: RegionOut, 400: ErrorOut, 404: ErrorOut},
    auth=None,
    summary="Satu wilayah beserta wilayah di bawahnya",
)
def region_detail(request: HttpRequest, code: str) -> RegionOut:
    """A province, kabupaten/kota, kecamatan or kelurahan/desa by Kemendagri code.

    For a kabupaten/kota each child kecamatan carries its ``villages``.
    """
    region = region_get(code)
    return RegionOut(
        code=region.code,
        name=region.name,
        level=LEVEL_NAMES[Level(region.level)],
        parent_code=region.parent_id,
        children=[_child(c) for c in region_children(region)],
    )
