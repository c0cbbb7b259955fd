"""What the command centre shows, computed through the KPI registry and cached.

Figures are cached per tenant, period, kecamatan and OPD in the shared Django cache, so any
number of screens (and the wall's polling) cost one computation per expiry, not one per
request. A period that has not ended expires after ``DASHBOARD_LIVE_SECONDS``; an ended one
after ``DASHBOARD_PAST_SECONDS``. ``invalidate(tenant)`` drops every cached figure of a
tenant at once (a version number in every key).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotacerdas.core import kpis
from kotacerdas.core.kpis import Dimension, Direction, Kpi, KpiQuery
from kotacerdas.dashboard.periods import Period, months_until, previous
from kotacerdas.regions.models import Region
from kotacerdas.tenants.models import Tenant

DIMENSION_LABELS = {
    Dimension.GOVERNANCE: _("Smart Governance (tata kelola)"),
    Dimension.BRANDING: _("Smart Branding (citra daerah)"),
    Dimension.ECONOMY: _("Smart Economy (ekonomi)"),
    Dimension.LIVING: _("Smart Living (lingkungan hidup dan keselamatan)"),
    Dimension.SOCIETY: _("Smart Society (masyarakat)"),
    Dimension.ENVIRONMENT: _("Smart Environment (lingkungan)"),
}
STATUS_LABELS = {
    "ok": _("Sesuai target"),
    "warn": _("Mendekati target"),
    "bad": _("Jauh dari target"),
    "neutral": _("Tanpa target"),
    "none": _("Belum ada data"),
}


@dataclass(frozen=True)
class Scope:
    """Whose figures: one tenant, optionally narrowed to a kecamatan or an OPD."""

    tenant: Tenant
    kecamatan: str | None = None
    opd_id: int | None = None

    def query(self, start: dt.datetime, end: dt.datetime) -> KpiQuery:
        return KpiQuery(self.tenant, start, end, self.kecamatan, self.opd_id)


@dataclass(frozen=True)
class Figure:
    kpi: Kpi
    value: float | None
    previous: float | None
    list_url: str | None

    @property
    def status(self) -> str:
        return traffic_light(self.kpi, self.value)

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def better(self) -> bool | None:
        """Whether the change from the previous period is an improvement (None: no change)."""
        change = self.change
        if not change:
            return None
        return (change > 0) == (self.kpi.direction == Direction.UP)


@dataclass(frozen=True)
class Overview:
    scope: Scope
    period: Period
    previous: Period
    computed_at: dt.datetime
    figures: list[Figure]

    def by_dimension(self) -> list[tuple[str, str, list[Figure]]]:
        groups = []
        for dimension in Dimension:
            items = [f for f in self.figures if f.kpi.dimension == dimension]
            if items:
                groups.append((dimension.value, str(DIMENSION_LABELS[dimension]), items))
        return groups


def traffic_light(kpi: Kpi, value: float | None) -> str:
    """ok / warn / bad against the KPI's target (warn: within 20 % of it), neutral without
    a target, none without a value."""
    if value is None:
        return "none"
    if kpi.target is None:
        return "neutral"
    target = kpi.target
    if kpi.direction == Direction.UP:
        if value >= target:
            return "ok"
        return "warn" if value >= target * 0.8 else "bad"
    if value <= target:
        return "ok"
    return "warn" if target > 0 and value <= target * 1.2 else "bad"


def _version(tenant: Tenant) -> int:
    key = f"dashboard:version:{tenant.pk}"
    version = cache.get(key)
    if version is None:
        version = 1
        cache.add(key, version, timeout=None)
    return int(version)


def invalidate(tenant: Tenant) -> None:
    """Forget every cached figure of ``tenant`` (the next request computes afresh)."""
    key = f"dashboard:version:{tenant.pk}"
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 2, timeout=None)


def cache_timeout(end: dt.datetime) -> int:
    if end > timezone.now():
        return settings.DASHBOARD_LIVE_SECONDS
    return settings.DASHBOARD_PAST_SECONDS


def _key(scope: Scope, version: int, start: dt.datetime, end: dt.datetime, history: bool) -> str:
    return ":".join(
        [
            "dashboard",
            str(version),
            str(scope.tenant.pk),
            start.isoformat(),
            end.isoformat(),
            scope.kecamatan or "-",
            str(scope.opd_id or "-"),
            "h" if history else "a",
        ]
    )


def _compute(
    scope: Scope, start: dt.datetime, end: dt.datetime, key: str, history: bool
) -> tuple[dict[str, float | None], dt.datetime]:
    query = scope.query(start, end)
    computed = {k.key: k.compute(query) for k in kpis.registered() if not (history and k.snapshot)}
    at = timezone.now()
    cache.set(key, {"values": computed, "at": at.isoformat()}, timeout=cache_timeout(end))
    return computed, at


def values(
    scope: Scope, start: dt.datetime, end: dt.datetime, *, history: bool = False
) -> tuple[dict[str, float | None], dt.datetime]:
    """Every registered KPI's value for the scope and period (only the non-snapshot ones
    when ``history``), and when they were computed; cached."""
    key = _key(scope, _version(scope.tenant), start, end, history)
    hit = cache.get(key)
    if hit is not None:
        return hit["values"], dt.datetime.fromisoformat(hit["at"])
    return _compute(scope, start, end, key, history)


def _entry_roles(tenant: Tenant) -> dict[str, set[str]]:
    """Path -> the roles the apps' ``staff_entries`` open it to (union over entries)."""
    roles: dict[str, set[str]] = {}
    for config in apps.get_app_configs():
        for entry in getattr(config, "staff_entries", None) or ():
            try:
                path = reverse(entry["url"], args=[tenant.slug])
            except NoReverseMatch:
                continue
            roles.setdefault(path, set()).update(entry["roles"])
    return roles


