"""Statistics of the 112 desk for a period. Ghost and prank calls never reach incident
statistics: incidents come only from normal calls (or escalated complaints)."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

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


def _minutes(a: dt.datetime | None, b: dt.datetime | None) -> float | None:
    if a is None or b is None:
        return None
    return max(0.0, (b - a).total_seconds() / 60)


@dataclass
class Report:
    period: Period
    calls_per_day: list[dict[str, Any]]
    call_totals: dict[str, int]
    by_category: list[tuple[str, int]]
    by_kecamatan: list[tuple[str, int]]
    agency_times: list[dict[str, Any]]
    within_target: dict[str, Any]


def build(tenant: Tenant, period: Period) -> Report:
    tz = ZoneInfo(tenant.time_zone)
    calls = Call.objects.filter(
        tenant=tenant, received_at__gte=period.start, received_at__lt=period.end
    )
    per_day: dict[dt.date, Counter[str]] = {d: Counter() for d in period.days()}
    for received_at, call_type in calls.values_list("received_at", "call_type"):
        per_day.setdefault(timezone.localtime(received_at, tz).date(), Counter())[call_type] += 1
    rows = []
    totals: Counter[str] = Counter()
    for day in sorted(per_day):
        c = per_day[day]
        invalid = sum(c[t] for t in INVALID_CALL_TYPES)
        row = {
            "date": day,
            **{t: c[t] for t in CallType.values},
            "valid": sum(c.values()) - invalid,
            "invalid": invalid,
        }
        rows.append(row)
        totals.update({k: int(v) for k, v in row.items() if k != "date"})  # type: ignore[call-overload]

    incidents = list(
        Incident.objects.filter(
            tenant=tenant, received_at__gte=period.start, received_at__lt=period.end
        )
        .exclude(calls__call_type__in=INVALID_CALL_TYPES)
        .select_related("category", "kelurahan__parent")
        .distinct()
    )
    by_category = Counter(i.category.name for i in incidents).most_common()
    by_kecamatan = Counter(
        i.kelurahan.parent.name if i.kelurahan is not None and i.kelurahan.parent else "-"
        for i in incidents
    ).most_common()

    policy = policy_for(tenant)
    ids = [i.pk for i in incidents]
    per_agency: dict[str, dict[str, Distribution]] = {}
    for d in Dispatch.objects.filter(incident_id__in=ids).select_related("agency", "incident"):
        stages = per_agency.setdefault(d.agency.short_name, {k: Distribution() for k in STAGES})
        for key, value in (
            ("intake_dispatch", _minutes(d.incident.received_at, d.dispatched_at)),
            ("dispatch_moving", _minutes(d.dispatched_at, d.en_route_at)),
            ("moving_scene", _minutes(d.en_route_at, d.on_scene_at)),
            ("intake_moving", _minutes(d.incident.received_at, d.en_route_at)),
            ("intake_scene", _minutes(d.incident.received_at, d.on_scene_at)),
        ):
            if value is not None:
                stages[key].values.append(value)
    agency_times = [{"agency": name, **stages} for name, stages in sorted(per_agency.items())]

    dispatched = [_minutes(i.received_at, i.dispatched_at) for i in incidents if i.dispatched_at]
    moving = [_minutes(i.received_at, i.en_route_at) for i in incidents if i.en_route_at]
    within: dict[str, Any] = {
        "dispatch_target": policy.dispatch_target_minutes,
        "moving_target": policy.moving_target_minutes,
        "dispatched": len(dispatched),
        "dispatch_within": sum(
            1 for m in dispatched if m is not None and m <= policy.dispatch_target_minutes
        ),
        "moving": len(moving),
        "moving_within": sum(
            1 for m in moving if m is not None and m <= policy.moving_target_minutes
        ),
    }
    within["dispatch_share"] = _share(within["dispatch_within"], within["dispatched"])
    within["moving_share"] = _share(within["moving_within"], within["moving"])
    return Report(
        period=period,
        calls_per_day=rows,
        call_totals=dict(totals),
        by_category=by_category,
        by_kecamatan=by_kecamatan,
        agency_times=agency_times,
        within_target=within,
    )


STAGES = ["intake_dispatch", "dispatch_moving", "moving_scene", "intake_moving", "intake_scene"]


def _share(part: object, whole: object) -> float | None:
    assert isinstance(part, int) and isinstance(whole, int)  # noqa: S101
    return round(100 * part / whole, 1) if whole else None
