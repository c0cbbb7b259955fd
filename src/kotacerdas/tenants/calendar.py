"""Working-time arithmetic on a tenant's calendar: weekdays, office hours and holidays.

SLA clocks in every app go through ``deadline``: a duration is an amount and a
unit, counted in calendar hours, working hours or working days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kotacerdas.tenants.models import Holiday, Tenant


class DurationUnit(StrEnum):
    HOURS = "hours"
    WORKING_HOURS = "working_hours"
    WORKING_DAYS = "working_days"


DURATION_UNIT_CHOICES = [
    (DurationUnit.HOURS.value, _("jam (kalender)")),
    (DurationUnit.WORKING_HOURS.value, _("jam kerja")),
    (DurationUnit.WORKING_DAYS.value, _("hari kerja")),
]

_MAX_DAYS_SCANNED = 3 * 366  # a calendar with no working day at all must not loop forever


@dataclass(frozen=True)
class WorkCalendar:
    zone: ZoneInfo
    weekdays: frozenset[int]
    start: dt.time
    end: dt.time
    holidays: frozenset[dt.date]

    @classmethod
    def for_tenant(cls, tenant: Tenant, *, around: dt.datetime | None = None) -> WorkCalendar:
        """Loads the tenant's holidays (its own and national) for two years around ``around``."""
        holidays = Holiday.objects.filter(Q(tenant=tenant) | Q(tenant__isnull=True))
        if around is not None:
            holidays = holidays.filter(
                date__year__gte=around.year - 1, date__year__lte=around.year + 2
            )
        return cls(
            zone=ZoneInfo(tenant.time_zone),
            weekdays=frozenset(int(d) for d in tenant.working_weekdays),
            start=tenant.workday_start,
            end=tenant.workday_end,
            holidays=frozenset(holidays.values_list("date", flat=True)),
        )

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() in self.weekdays and day not in self.holidays

    def next_working_day(self, day: dt.date) -> dt.date:
        for _i in range(_MAX_DAYS_SCANNED):
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                return day
        raise ValueError("calendar has no working day")

    def add_working_days(self, start: dt.datetime, days: int) -> dt.datetime:
        """The same local time ``days`` working days later.

        A start outside working days counts from the next working day's opening time.
        """
        local = start.astimezone(self.zone)
        if not self.is_working_day(local.date()):
            day = self.next_working_day(local.date())
            local = dt.datetime.combine(day, self.start, tzinfo=self.zone)
        day = local.date()
        for _i in range(days):
            day = self.next_working_day(day)
        return dt.datetime.combine(
            day, local.timetz().replace(tzinfo=None), tzinfo=self.zone
        ).astimezone(dt.UTC)

    def add_working_hours(self, start: dt.datetime, hours: float) -> dt.datetime:
        """``hours`` of office time after ``start``, skipping nights, weekends and holidays."""
        remaining = dt.timedelta(hours=hours)
        local = start.astimezone(self.zone)
        day = local.date()
        for _i in range(_MAX_DAYS_SCANNED):
            if self.is_working_day(day):
                opens = dt.datetime.combine(day, self.start, tzinfo=self.zone)
                closes = dt.datetime.combine(day, self.end, tzinfo=self.zone)
                begin = max(local, opens)
                if begin < closes:
                    available = closes - begin
                    if remaining <= available:
                        return (begin + remaining).astimezone(dt.UTC)
                    remaining -= available
            day += dt.timedelta(days=1)
            local = dt.datetime.combine(day, dt.time(0, 0), tzinfo=self.zone)
        raise ValueError("calendar has no working time")

    def working_seconds_between(self, start: dt.datetime, end: dt.datetime) -> float:
        """Office time between two instants, in seconds (0 if ``end`` is not after ``start``)."""
        if end <= start:
            return 0.0
        total = 0.0
        a, b = start.astimezone(self.zone), end.astimezone(self.zone)
        day = a.date()
        while day <= b.date():
            if self.is_working_day(day):
                opens = max(a, dt.datetime.combine(day, self.start, tzinfo=self.zone))
                closes = min(b, dt.datetime.combine(day, self.end, tzinfo=self.zone))
                if closes > opens:
                    total += (closes - opens).total_seconds()
            day += dt.timedelta(days=1)
        return total

    def deadline(self, start: dt.datetime, amount: float, unit: str) -> dt.datetime:
        match DurationUnit(unit):
            case DurationUnit.HOURS:
                return start + dt.timedelta(hours=amount)
            case DurationUnit.WORKING_HOURS:
                return self.add_working_hours(start, amount)
            case DurationUnit.WORKING_DAYS:
                return self.add_working_days(start, int(amount))


def deadline(tenant: Tenant, start: dt.datetime, amount: float, unit: str) -> dt.datetime:
    """When a clock that starts at ``start`` runs out on ``tenant``'s calendar."""
    return WorkCalendar.for_tenant(tenant, around=start).deadline(start, amount, unit)
