"""Reads that several callers need: nearby duplicates, timelines, inbox, statistics."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import (
    Avg,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.urls import reverse
from django.utils import timezone

from kotacerdas.accounts.models import User
from kotacerdas.complaints.models import Category, Complaint, ComplaintQuerySet, Disposition, Event
from kotacerdas.core.kpi_sql import SecondsBetween, between, percentiles
from kotacerdas.regions.models import Region
from kotacerdas.tenants.models import Opd, Tenant

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


def nearest_village(tenant: Tenant, lat: float, long: float) -> Region | None:
    """The tenant's kelurahan/desa whose centre is nearest to a pin (for a report with only a
    pin), or None when no centre is recorded. One query, ordered in SQL; the longitude gap is
    scaled by cos(latitude) so that distances compare fairly."""
    scale = math.cos(math.radians(lat))
    dlat = ExpressionWrapper(F("center_lat") - Value(lat), output_field=FloatField())
    dlng = ExpressionWrapper(
        (F("center_lng") - Value(long)) * Value(scale), output_field=FloatField()
    )
    return (
        Region.objects.villages_of_regency(tenant.code)
        .filter(center_lat__isnull=False, center_lng__isnull=False)
        .annotate(gap=ExpressionWrapper(dlat * dlat + dlng * dlng, output_field=FloatField()))
        .order_by("gap", "code")
        .first()
    )


def public_timeline(complaint: Complaint) -> QuerySet[Event]:
    return (
        complaint.events.filter(public=True)
        .exclude(action__in=["disposition"])
        .select_related("opd")
    )


def dispositions_of_period(
    tenant: Tenant,
    *,
    start: dt.datetime | None,
    end: dt.datetime | None,
    opd_id: int | None = None,
    kecamatan: str | None = None,
) -> QuerySet[Disposition]:
    """The tenant's dispositions (to one OPD) created in ``[start, end)`` (either side open),
    of complaints in one kecamatan: the rows of the response figures and of their list."""
    # The tenant's OPD ids as constants (one query on a small table), not a join to the OPD
    # table: with the join PostgreSQL cannot tell how many of the period's dispositions are the
    # tenant's and scans them all; with the ids it reads the (opd, created_at) index alone
    # (275 → 145 ms for two months at 1,000,000 complaints, docs/benchmarks.md).
    opds = Opd.objects.filter(tenant=tenant)
    if opd_id is not None:
        opds = opds.filter(pk=opd_id)
    qs = Disposition.objects.filter(opd_id__in=list(opds.values_list("pk", flat=True)))
    qs = between(qs, "created_at", start, end)
    if kecamatan:
        qs = qs.filter(complaint__region__parent_id=kecamatan)
    return qs


def answered_or_due(qs: QuerySet[Disposition]) -> QuerySet[Disposition]:
    """Dispositions answered, or whose response deadline has passed: those the share answered
    within the SLA counts (a waiting one whose deadline has not passed is not counted yet)."""
    return qs.filter(Q(first_response_at__isnull=False) | Q(response_due__lte=timezone.now()))


# The dispositions a response figure counts (``tanggapan=`` of the inbox): counted for the
# share within the SLA, answered within it, answered at all (the median's rows).
RESPONSE_FILTERS = ("dihitung", "tepat", "dijawab")


def dispositions_responded(qs: QuerySet[Disposition], which: str) -> QuerySet[Disposition]:
    """``qs`` narrowed to one of ``RESPONSE_FILTERS`` ("" keeps them all)."""
    if which == "dihitung":
        return answered_or_due(qs)
    if which == "tepat":
        return qs.filter(first_response_at__lte=F("response_due"))
    if which == "dijawab":
        return qs.filter(first_response_at__isnull=False)
    return qs


# Open complaints without a running clock sort after every dated one.
NO_DEADLINE = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)


def inbox_for_opd(
    *,
    qs: ComplaintQuerySet,
    status: str = "",
    severity: str = "",
    overdue: bool = False,
    text: str = "",
    category: Category | None = None,
    opd_id: int | None = None,
) -> ComplaintQuerySet:
    """The inbox, most urgent deadline first (then by id, for stable keyset pages). ``text``
    finds a ticket number or words of the description."""
    if status:
        qs = qs.filter(status=status)
    if severity:
        qs = qs.filter(severity=severity)
    if overdue:
        qs = qs.overdue()
    if text:
        qs = qs.filter(Q(ticket__iexact=text) | Q(description__icontains=text))
    if category is not None:
        qs = qs.filter(category=category)
    if opd_id is not None:
        qs = qs.filter(pk__in=Disposition.objects.filter(opd_id=opd_id).values("complaint_id"))
    return (
        qs.select_related("category")
        .annotate(due_key=Coalesce("due_at", Value(NO_DEADLINE)))
        .order_by("due_key", "pk")
    )


def keyset_page(
    qs: QuerySet[Any], *, order: tuple[str, str], after: str, size: int
) -> tuple[list[Any], int | None]:
    """One page of ``qs`` ordered by ``order`` (a field, then ``pk``; each may start with
    "-"), starting after the row whose id is ``after``. Returns the rows and the id to ask
    for the next page with (None on the last page). Never counts or skips rows: the cost of
    a page does not grow with its depth."""
    first, second = order
    qs = qs.order_by(first, second)
    if after.isascii() and after.isdigit() and len(after) < 19:
        anchor = qs.filter(pk=int(after)).values(first.lstrip("-"), "pk").first()
        if anchor is not None:
            name, value = first.lstrip("-"), anchor[first.lstrip("-")]
            op = "lt" if first.startswith("-") else "gt"
            op_pk = "lt" if second.startswith("-") else "gt"
            qs = qs.filter(
                Q(**{f"{name}__{op}": value}) | Q(**{name: value, f"pk__{op_pk}": anchor["pk"]})
            )
    rows = list(qs[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return rows, (rows[-1].pk if more and rows else None)


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


def year_range(tenant: Tenant, year: int) -> tuple[dt.datetime, dt.datetime]:
    """The tenant's calendar year as ``[start, end)`` in its own time zone."""
    zone = ZoneInfo(tenant.time_zone)
    return dt.datetime(year, 1, 1, tzinfo=zone), dt.datetime(year + 1, 1, 1, tzinfo=zone)


