"""What the command centre shows, computed through the KPI registry and cached.

Figures are cached per tenant, period, kecamatan and OPD in the shared Django cache, so any
number of screens (and the wall's polling) cost one computation per expiry, not one per
request. A period that has not ended expires after ``DASHBOARD_LIVE_SECONDS``; an ended one
after ``DASHBOARD_PAST_SECONDS``. ``invalidate(tenant)`` drops every cached figure of a
tenant at once (a version number in every key).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection, connections
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from kotacerdas.core import kpis
from kotacerdas.core.i18n import is_english
from kotacerdas.core.kpis import Dimension, Direction, Kpi, KpiQuery, Verdict
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
class Share:
    """One part of a figure (incidents of one kind) and the list of its rows."""

    code: str
    label: str
    value: float
    list_url: str | None


@dataclass(frozen=True)
class Figure:
    kpi: Kpi
    value: float | None
    previous: float | None
    list_url: str | None
    parts: list[Share] = field(default_factory=list)
    verdict: Verdict | None = None

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


# Part of every cache key: changed when the cached parts change shape (so that no reader
# unpacks an entry of the old shape).
PARTS_FORMAT = "p4"


def _key(scope: Scope, version: int, start: dt.datetime, end: dt.datetime, history: bool) -> str:
    return ":".join(
        [
            "dashboard",
            PARTS_FORMAT,
            str(version),
            str(scope.tenant.pk),
            start.isoformat(),
            end.isoformat(),
            scope.kecamatan or "-",
            str(scope.opd_id or "-"),
            "h" if history else "a",
        ]
    )


Values = dict[str, float | None]
# Per KPI key, its parts (code, label, English label, value), for readers of either language;
# under "<key>:verdict", its verdict's names.
Parts = dict[str, list[tuple[str, str, str, float]]]


def _run(tasks: dict[Any, Callable[[], Any]]) -> dict[Any, Any]:
    """Run the KPI computations ``tasks``, on up to ``DASHBOARD_WORKERS`` PostgreSQL
    connections at once (each an aggregate over one app's table: they do not wait on each
    other). Inside a transaction they run one after another on its own connection, since
    other connections would not see its uncommitted rows."""
    workers = settings.DASHBOARD_WORKERS
    if (
        workers <= 1
        or len(tasks) < 2
        or connection.vendor != "postgresql"
        or connection.in_atomic_block
    ):
        return {key: task() for key, task in tasks.items()}
    zone, language = timezone.get_current_timezone(), translation.get_language()

    def run(task: Callable[[], Any]) -> Any:
        timezone.activate(zone)
        if language:
            translation.activate(language)
        try:
            return task()
        finally:
            connections.close_all()  # the worker thread's connection back to the pool

    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {key: pool.submit(run, task) for key, task in tasks.items()}
        return {key: future.result() for key, future in futures.items()}


def _months(scope: Scope, months: list[Period]) -> list[Values]:
    """The period figures (snapshots left out) of consecutive calendar ``months``: a KPI
    with ``per_month`` in one query grouped by month over them all, any other month by month."""
    span = scope.query(months[0].start, months[-1].end)
    tasks: dict[Any, Callable[[], Any]] = {}
    for kpi in kpis.registered():
        if kpi.snapshot:
            continue
        if kpi.per_month is not None:
            tasks[kpi.key] = partial(kpi.per_month, span)
        else:
            for i, month in enumerate(months):
                tasks[(kpi.key, i)] = partial(kpi.compute, scope.query(month.start, month.end))
    done = _run(tasks)
    result: list[Values] = [{} for _month in months]
    for kpi in kpis.registered():
        if kpi.snapshot:
            continue
        for i, (figures, month) in enumerate(zip(result, months, strict=True)):
            if kpi.per_month is not None:
                figures[kpi.key] = done[kpi.key].get(month.first_day)
            else:
                figures[kpi.key] = done[(kpi.key, i)]
    return result


def _compute(scope: Scope, period: Period, before: Period) -> tuple[Values, Parts, Values]:
    """Every figure of ``period`` (with the parts of those that have a breakdown) and the
    period figures of ``before``. Two consecutive months share one grouped query a KPI."""
    query = scope.query(period.start, period.end)
    if period.kind == "bulan" and before.kind == "bulan":
        earlier, current = _months(scope, [before, period])
    else:
        earlier = _figures(scope.query(before.start, before.end), history=True)
        current = _figures(query, history=True)
    tasks: dict[Any, Callable[[], Any]] = {}
    for kpi in kpis.registered():
        if kpi.snapshot:
            tasks[("value", kpi.key)] = partial(kpi.compute, query)
        if kpi.breakdown is not None:
            tasks[("parts", kpi.key)] = partial(kpi.breakdown, query)
        if kpi.verdict is not None:
            tasks[("verdict", kpi.key)] = partial(kpi.verdict, query)
    parts: Parts = {}
    for (kind, key), result in _run(tasks).items():
        if kind == "value":
            current[key] = result
        elif kind == "parts":
            parts[key] = [(p.code, p.label, p.label_en, p.value) for p in result]
        elif result is not None:
            parts[f"{key}:verdict"] = [(result.name, result.name, result.name_en, 0.0)]
    return current, parts, earlier


def _figures(query: KpiQuery, *, history: bool) -> Values:
    chosen = [k for k in kpis.registered() if not (history and k.snapshot)]
    return _run({k.key: partial(k.compute, query) for k in chosen})


def _store(key: str, figures: Values, at: dt.datetime, end: dt.datetime, **extra: Any) -> None:
    cache.set(key, {"values": figures, "at": at.isoformat(), **extra}, timeout=cache_timeout(end))


def values(
    scope: Scope, start: dt.datetime, end: dt.datetime, *, history: bool = False
) -> tuple[Values, dt.datetime]:
    """Every registered KPI's value for the scope and period (only the non-snapshot ones
    when ``history``), and when they were computed; cached."""
    key = _key(scope, _version(scope.tenant), start, end, history)
    hit = cache.get(key)
    if hit is not None:
        return hit["values"], dt.datetime.fromisoformat(hit["at"])
    figures = _figures(scope.query(start, end), history=history)
    at = timezone.now()
    _store(key, figures, at, end)
    return figures, at


def _period_figures(
    scope: Scope, period: Period, before: Period
) -> tuple[Values, Parts, Values, dt.datetime]:
    """The figures of ``period`` (with parts) and of ``before`` from the cache, computed
    together when either is missing; each cached under its own key."""
    version = _version(scope.tenant)
    now_key = _key(scope, version, period.start, period.end, False)
    before_key = _key(scope, version, before.start, before.end, True)
    hits = cache.get_many([now_key, before_key])
    hit, earlier_hit = hits.get(now_key), hits.get(before_key)
    if hit is not None and "parts" in hit and earlier_hit is not None:
        return (
            hit["values"],
            hit["parts"],
            earlier_hit["values"],
            dt.datetime.fromisoformat(hit["at"]),
        )
    current, parts, earlier = _compute(scope, period, before)
    at = timezone.now()
    _store(now_key, current, at, period.end, parts=parts)
    _store(before_key, earlier, at, before.end)
    return current, parts, earlier, at


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
    role (a leader is not sent to an operator's desk to get a 404); for an OPD's scope, when
    the list would not keep to the OPD's rows. A part links where its figure does."""
    before = previous(scope.tenant, period)
    # Snapshots ("now") have no previous value: only the period figures are computed for it.
    current, parts, earlier, at = _period_figures(scope, period, before)
    query = scope.query(period.start, period.end)
    entry_roles = _entry_roles(scope.tenant) if role else {}

    def link(kpi: Kpi) -> str | None:
        if scope.opd_id is not None and not kpi.opd_list:
            return None  # that list would show rows of other OPDs too
        url = kpi.list_url(query) if kpi.list_url else None
        allowed = entry_roles.get((url or "").split("?")[0])
        return None if url and allowed is not None and role not in allowed else url

    def verdict(kpi: Kpi) -> Verdict | None:
        found = parts.get(f"{kpi.key}:verdict")
        return Verdict(found[0][1], found[0][2]) if found else None

    def split(kpi: Kpi) -> list[Share]:
        with_links = kpi.part_url is not None and link(kpi) is not None
        return [
            Share(
                code,
                label_en if label_en and is_english() else label,
                value,
                kpi.part_url(query, code) if with_links else None,  # type: ignore[misc]
            )
            for code, label, label_en, value in parts.get(kpi.key, [])
        ]

    figures = [
        Figure(
            kpi=k,
            value=current.get(k.key),
            previous=None if k.snapshot else earlier.get(k.key),
            list_url=link(k),
            parts=split(k),
            verdict=verdict(k),
        )
        for k in kpis.registered()
    ]
    return Overview(scope, period, before, at, figures)


