"""JSON API of the services app. Mounted at ``/api/v1/`` (``api_prefix = "/"``) because it serves
two roots: ``/api/v1/nik/validate`` and ``/api/v1/services/…``."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited
from ninja import Router

from kotacerdas.core.api_errors import ErrorOut
from kotacerdas.core.errors import DomainError
from kotacerdas.services import selectors
from kotacerdas.services.nik import NIK, check_identity_number
from kotacerdas.services.schemas import (
    NikErrorOut,
    NikIn,
    NikOut,
    NikRegionOut,
    RequirementOut,
    ServiceOut,
)
from kotacerdas.tenants.access import tenant_from_slug

router = Router(tags=["layanan"])

NIK_RATE = "30/m"


@router.post(
    "/nik/validate",
    response={200: NikOut, 400: ErrorOut, 429: ErrorOut},
    auth=None,
    summary="Periksa sebuah NIK",
)
def nik_validate(request: HttpRequest, payload: NikIn) -> NikOut:
    """Checks length, the Kemendagri region code, the birth date (+40 for women) and the serial.

    No login; limited to 30 requests a minute per IP address. The NIK travels only in the
    body and is never logged.
    """
    if is_ratelimited(
        request, group="services.nik_validate", key="ip", rate=NIK_RATE, increment=True
    ):
        raise DomainError(
            _("Terlalu banyak permintaan. Tunggu sebentar, lalu coba lagi."),
            code="rate_limited",
            status=429,
        )
    result = check_identity_number(payload.nik, kind=NIK)
    region = None
    if result.district is not None:
        regency = result.district.parent
        region = NikRegionOut(
            province=regency.parent.name if regency and regency.parent else "",
            regency=regency.name if regency else "",
            district=result.district.name,
        )
    return NikOut(
        valid=result.valid,
        errors=[NikErrorOut(code=e.code, message=e.message) for e in result.errors],
        region=region,
        birth_date=result.date.isoformat() if result.date else None,
        sex=result.sex,
    )


@router.get(
    "/services/{tenant_slug}/catalogue",
    response={200: list[ServiceOut], 404: ErrorOut},
    auth=None,
    summary="Katalog layanan sebuah pemerintah daerah",
)
def service_catalogue(request: HttpRequest, tenant_slug: str) -> list[ServiceOut]:
    tenant = tenant_from_slug(tenant_slug)
    return [
        ServiceOut(
            code=s.code,
            name=s.name,
            name_en=s.name_en,
            opd=s.opd.acronym,
            description=s.description,
            description_en=s.description_en,
            sla_amount=s.sla_amount,
            sla_unit=s.sla_unit,
            fee=s.fee,
            fulfilment=s.fulfilment_codes(),
            requirements=[
                RequirementOut(
                    name=r.name,
                    name_en=r.name_en,
                    required=r.is_required,
                    accepted_types=r.accepted_type_list(),
                )
                for r in s.requirements.all()
            ],
        )
        for s in selectors.service_catalogue(tenant)
    ]
