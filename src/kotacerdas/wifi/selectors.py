"""Reads of the public Wi-Fi app: uptime, usage and cost figures, counted in SQL over a bounded
period; the public map's points (no costs, no contracts, no identifiers)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from kotacerdas.tenants.models import Tenant
from kotacerdas.wifi.models import Check, Hotspot, PointStatus, WifiSession

PAGE_SIZE = 50


def month_bounds(year: int, month: int, tz: Any = None) -> tuple[dt.datetime, dt.datetime]:
    """[first instant of the month, first instant of the next) in the tenant's zone."""
    tz = tz or timezone.get_current_timezone()
    start = dt.datetime(year, month, 1, tzinfo=tz)
    end = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=tz)
    return start, end


def _of_points(qs: QuerySet[Any], kecamatan: str | None, opd_id: int | None) -> QuerySet[Any]:
    if kecamatan:
        qs = qs.filter(hotspot__kelurahan__parent_id=kecamatan)
    if opd_id is not None:  # the points the OPD is responsible for
        qs = qs.filter(hotspot__opd_id=opd_id)
    return qs


def checks_of_period(
    tenant: Tenant,
    start: dt.datetime,
    end: dt.datetime,
    *,
    kecamatan: str | None = None,
    opd_id: int | None = None,
) -> QuerySet[Check]:
    """The health checks of ``[start, end)`` at the points of one kecamatan or OPD."""
    qs = Check.objects.filter(tenant=tenant, checked_at__gte=start, checked_at__lt=end)
    return _of_points(qs, kecamatan, opd_id)


def sessions_of_period(
    tenant: Tenant,
    start: dt.datetime,
    end: dt.datetime,
    *,
    kecamatan: str | None = None,
    opd_id: int | None = None,
) -> QuerySet[WifiSession]:
    """The sessions that began in ``[start, end)`` at the points of one kecamatan or OPD."""
    qs = WifiSession.objects.filter(tenant=tenant, started_at__gte=start, started_at__lt=end)
    return _of_points(qs, kecamatan, opd_id)


def period_figures(
    tenant: Tenant,
    start: dt.datetime,
    end: dt.datetime,
    *,
    kecamatan: str | None = None,
    opd_id: int | None = None,
) -> dict[str, int]:
    """What the Wi-Fi figures count over a period: sessions, unique devices, health checks
    and those answered (keyed as the figures page's ``angka``). Two aggregate queries."""
    checks = checks_of_period(tenant, start, end, kecamatan=kecamatan, opd_id=opd_id).aggregate(
        pemeriksaan=Count("id"), menjawab=Count("id", filter=Q(up=True))
    )
    sessions = sessions_of_period(tenant, start, end, kecamatan=kecamatan, opd_id=opd_id).aggregate(
        sesi=Count("id"), perangkat=Count("device_hash", distinct=True)
    )
    return {**sessions, **checks}


def uptime_by_point(
    hotspots: QuerySet[Hotspot], start: dt.datetime, end: dt.datetime
) -> dict[int, tuple[int, int]]:
    """``{hotspot_id: (checks, checks_up)}`` for checks in ``[start, end)``."""
    rows = (
        Check.objects.filter(hotspot__in=hotspots, checked_at__gte=start, checked_at__lt=end)
        .values("hotspot_id")
        .annotate(total=Count("id"), up=Count("id", filter=Q(up=True)))
    )
    return {r["hotspot_id"]: (r["total"], r["up"]) for r in rows}


def pct(part: int, whole: int) -> float | None:
    return None if not whole else 100.0 * part / whole


def uptime_share(tenant: Tenant, start: dt.datetime, end: dt.datetime) -> float | None:
    """Share (%) of all the tenant's checks in the period that found a point answering."""
    agg = Check.objects.filter(tenant=tenant, checked_at__gte=start, checked_at__lt=end).aggregate(
        total=Count("id"), up=Count("id", filter=Q(up=True))
    )
    return pct(agg["up"], agg["total"])


@dataclass(frozen=True)
class PointFigures:
    hotspot: Hotspot
    checks: int
    uptime_pct: float | None
    sessions: int
    devices: int
    gigabytes: float
    cost_per_device: Decimal | None
    cost_per_gb: Decimal | None
    below_target: bool


def _per(cost: Decimal | None, amount: float) -> Decimal | None:
    if cost is None or amount <= 0:
        return None
    return (cost / Decimal(str(amount))).quantize(Decimal("1"))


