"""Figures of the tourism villages and OVOP products, counted in SQL: for the staff figures page
and its exports, the dashboard's KPIs and the open datasets. Every read is bounded; nothing here
returns a visitor's name or contact."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Q, QuerySet

from kotacerdas.core.kpi_sql import SecondsBetween, between, median
from kotacerdas.economy.models import (
    Permit,
    Product,
    RequestKind,
    TourismVillage,
    VisitorRequest,
)
from kotacerdas.tenants.models import Tenant

BOOKINGS = (RequestKind.HOMESTAY, RequestKind.PACKAGE, RequestKind.ORDER)
PERMIT_HORIZON_DAYS = 90


def requests_of_period(
    requests: QuerySet[VisitorRequest],
    *,
    start: dt.datetime | None,
    end: dt.datetime | None,
    kecamatan: str | None = None,
) -> QuerySet[VisitorRequest]:
    """``requests`` received in ``[start, end)`` (either side open), for a village or producer
    in one kecamatan: the rows of the request figures and of the figures page's period."""
    requests = between(requests, "created_at", start, end)
    if kecamatan:
        requests = requests.filter(
            Q(village__village__parent_id=kecamatan) | Q(producer__village__parent_id=kecamatan)
        )
    return requests


# The requests a figure counts among the period's (``angka=`` of the figures page): bookings,
# or those answered (the rows of the median time to the first answer).
REQUEST_FIGURES = {
    "pemesanan": Q(kind__in=BOOKINGS),
    "dijawab": Q(answered_at__isnull=False),
}


@dataclass(frozen=True)
class Month:
    label: str  # YYYY-MM
    start: dt.datetime
    end: dt.datetime


def last_months(tenant: Tenant, count: int, *, today: dt.date) -> list[Month]:
    """The ``count`` calendar months up to and including ``today``'s, oldest first, with their
    bounds in the tenant's time zone."""
    zone = ZoneInfo(tenant.time_zone)
    first = today.replace(day=1)
    months = []
    for _i in range(count):
        end = (first + dt.timedelta(days=32)).replace(day=1)
        months.append(
            Month(
                f"{first:%Y-%m}",
                dt.datetime.combine(first, dt.time(), tzinfo=zone),
                dt.datetime.combine(end, dt.time(), tzinfo=zone),
            )
        )
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return months[::-1]


@dataclass(frozen=True)
class RequestMonth:
    month: str
    enquiries: int
    bookings: int
    answered: int
    median_first_answer_hours: float | None


def first_answer_seconds() -> SecondsBetween:
    return SecondsBetween("created_at", "answered_at")


def requests_per_month(
    requests: QuerySet[VisitorRequest], months: list[Month]
) -> list[RequestMonth]:
    """Enquiries and bookings received per month, how many were answered, and the median time
    to the first answer (hours). The counts are one aggregate query; the medians one per month
    (``kpi_sql.median``)."""
    aggregates: dict[str, Any] = {}
    for i, m in enumerate(months):
        period = Q(created_at__gte=m.start, created_at__lt=m.end)
        aggregates[f"e{i}"] = Count("id", filter=period & Q(kind=RequestKind.ENQUIRY))
        aggregates[f"b{i}"] = Count("id", filter=period & Q(kind__in=BOOKINGS))
        aggregates[f"a{i}"] = Count("id", filter=period & Q(answered_at__isnull=False))
    counts = requests.aggregate(**aggregates) if months else {}
    rows = []
    for i, m in enumerate(months):
        seconds = (
            median(
                requests.filter(created_at__gte=m.start, created_at__lt=m.end),
                first_answer_seconds(),
            )
            if counts[f"a{i}"]
            else None
        )
        rows.append(
            RequestMonth(
                m.label,
                counts[f"e{i}"],
                counts[f"b{i}"],
                counts[f"a{i}"],
                None if seconds is None else round(seconds / 3600, 1),
            )
        )
    return rows


def villages_by_class_and_kecamatan(tenant: Tenant) -> list[dict[str, Any]]:
    """Rows ``kecamatan`` (code), ``kecamatan_name``, ``village_class``, ``n``."""
    return list(
        TourismVillage.objects.filter(tenant=tenant)
        .values(
            "village_class",
            kecamatan=F("village__parent_id"),
            kecamatan_name=F("village__parent__name"),
        )
        .annotate(n=Count("id"))
        .order_by("kecamatan_name", "village_class")[:2000]
    )


def products_by_group_and_stars(tenant: Tenant) -> list[dict[str, Any]]:
    """Rows ``group``, ``stars`` (None: not rated), ``n``."""
    return list(
        Product.objects.filter(producer__tenant=tenant)
        .values("group", "stars")
        .annotate(n=Count("id"))
        .order_by("group", "stars")[:2000]
    )


def permits_expiring(
    tenant: Tenant, *, today: dt.date, days: int = PERMIT_HORIZON_DAYS
) -> QuerySet[Permit]:
    """Permits of the tenant's products that expire from ``today`` to ``days`` later."""
    return (
        Permit.objects.filter(
            product__producer__tenant=tenant,
            expires_on__gte=today,
            expires_on__lte=today + dt.timedelta(days=days),
        )
        .select_related("product__producer")
        .order_by("expires_on", "pk")
    )
