"""The superadmin's national view: every tenant side by side on the KPIs that apps can
compute for all tenants in one grouped query (``core/kpi_national.py``). The cost is one
query for the tenants and one per KPI, whatever the number of tenants; cached per period."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils import timezone

from kotacerdas.core import kpis
from kotacerdas.core.kpi_national import registered_national
from kotacerdas.core.kpis import Direction, Kpi
from kotacerdas.dashboard.periods import Period
from kotacerdas.dashboard.selectors import cache_timeout, traffic_light
from kotacerdas.tenants.models import Tenant

VERSION_KEY = "dashboard:version:national"


@dataclass
class Row:
    tenant_id: int
    name: str
    slug: str
    code: str
    lat: float | None
    lng: float | None
    values: dict[str, float | None] = field(default_factory=dict)
    rank: int | None = None


def national_kpis() -> list[Kpi]:
    computes = registered_national()
    return [k for k in kpis.registered() if k.key in computes]


def figures(period: Period) -> tuple[list[Row], dt.datetime]:
    """Every active tenant with its national KPI values for ``period`` (cached)."""
    version = cache.get(VERSION_KEY) or 1
    key = f"dashboard:national:{version}:{period.start.isoformat()}:{period.end.isoformat()}"
    hit = cache.get(key)
    if hit is not None:
        return [Row(**r) for r in hit["rows"]], dt.datetime.fromisoformat(hit["at"])
    rows = {
        pk: Row(
            pk,
            name,
            slug,
            code,
            float(lat) if lat is not None else (float(rlat) if rlat is not None else None),
            float(lng) if lng is not None else (float(rlng) if rlng is not None else None),
        )
        for pk, name, slug, code, lat, lng, rlat, rlng in Tenant.objects.filter(is_active=True)
        .order_by("name")
        .values_list(
            "pk",
            "name",
            "slug",
            "region_id",
            "map_center_lat",
            "map_center_lng",
            "region__center_lat",
            "region__center_lng",
        )
    }
    computes = registered_national()
    for kpi in national_kpis():
        by_tenant = computes[kpi.key](period.start, period.end)
        for row in rows.values():
            row.values[kpi.key] = by_tenant.get(row.tenant_id)
    at = timezone.now()
    cache.set(
        key,
        {"rows": [r.__dict__ for r in rows.values()], "at": at.isoformat()},
        timeout=cache_timeout(period.end),
    )
    return list(rows.values()), at


def ranked(rows: list[Row], kpi: Kpi) -> list[Row]:
    """Best first on ``kpi`` (by its direction); tenants without a value last, by name."""
    with_value = [r for r in rows if r.values.get(kpi.key) is not None]
    without = [r for r in rows if r.values.get(kpi.key) is None]
    with_value.sort(key=lambda r: r.values[kpi.key] or 0.0, reverse=kpi.direction == Direction.UP)
    for i, row in enumerate(with_value, start=1):
        row.rank = i
    return with_value + without


def marker_colour(kpi: Kpi, value: float | None) -> str:
    return {
        "ok": "#2e7d32",
        "warn": "#f9a825",
        "bad": "#c62828",
        "neutral": "#607d8b",
        "none": "#9e9e9e",
    }[traffic_light(kpi, value)]