def overview(scope: Scope, period: Period, *, role: str | None = None) -> Overview:
    """The figures of ``scope`` for ``period`` and the one before. With ``role``, a figure's
    link to its rows is left out when an app's staff entries do not open that page to the
    role (a leader is not sent to an operator's desk to get a 404)."""
    before = previous(scope.tenant, period)
    current, at = values(scope, period.start, period.end)
    # Snapshots ("now") have no previous value: only the period figures are computed for it.
    earlier, _at = values(scope, before.start, before.end, history=True)
    query = scope.query(period.start, period.end)
    entry_roles = _entry_roles(scope.tenant) if role else {}

    def link(kpi: Kpi) -> str | None:
        url = kpi.list_url(query) if kpi.list_url else None
        allowed = entry_roles.get((url or "").split("?")[0])
        return None if url and allowed is not None and role not in allowed else url

    figures = [
        Figure(
            kpi=k,
            value=current.get(k.key),
            previous=None if k.snapshot else earlier.get(k.key),
            list_url=link(k),
        )
        for k in kpis.registered()
    ]
    return Overview(scope, period, before, at, figures)


def trend(scope: Scope, period: Period) -> dict[str, Any]:
    """The last 12 months' values of every non-snapshot KPI, for the sparklines (the cached
    months read in one cache call)."""
    months = months_until(scope.tenant, period)
    version = _version(scope.tenant)
    keys = [_key(scope, version, m.start, m.end, True) for m in months]
    hits = cache.get_many(keys)
    series: dict[str, list[float | None]] = {}
    for month, key in zip(months, keys, strict=True):
        hit = hits.get(key)
        month_values = (
            hit["values"]
            if hit is not None
            else _compute(scope, month.start, month.end, key, True)[0]
        )
        for kpi_key, value in month_values.items():
            series.setdefault(kpi_key, []).append(value)
    return {"months": [m.label for m in months], "series": series}


def kecamatan_choices(tenant: Tenant) -> list[tuple[str, str]]:
    return list(
        Region.objects.districts_of(tenant.region_id).order_by("name").values_list("code", "name")
    )