def figures_by_point(
    tenant: Tenant,
    start: dt.datetime,
    end: dt.datetime,
    target_pct: float,
    *,
    kecamatan: str | None = None,
    opd_id: int | None = None,
) -> list[PointFigures]:
    """One row per active or suspended point (of one kecamatan or OPD) for the period (at
    most 2,000 points). Costs are the monthly cost scaled to the period's length."""
    hotspots = Hotspot.objects.filter(tenant=tenant).exclude(status=PointStatus.PLANNED)
    if kecamatan:
        hotspots = hotspots.filter(kelurahan__parent_id=kecamatan)
    if opd_id is not None:
        hotspots = hotspots.filter(opd_id=opd_id)
    points = list(hotspots.order_by("name", "pk")[:2000])
    uptime = uptime_by_point(hotspots, start, end)
    usage = {
        r["hotspot_id"]: r
        for r in WifiSession.objects.filter(
            hotspot__in=hotspots, started_at__gte=start, started_at__lt=end
        )
        .values("hotspot_id")
        .annotate(
            sessions=Count("id"),
            devices=Count("device_hash", distinct=True),
            octets_in=Sum("input_octets"),
            octets_out=Sum("output_octets"),
        )
    }
    months = Decimal(str((end - start).total_seconds() / (30.4375 * 86400)))
    result = []
    for h in points:
        total, up = uptime.get(h.pk, (0, 0))
        u = usage.get(h.pk, {})
        gb = ((u.get("octets_in") or 0) + (u.get("octets_out") or 0)) / 1e9
        cost = (h.monthly_cost * months) if h.monthly_cost is not None else None
        share = pct(up, total)
        result.append(
            PointFigures(
                hotspot=h,
                checks=total,
                uptime_pct=share,
                sessions=u.get("sessions", 0),
                devices=u.get("devices", 0),
                gigabytes=gb,
                cost_per_device=_per(cost, float(u.get("devices", 0))),
                cost_per_gb=_per(cost, gb),
                below_target=share is not None and share < target_pct,
            )
        )
    return result


def usage_by_day(tenant: Tenant, start: dt.datetime, end: dt.datetime) -> list[dict[str, Any]]:
    """Sessions, unique devices and gigabytes per day (the tenant's days)."""
    return _by_day(WifiSession.objects.filter(tenant=tenant), start, end)


def usage_by_point_day(
    hotspot: Hotspot, start: dt.datetime, end: dt.datetime
) -> list[dict[str, Any]]:
    return _by_day(WifiSession.objects.filter(hotspot=hotspot), start, end)


def _by_day(
    sessions: QuerySet[WifiSession], start: dt.datetime, end: dt.datetime
) -> list[dict[str, Any]]:
    rows = (
        sessions.filter(started_at__gte=start, started_at__lt=end)
        .annotate(day=TruncDate("started_at"))
        .values("day")
        .annotate(
            sessions=Count("id"),
            devices=Count("device_hash", distinct=True),
            octets_in=Sum("input_octets"),
            octets_out=Sum("output_octets"),
        )
        .order_by("day")
    )
    return [
        {
            "day": r["day"],
            "sessions": r["sessions"],
            "devices": r["devices"],
            "gigabytes": ((r["octets_in"] or 0) + (r["octets_out"] or 0)) / 1e9,
        }
        for r in rows
    ]


def devices_in(tenant: Tenant, start: dt.datetime, end: dt.datetime) -> int:
    return (
        WifiSession.objects.filter(tenant=tenant, started_at__gte=start, started_at__lt=end)
        .values("device_hash")
        .distinct()
        .count()
    )


def public_points(tenant: Tenant) -> list[dict[str, Any]]:
    """What the citizens' map shows: name, place, SSID and whether it works now."""
    rows = (
        Hotspot.objects.public()
        .filter(tenant=tenant)
        .order_by("name", "pk")
        .values("id", "name", "site_type", "lat", "lng", "ssid", "health", "status")[:5000]
    )
    return [dict(r) for r in rows]


def registry_page(
    qs: QuerySet[Hotspot], *, after: tuple[str, int] | None
) -> tuple[list[Hotspot], tuple[str, int] | None]:
    """One page of the registry ordered by (name, id), and the key of the next page."""
    if after is not None:
        name, pk = after
        qs = qs.filter(Q(name__gt=name) | Q(name=name, pk__gt=pk))
    rows = list(qs.select_related("provider", "kelurahan").order_by("name", "pk")[: PAGE_SIZE + 1])
    nxt = (rows[PAGE_SIZE - 1].name, rows[PAGE_SIZE - 1].pk) if len(rows) > PAGE_SIZE else None
    return rows[:PAGE_SIZE], nxt
