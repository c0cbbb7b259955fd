"""Reads that several callers need: nearby duplicates, timelines, inbox, statistics."""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from kotacerdas.complaints.models import Category, Complaint, ComplaintQuerySet, Disposition, Event
from kotacerdas.tenants.models import Tenant

EARTH_RADIUS_M = 6_371_000


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def nearby_similar(
    *,
    tenant: Tenant,
    category: Category,
    lat: float,
    long: float,
    radius_m: float = 150,
    days: int = 30,
) -> list[Complaint]:
    """Public reports of the same category within ``radius_m`` in the last ``days`` days, nearest first."""
    dlat = radius_m / 111_320
    dlon = radius_m / (111_320 * max(math.cos(math.radians(lat)), 0.01))
    candidates = Complaint.objects.public().filter(
        tenant=tenant,
        category=category,
        created_at__gte=timezone.now() - dt.timedelta(days=days),
        lat__range=(lat - dlat, lat + dlat),
        long__range=(long - dlon, long + dlon),
    )
    found = [(distance_m(lat, long, c.lat or 0, c.long or 0), c) for c in candidates]
    return [c for d, c in sorted(found, key=lambda x: x[0]) if d <= radius_m][:5]


def public_timeline(complaint: Complaint) -> QuerySet[Event]:
    return (
        complaint.events.filter(public=True)
        .exclude(action__in=["disposition"])
        .select_related("opd")
    )


def inbox_for_opd(
    *, qs: ComplaintQuerySet, status: str = "", severity: str = "", overdue: bool = False
) -> ComplaintQuerySet:
    if status:
        qs = qs.filter(status=status)
    if severity:
        qs = qs.filter(severity=severity)
    if overdue:
        qs = qs.overdue()
    return qs.select_related("category").order_by("due_at", "-created_at")


@dataclass
class OpdMonth:
    opd: str
    month: str
    received: int
    responded: int
    response_rate: float | None
    median_hours_first_response: float | None
    median_hours_resolution: float | None
    within_sla_share: float | None
    reopens: int
    average_rating: float | None


def _gap(start: dt.datetime, end: dt.datetime | None) -> float:
    return (end - start).total_seconds() if end else 0.0


def _median_hours(seconds: list[float]) -> float | None:
    return round(statistics.median(seconds) / 3600, 1) if seconds else None


def statistics_per_opd_month(*, tenant: Tenant, year: int | None = None) -> list[OpdMonth]:
    """One row per OPD and month of disposition. Contains no personal data."""
    rows = Disposition.objects.filter(complaint__tenant=tenant).select_related("opd", "complaint")
    if year:
        rows = rows.filter(created_at__year=year)
    groups: dict[tuple[str, str], list[Disposition]] = defaultdict(list)
    for d in rows:
        groups[(d.opd.acronym, timezone.localtime(d.created_at).strftime("%Y-%m"))].append(d)
    result = []
    for (opd, month), items in sorted(groups.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        responded = [d for d in items if d.first_response_at]
        resolved = [d for d in items if d.resolved_at]
        ratings = [d.complaint.rating for d in items if d.complaint.rating]
        result.append(
            OpdMonth(
                opd=opd,
                month=month,
                received=len(items),
                responded=len(responded),
                response_rate=round(len(responded) / len(items), 3),
                median_hours_first_response=_median_hours(
                    [_gap(d.created_at, d.first_response_at) for d in responded]
                ),
                median_hours_resolution=_median_hours(
                    [_gap(d.created_at, d.resolved_at) for d in resolved]
                ),
                within_sla_share=round(
                    sum(
                        1
                        for d in items
                        if d.first_response_at and d.first_response_at <= d.response_due
                    )
                    / len(items),
                    3,
                ),
                reopens=sum(d.reopen_count for d in items),
                average_rating=round(statistics.mean(ratings), 2) if ratings else None,
            )
        )
    return result


# --- For other apps (added by the 112 desk, which files follow-up complaints) -------------


def active_categories(tenant: Tenant) -> QuerySet[Category]:
    """The tenant's categories a new complaint may be filed under (other apps' forms)."""
    return Category.objects.filter(tenant=tenant, is_active=True)


def ticket_of(complaint_id: int | None) -> str:
    """A complaint's ticket number by id, "" when there is none (other apps link to it)."""
    if complaint_id is None:
        return ""
    return Complaint.objects.filter(pk=complaint_id).values_list("ticket", flat=True).first() or ""


def category_by_code(tenant: Tenant, code: str) -> Category | None:
    """The tenant's active category with this service code, for other apps that file
    complaints (the public Wi-Fi "laporkan gangguan")."""
    return Category.objects.filter(tenant=tenant, code=code, is_active=True).first()