def trend(scope: Scope, period: Period) -> dict[str, Any]:
    """The last 12 months' values of every non-snapshot KPI, for the sparklines. The cached
    months are read in one cache call; the missing ones are computed together (one grouped
    query a KPI that has ``per_month``) from the first missing month on."""
    months = months_until(scope.tenant, period)
    version = _version(scope.tenant)
    keys = [_key(scope, version, m.start, m.end, True) for m in months]
    hits = cache.get_many(keys)
    monthly: list[Values | None] = [hits[key]["values"] if key in hits else None for key in keys]
    missing = [i for i, figures in enumerate(monthly) if figures is None]
    if missing:
        at = timezone.now()
        computed = _months(scope, months[missing[0] :])
        for offset, figures in enumerate(computed, start=missing[0]):
            if monthly[offset] is None:
                monthly[offset] = figures
                _store(keys[offset], figures, at, months[offset].end)
    series: dict[str, list[float | None]] = {}
    for month_values in monthly:
        for kpi_key, value in (month_values or {}).items():
            series.setdefault(kpi_key, []).append(value)
    return {"months": [m.label for m in months], "series": series}


def kecamatan_choices(tenant: Tenant) -> list[tuple[str, str]]:
    return list(
        Region.objects.districts_of(tenant.region_id).order_by("name").values_list("code", "name")
    )