def _hours(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 3600, 1)


def statistics_per_opd_month(
    *,
    tenant: Tenant,
    year: int | None = None,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
) -> list[OpdMonth]:
    """One row per OPD and month of disposition, over a required period (``year``, or
    ``start``/``end``). Counted in SQL, grouped by the database; each OPD is credited only
    with its own disposition's response and resolution. Contains no personal data."""
    if year is not None:
        start, end = year_range(tenant, year)
    if start is None or end is None:
        raise TypeError("statistics_per_opd_month needs a year or a start and an end")
    zone = ZoneInfo(tenant.time_zone)
    # The tenant through its OPDs, so that the period is read from the (OPD, time) index; and
    # on the complaint too, so that the rating's join reads only this tenant's rows.
    disposed = Disposition.objects.filter(
        opd__tenant=tenant, complaint__tenant=tenant, created_at__gte=start, created_at__lt=end
    ).annotate(month=TruncMonth("created_at", tzinfo=zone))
    groups = (
        disposed.values("opd__acronym", "month")
        .annotate(
            received=Count("pk"),
            responded=Count("pk", filter=Q(first_response_at__isnull=False)),
            within=Count("pk", filter=Q(first_response_at__lte=F("response_due"))),
            reopens=Sum("reopen_count"),
            rating=Avg("complaint__rating"),
        )
        .order_by("month", "opd__acronym")
    )
    medians = percentiles(
        disposed,
        {
            "first": SecondsBetween("created_at", "first_response_at"),
            "resolution": SecondsBetween("created_at", "resolved_at"),
        },
        [0.5],
        group_by=["opd__acronym", "month"],
    )
    result = []
    for group in groups:
        found = medians.get((group["opd__acronym"], group["month"]), {})
        first = found["first"][0] if "first" in found else None
        resolution = found["resolution"][0] if "resolution" in found else None
        received = group["received"]
        result.append(
            OpdMonth(
                opd=group["opd__acronym"],
                month=group["month"].astimezone(zone).strftime("%Y-%m"),
                received=received,
                responded=group["responded"],
                response_rate=round(group["responded"] / received, 3),
                median_hours_first_response=_hours(first),
                median_hours_resolution=_hours(resolution),
                within_sla_share=round(group["within"] / received, 3),
                reopens=group["reopens"] or 0,
                average_rating=None if group["rating"] is None else round(group["rating"], 2),
            )
        )
    return result


@dataclass
class CategoryMonth:
    code: str
    name: str
    month: str
    received: int
    resolved: int
    resolved_on_time: int
    median_hours_resolution: float | None
    average_rating: float | None


def statistics_per_category_month(
    *, tenant: Tenant, start: dt.datetime, end: dt.datetime
) -> list[CategoryMonth]:
    """One row per category and month of receipt in ``[start, end)``: received, resolved,
    resolved by the deadline, median hours to resolution and the average rating. Counted in
    SQL: one grouped query, and one for the medians (``percentiles``). No personal data."""
    zone = ZoneInfo(tenant.time_zone)
    complaints = Complaint.objects.filter(
        tenant=tenant, created_at__gte=start, created_at__lt=end
    ).annotate(month=TruncMonth("created_at", tzinfo=zone))
    groups = (
        complaints.values("category__code", "category__name", "month")
        .annotate(
            received=Count("pk"),
            resolved=Count("pk", filter=Q(resolved_at__isnull=False)),
            on_time=Count("pk", filter=Q(resolved_at__lte=F("resolve_due"))),
            rating=Avg("rating"),
        )
        .order_by("month", "category__code")
    )
    medians = percentiles(
        complaints,
        {"resolution": SecondsBetween("created_at", "resolved_at")},
        [0.5],
        group_by=["category__code", "month"],
    )
    result = []
    for group in groups:
        month = group["month"].astimezone(zone)
        key = (group["category__code"], group["month"])
        seconds = medians[key]["resolution"][0] if key in medians else None
        result.append(
            CategoryMonth(
                code=group["category__code"],
                name=group["category__name"],
                month=month.strftime("%Y-%m"),
                received=group["received"],
                resolved=group["resolved"],
                resolved_on_time=group["on_time"],
                median_hours_resolution=_hours(seconds),
                average_rating=None if group["rating"] is None else round(group["rating"], 2),
            )
        )
    return result


def citizen_items(user: User, *, limit: int = 20) -> list[dict[str, Any]]:
    """The citizen's own complaints (filed while signed in) for "Laporan saya", newest change
    first: each links to the private tracking page."""
    if not user.is_authenticated:
        return []
    rows = (
        Complaint.objects.filter(reporter=user)
        .select_related("tenant", "category")
        .order_by("-updated_at", "-pk")[:limit]
    )
    return [
        {
            "title": f"{c.ticket} · {c.category.local_name}",
            "url": reverse("complaints:follow", args=[c.tenant.slug, c.tracking_token]),
            "status": str(c.get_status_display()),
            "updated_at": c.updated_at,
            "tenant": c.tenant.name,
        }
        for c in rows
    ]


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
