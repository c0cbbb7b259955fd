from __future__ import annotations

import re

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from kotacerdas.core.errors import DomainError, NotFound
from kotacerdas.regions.models import Level, Region

CODE_PATTERN = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")


def region_get(code: str) -> Region:
    """The region with this Kemendagri code; ``DomainError`` if malformed, ``NotFound`` if unknown."""
    if not CODE_PATTERN.match(code):
        raise DomainError(
            _(
                "Kode wilayah “%(code)s” tidak sah: gunakan format Kemendagri, misalnya 36.73 atau 36.73.01."
            )
            % {"code": code[:20]},
            code="invalid_region_code",
        )
    try:
        return Region.objects.get(code=code)
    except Region.DoesNotExist:
        raise NotFound(
            _("Wilayah dengan kode %(code)s tidak ditemukan.") % {"code": code},
            code="region_not_found",
        ) from None


def region_children(region: Region) -> list[Region]:
    """Direct children; for a kabupaten/kota each kecamatan comes with its villages prefetched."""
    children = Region.objects.filter(parent=region).order_by("code")
    if region.level == Level.REGENCY:
        children = children.prefetch_related(
            Prefetch("children", queryset=Region.objects.order_by("code"), to_attr="villages")
        )
    return list(children)


def district_choices(regency_code: str) -> list[Region]:
    return list(Region.objects.districts_of(regency_code).order_by("name"))


def village_choices(regency_code: str) -> list[Region]:
    return list(
        Region.objects.villages_of_regency(regency_code)
        .select_related("parent")
        .order_by("parent__name", "name")
    )
