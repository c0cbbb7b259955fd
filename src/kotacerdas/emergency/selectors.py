"""Reads of the 112 desk shared by pages, the API and reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from kotacerdas.core.i18n import localized_column
from kotacerdas.core.kpi_sql import between
from kotacerdas.emergency.models import (
    INVALID_CALL_TYPES,
    Call,
    DeskEvent,
    DeskPolicy,
    Dispatch,
    Incident,
    IncidentCategory,
    NumberBlock,
)
from kotacerdas.tenants.models import Tenant


def policy_for(tenant: Tenant) -> DeskPolicy:
    """The tenant's policy, or Serang's defaults when none is configured."""
    return DeskPolicy.objects.filter(tenant=tenant).first() or DeskPolicy(tenant=tenant)


@dataclass(frozen=True)
class Breaches:
    dispatch: bool
    moving: bool

    @property
    def any(self) -> bool:
        return self.dispatch or self.moving


def incident_breaches(
    incident: Incident, policy: DeskPolicy, now: dt.datetime | None = None
) -> Breaches:
    """Targets are measured from the moment the call was received. An incident still
    waiting breaches as soon as its target time has passed."""
    now = now or timezone.now()
    dispatch_due = incident.received_at + dt.timedelta(minutes=policy.dispatch_target_minutes)
    moving_due = incident.received_at + dt.timedelta(minutes=policy.moving_target_minutes)
    return Breaches(
        dispatch=(incident.dispatched_at or now) > dispatch_due,
        moving=(incident.en_route_at or now) > moving_due,
    )


def incident_categories(tenant: Tenant) -> QuerySet[IncidentCategory]:
    """The tenant's active incident categories (for a form's choices)."""
    return IncidentCategory.objects.filter(tenant=tenant, is_active=True)


def incident_from_complaint(tenant: Tenant, complaint_id: int) -> Incident | None:
    """The incident a complaint was escalated into, if any (at most one per complaint)."""
    return Incident.objects.filter(tenant=tenant, source_complaint_id=complaint_id).first()


def board_incidents(tenant: Tenant) -> list[Incident]:
    """Open incidents for the board, oldest first, with their dispatches (three queries)."""
    return list(
        Incident.objects.open()
        .filter(tenant=tenant)
        .select_related("category", "kelurahan__parent")
        .prefetch_related(
            Prefetch(
                "dispatches",
                queryset=Dispatch.objects.select_related("agency", "unit").order_by("pk"),
            )
        )
        .order_by("received_at")
    )


def caller_history(tenant: Tenant, number: str, limit: int = 10) -> list[Call]:
    return list(
        Call.objects.filter(tenant=tenant, caller_number=number)
        .select_related("incident__category")
        .order_by("-received_at")[:limit]
    )


def active_block(tenant: Tenant, number: str) -> NumberBlock | None:
    return NumberBlock.objects.active().filter(tenant=tenant, number=number).first()


def last_event_id(tenant_id: int) -> int:
    return (
        DeskEvent.objects.filter(tenant_id=tenant_id)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
        or 0
    )


@dataclass(frozen=True)
class KindMonth:
    """One row of the desk's monthly statistics for open data (counts only, no callers).

    Incident rows have ``kind`` (the incident category code) and ``kecamatan`` (Kemendagri
    code, "" when unknown); ``calls`` counts the calls that reported them. One row per month
    has ``kind == ""``: every call of the month (``calls``) and how many were prank or ghost
    (``invalid_calls``)."""

    month: dt.date  # the first day of the month, in the tenant's time zone
    kind: str
    kecamatan: str
    calls: int
    invalid_calls: int
    incidents: int


def statistics_per_kind_month(*, tenant: Tenant, year: int | None = None) -> list[KindMonth]:
    """Calls and incidents per month (of ``year``, this year by default), incidents per
    category and kecamatan; pranks apart. Counted in SQL: two grouped queries."""
    tz = ZoneInfo(tenant.time_zone)
    year = year or timezone.localdate().year
    start = dt.datetime(year, 1, 1, tzinfo=tz)
    end = dt.datetime(year + 1, 1, 1, tzinfo=tz)
    calls = (
        Call.objects.filter(tenant=tenant, received_at__gte=start, received_at__lt=end)
        .annotate(month=TruncMonth("received_at", tzinfo=tz))
        .values("month")
        .annotate(n=Count("pk"), invalid=Count("pk", filter=Q(call_type__in=INVALID_CALL_TYPES)))
        .order_by("month")
    )
    rows = [KindMonth(_day(r["month"]), "", "", r["n"], r["invalid"], 0) for r in calls]
    incidents = (
        Incident.objects.filter(tenant=tenant, received_at__gte=start, received_at__lt=end)
        .exclude(calls__call_type__in=INVALID_CALL_TYPES)
        .annotate(month=TruncMonth("received_at", tzinfo=tz))
        .values("month", "category__code", "kelurahan__parent_id")
        .annotate(n=Count("pk", distinct=True), reported=Count("calls", distinct=True))
        .order_by("month", "category__code", "kelurahan__parent_id")
    )
    rows += [
        KindMonth(
            _day(r["month"]),
            r["category__code"],
            r["kelurahan__parent_id"] or "",
            r["reported"],
            0,
            r["n"],
        )
        for r in incidents
    ]
    return sorted(rows, key=lambda r: (r.month, r.kind, r.kecamatan))


def _day(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def incidents_per_kind(
    *, tenant: Tenant, start: dt.datetime, end: dt.datetime, kecamatan: str | None = None
) -> list[tuple[str, str, str, int]]:
    """Incidents received in ``[start, end)`` (of one kecamatan) per kind: ``(category code,
    name, English name, count)``, the largest first (both names: the command centre caches
    them for readers of either language). One grouped query."""
    qs = Incident.objects.filter(tenant=tenant, received_at__gte=start, received_at__lt=end)
    if kecamatan:
        qs = qs.filter(kelurahan__parent_id=kecamatan)
    rows = (
        qs.order_by()
        .values("category__code", "category__name", "category__name_en")
        .annotate(n=Count("pk"))
        .order_by("-n", "category__code")
    )
    return [
        (r["category__code"], r["category__name"], r["category__name_en"], r["n"]) for r in rows
    ]


def incident_list(
    *,
    tenant: Tenant,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    kecamatan: str | None = None,
    kind: str = "",
    open_only: bool = False,
) -> QuerySet[Incident]:
    """Incidents of ``tenant`` received in ``[start, end)`` (either side open), of one
    kecamatan, kind (category code) or still open, the latest first. No caller data."""
    qs = between(Incident.objects.filter(tenant=tenant), "received_at", start, end)
    if kecamatan:
        qs = qs.filter(kelurahan__parent_id=kecamatan)
    if kind:
        qs = qs.filter(category__code=kind)
    if open_only:
        qs = qs.open()
    return qs.select_related("category", "kelurahan__parent").order_by("-received_at", "-pk")


# The columns of the calls list: never the caller's number, name or the call-taker's note
# (which may hold an address). A dict per row, so that no template can reach the others.
CALL_LIST_FIELDS = (
    "pk",
    "received_at",
    "call_type",
    "incident_id",
    "category_name",  # the incident's category in the page's language
    "taker__full_name",
    "taker__username",
)


def call_list(
    *,
    tenant: Tenant,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    call_type: str = "",
    invalid_only: bool = False,
) -> QuerySet[Call]:
    """Calls of ``tenant`` received in ``[start, end)`` (either side open), of one type or
    only the prank and ghost ones, the latest first (``values()`` of ``CALL_LIST_FIELDS``)."""
    qs = between(Call.objects.filter(tenant=tenant), "received_at", start, end).annotate(
        category_name=localized_column("incident__category__name")
    )
    if call_type:
        qs = qs.filter(call_type=call_type)
    if invalid_only:
        qs = qs.filter(call_type__in=INVALID_CALL_TYPES)
    return qs.order_by("-received_at", "-pk")


def incident_categories_by_code(tenant: Tenant) -> dict[str, IncidentCategory]:
    """The tenant's incident kinds by code, with both names (other apps label statistics with
    them)."""
    categories = IncidentCategory.objects.filter(tenant=tenant).only("code", "name", "name_en")
    return {c.code: c for c in categories}
