"""Statistics of the 112 desk for a period. Ghost and prank calls never reach incident
statistics: incidents come only from normal calls (or escalated complaints)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Case, Count, F, Max, Q, QuerySet, Value, When
from django.db.models.expressions import Combinable
from django.db.models.functions import Round, TruncDate
from django.db.models.lookups import LessThan

from kotacerdas.core.i18n import localized_column
from kotacerdas.core.kpi_sql import SecondsBetween, percentiles
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


@dataclass(frozen=True)
class Distribution:
    """One agency's times for one stage, in minutes: computed in SQL (``_distributions``)."""

    count: int = 0
    median: float | None = None
    p90: float | None = None
    maximum: float | None = None
    counts: tuple[int, ...] = (0,) * (len(BUCKETS) + 1)

    def buckets(self) -> list[int]:
        """How many times fall in each bucket of ``BUCKETS`` (the last one open-ended)."""
        return list(self.counts)


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


def _grouped(incidents: QuerySet[Incident], label: Combinable) -> list[tuple[str, int]]:
    counted = (
        incidents.values(label=label).annotate(n=Count("pk", distinct=True)).order_by("-n", "label")
    )
    return [(row["label"] or "-", row["n"]) for row in counted]


def build(tenant: Tenant, period: Period) -> Report:
    """The month's figures, counted in the database, response-time percentiles included."""
    calls_per_day, call_totals = _calls_per_day(tenant, period)
    incidents = Incident.objects.filter(
        tenant=tenant, received_at__gte=period.start, received_at__lt=period.end
    ).exclude(calls__call_type__in=INVALID_CALL_TYPES)

    agency_times = _distributions(Dispatch.objects.filter(incident__in=incidents.values("pk")))

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
        by_category=_grouped(incidents, localized_column("category__name")),
        by_kecamatan=_grouped(incidents, F("kelurahan__parent__name")),
        agency_times=agency_times,
        within_target=within,
    )


# Each stage: from which moment to which (``incident__received_at`` is the call's arrival).
STAGES = {
    "intake_dispatch": ("incident__received_at", "dispatched_at"),
    "dispatch_moving": ("dispatched_at", "en_route_at"),
    "moving_scene": ("en_route_at", "on_scene_at"),
    "intake_moving": ("incident__received_at", "en_route_at"),
    "intake_scene": ("incident__received_at", "on_scene_at"),
}


def _minutes(start: str, end: str) -> Round:
    # SQLite's julianday is exact to about a millisecond: round to 0.001 minute, so that a
    # time on a bucket's edge falls in that bucket on both databases.
    # (Not Greatest: PostgreSQL's ignores NULL, and a stage not reached must stay NULL.)
    seconds = SecondsBetween(start, end)
    clamped = Case(When(LessThan(seconds, 0.0), then=Value(0.0)), default=seconds)
    return Round(clamped / 60.0, 3)


def _bucket(stage: str, index: int) -> Q:
    upper = Q(**{f"{stage}__lte": BUCKETS[index]}) if index < len(BUCKETS) else Q()
    return upper & Q(**{f"{stage}__gt": BUCKETS[index - 1]}) if index else upper


def _distributions(dispatches: QuerySet[Dispatch]) -> list[dict[str, Any]]:
    """Per agency and stage: count, median, 90th percentile, maximum and histogram, all in
    SQL: one grouped query for the counts, and ``percentiles`` (one query on PostgreSQL, one
    per stage on SQLite). One row per agency comes back."""
    minutes = {stage: _minutes(start, end) for stage, (start, end) in STAGES.items()}
    found = percentiles(dispatches, minutes, [0.5, 0.9], group_by=["agency__short_name"])
    tallies = (
        dispatches.annotate(**minutes)
        .values("agency__short_name")
        .annotate(
            **{f"{stage}_n": Count(stage) for stage in STAGES},
            **{f"{stage}_top": Max(stage) for stage in STAGES},
            **{
                f"{stage}_{i}": Count("pk", filter=_bucket(stage, i))
                for stage in STAGES
                for i in range(len(BUCKETS) + 1)
            },
        )
        .order_by("agency__short_name")
    )
    result: list[dict[str, Any]] = []
    for row in tallies:
        name = row["agency__short_name"]
        times: dict[str, Any] = {"agency": name}
        for stage in STAGES:
            median, p90 = found.get((name,), {}).get(stage, [None, None])
            top = row[f"{stage}_top"]
            times[stage] = Distribution(
                count=row[f"{stage}_n"],
                median=None if median is None else round(median, 1),
                p90=None if p90 is None else round(p90, 1),
                maximum=None if top is None else round(top, 1),
                counts=tuple(row[f"{stage}_{i}"] for i in range(len(BUCKETS) + 1)),
            )
        result.append(times)
    return result


def _share(part: object, whole: object) -> float | None:
    assert isinstance(part, int) and isinstance(whole, int)  # noqa: S101
    return round(100 * part / whole, 1) if whole else None
