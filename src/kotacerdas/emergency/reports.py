"""Statistics of the 112 desk for a period. Ghost and prank calls never reach incident
statistics: incidents come only from normal calls (or escalated complaints)."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDate

from kotacerdas.core.kpi_sql import SecondsBetween
from kotacerdas.emergency.models import INVALID_CALL_TYPES, Call, CallType, Dispatch, Incident
from kotacerdas.emergency.selectors import policy_for
from kotacerdas.tenants.models import Tenant

# Minutes; the last bucket is open-ended.
BUCKETS = [2, 5, 10, 15, 30, 60]


@dataclass
class Period:
    start: dt.datetime  # inclusive, aware
    end: dt.datetime  # exclusive, aware
    label: str

    @classmethod
    def month(cls, tenant: Tenant, year: int, month: int) -> Period:
        tz = ZoneInfo(tenant.time_zone)
        start = dt.datetime(year, month, 1, tzinfo=tz)
        end = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=tz)
        return cls(start=start, end=end, label=f"{year}-{month:02d}")

    def days(self) -> list[dt.date]:
        day, last = self.start.date(), (self.end - dt.timedelta(seconds=1)).date()
        out = []
        while day <= last:
            out.append(day)
            day += dt.timedelta(days=1)
        return out


@dataclass
class Distribution:
    values: list[float] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.values)

    @property
    def median(self) -> float | None:
        return round(statistics.median(self.values), 1) if self.values else None

    @property
    def p90(self) -> float | None:
        if not self.values:
            return None
        ordered = sorted(self.values)
        return round(ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))], 1)

    @property
    def maximum(self) -> float | None:
        return round(max(self.values), 1) if self.values else None

    def buckets(self) -> list[int]:
        counts = [0] * (len(BUCKETS) + 1)
        for v in self.values:
            counts[next((i for i, b in enumerate(BUCKETS) if v <= b), len(BUCKETS))] += 1
        return counts


@dataclass
class Report:
    period: Period
    calls_per_day: list[dict[str, Any]]
    call_totals: dict[str, int]
    by_category: list[tuple[str, int]]
    by_kecamatan: list[tuple[str, int]]
    agency_times: list[dict[str, Any]]
    within_target: dict[str, Any]


def _calls_per_day(tenant: Tenant, period: Period) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Calls counted per local day and type in SQL (at most days × types rows come back)."""
    tz = ZoneInfo(tenant.time_zone)
    per_day: dict[dt.date, Counter[str]] = {d: Counter() for d in period.days()}
    counted = (
        Call.objects.filter(
            tenant=tenant, received_at__gte=period.start, received_at__lt=period.end
        )
        .annotate(day=TruncDate("received_at", tzinfo=tz))
        .values("day", "call_type")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for found in counted:
        per_day.setdefault(found["day"], Counter())[found["call_type"]] += found["n"]
    rows = []
    totals: Counter[str] = Counter()
    for day in sorted(per_day):
        c = per_day[day]
        invalid = sum(c[t] for t in INVALID_CALL_TYPES)
        row: dict[str, Any] = {
            "date": day,
            **{t: c[t] for t in CallType.values},
            "valid": sum(c.values()) - invalid,
            "invalid": invalid,
        }
        rows.append(row)
        totals.update({k: int(v) for k, v in row.items() if k != "date"})
    return rows, dict(totals)


def _grouped(incidents: QuerySet[Incident], field: str) -> list[tuple[str, int]]:
    counted = incidents.values(field).annotate(n=Count("pk", distinct=True)).order_by("-n", field)
    return [(row[field] or "-", row["n"]) for row in counted]


def build(tenant: Tenant, period: Period) -> Report:
    """The month's figures, counted in the database. Only the response-time distributions
    read values back: one row of five durations (computed in SQL) per dispatch of the month,
    for the medians, 90th percentiles and histogram buckets."""
    calls_per_day, call_totals = _calls_per_day(tenant, period)
    incidents = Incident.objects.filter(
        tenant=tenant, received_at__gte=period.start, received_at__lt=period.end
    ).exclude(calls__call_type__in=INVALID_CALL_TYPES)

    durations = (
        Dispatch.objects.filter(incident__in=incidents.values("pk"))
        .annotate(
            intake_dispatch=SecondsBetween("incident__received_at", "dispatched_at"),
            dispatch_moving=SecondsBetween("dispatched_at", "en_route_at"),
            moving_scene=SecondsBetween("en_route_at", "on_scene_at"),
            intake_moving=SecondsBetween("incident__received_at", "en_route_at"),
            intake_scene=SecondsBetween("incident__received_at", "on_scene_at"),
        )
        .values_list("agency__short_name", *STAGES)
        .order_by()
    )
    per_agency: dict[str, dict[str, Distribution]] = {}
    for name, *seconds in durations:
        stages = per_agency.setdefault(name, {k: Distribution() for k in STAGES})
        for key, value in zip(STAGES, seconds, strict=True):
            if value is not None:
                # SQLite's julianday is exact to about a millisecond: round to 0.001 min
                stages[key].values.append(round(max(0.0, value) / 60, 3))
    agency_times = [{"agency": name, **stages} for name, stages in sorted(per_agency.items())]

    policy = policy_for(tenant)
    dispatch_target = dt.timedelta(minutes=policy.dispatch_target_minutes)
    moving_target = dt.timedelta(minutes=policy.moving_target_minutes)
    counts = incidents.order_by().aggregate(
        dispatched=Count("pk", distinct=True, filter=Q(dispatched_at__isnull=False)),
        dispatch_within=Count(
            "pk", distinct=True, filter=Q(dispatched_at__lte=F("received_at") + dispatch_target)
        ),
        moving=Count("pk", distinct=True, filter=Q(en_route_at__isnull=False)),
        moving_within=Count(
            "pk", distinct=True, filter=Q(en_route_at__lte=F("received_at") + moving_target)
        ),
    )
    within: dict[str, Any] = {
        "dispatch_target": policy.dispatch_target_minutes,
        "moving_target": policy.moving_target_minutes,
        **counts,
    }
    within["dispatch_share"] = _share(within["dispatch_within"], within["dispatched"])
    within["moving_share"] = _share(within["moving_within"], within["moving"])
    return Report(
        period=period,
        calls_per_day=calls_per_day,
        call_totals=call_totals,
        by_category=_grouped(incidents, "category__name"),
        by_kecamatan=_grouped(incidents, "kelurahan__parent__name"),
        agency_times=agency_times,
        within_target=within,
    )


STAGES = ["intake_dispatch", "dispatch_moving", "moving_scene", "intake_moving", "intake_scene"]


def _share(part: object, whole: object) -> float | None:
    assert isinstance(part, int) and isinstance(whole, int)  # noqa: S101
    return round(100 * part / whole, 1) if whole else None
