"""``GET /api/v1/dashboard/kpis``: every KPI of a tenant for a period (and kecamatan), in the
platform's JSON and as Smart Data Models ``KeyPerformanceIndicator`` entities. Read-only
tokens may call it; scoping is the dashboard's (an OPD operator gets their OPD's figures)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema

from kotacerdas.accounts.models import User
from kotacerdas.core.api_errors import ErrorOut
from kotacerdas.dashboard import periods, selectors
from kotacerdas.dashboard.access import dashboard_scope
from kotacerdas.dashboard.schemas import KpisOut
from kotacerdas.dashboard.selectors import Overview
from kotacerdas.tenants.models import Tenant

router = Router(tags=["dashboard"])

FREQUENCY = {"bulan": "monthly", "triwulan": "quarterly", "tahun": "yearly", "kustom": "other"}


class KpiFilter(Schema):
    tenant: str = ""  # slug or Kemendagri code; the caller's own tenant by default
    periode: str = "bulan"
    acuan: str = ""
    dari: str = ""
    sampai: str = ""
    kecamatan: str = ""


def _tenant(user: User, ref: str) -> Tenant:
    if not ref:
        if user.tenant is None:
            raise Http404("tenant")
        return user.tenant
    tenant = Tenant.objects.filter(Q(slug=ref) | Q(region_id=ref), is_active=True).first()
    if tenant is None:
        raise Http404("tenant")
    return tenant


def _period(p: periods.Period) -> dict[str, str]:
    return {
        "kind": p.kind,
        "start": p.start.isoformat(),
        "end": p.end.isoformat(),
        "label": p.label,
    }


def entities(data: Overview) -> list[dict[str, Any]]:
    """The figures as Smart Data Models KeyPerformanceIndicator entities (keyValues form)."""
    tenant = data.scope.tenant
    scope = "".join(
        [
            f":kec-{data.scope.kecamatan}" if data.scope.kecamatan else "",
            f":opd-{data.scope.opd_id}" if data.scope.opd_id else "",
        ]
    )
    return [
        {
            "id": (
                f"urn:ngsi-ld:KeyPerformanceIndicator:{tenant.region_id}:{f.kpi.key}"
                f":{data.period.first_day:%Y-%m-%d}:{data.period.kind}{scope}"
            ),
            "type": "KeyPerformanceIndicator",
            "name": str(f.kpi.name),
            "description": str(f.kpi.description),
            "category": ["quantitative"],
            "kpiValue": f.value,
            "calculationPeriod": {
                "from": data.period.start.isoformat(),
                "to": data.period.end.isoformat(),
            },
            "calculationFrequency": FREQUENCY[data.period.kind],
            "calculationMethod": "automatic",
            "calculationMethodDescription": str(f.kpi.description),
            "calculatedAt": data.computed_at.isoformat(),
            "dateModified": data.computed_at.isoformat(),
            "organization": {"name": tenant.name, "legalId": tenant.region_id},
            "process": f.kpi.app,
            "product": f.kpi.code,
            "area": data.scope.kecamatan or tenant.region_id,
            "source": "kotacerdas",
        }
        for f in data.figures
    ]


@router.get(
    "/kpis",
    response={200: KpisOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut},
    summary="Indikator kinerja (KPI) daerah untuk satu periode",
)
def kpi_list(request: HttpRequest, filters: Query[KpiFilter]) -> dict[str, Any]:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - both authenticators return a User
    tenant = _tenant(user, filters.tenant)
    scope = dashboard_scope(user, tenant, kecamatan=filters.kecamatan)
    period = periods.parse(tenant, filters.dict())
    data = selectors.overview(
        scope, period, role=None if user.is_platform_admin else str(user.role)
    )
    at = data.computed_at.isoformat()
    return {
        "tenant": tenant.region_id,
        "tenant_name": tenant.name,
        "kecamatan": scope.kecamatan,
        "opd_id": scope.opd_id,
        "period": _period(data.period),
        "previous_period": _period(data.previous),
        "computed_at": at,
        "kpis": [
            {
                "app": f.kpi.app,
                "code": f.kpi.code,
                "name": str(f.kpi.name),
                "description": str(f.kpi.description),
                "dimension": f.kpi.dimension.value,
                "unit": f.kpi.unit,
                "direction": f.kpi.direction.value,
                "value": f.value,
                "previous": f.previous,
                "target": f.kpi.target,
                "status": f.status,
                "snapshot": f.kpi.snapshot,
                "computed_at": at,
                "list_url": f.list_url,
            }
            for f in data.figures
        ],
        "entities": entities(data),
    }
