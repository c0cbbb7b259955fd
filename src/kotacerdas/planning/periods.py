"""Reporting periods (months or quarters) and their due dates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kotacerdas.planning.models import Frequency


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    label: str

    def due(self, due_days: int) -> dt.date:
        return self.end + dt.timedelta(days=due_days)


def _month_end(year: int, month: int) -> dt.date:
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def period_containing(day: dt.date, frequency: str) -> Period:
    if frequency == Frequency.MONTHLY:
        return Period(day.replace(day=1), _month_end(day.year, day.month), f"{day:%Y-%m}")
    quarter = (day.month - 1) // 3 + 1
    first_month = 3 * quarter - 2
    return Period(
        dt.date(day.year, first_month, 1),
        _month_end(day.year, first_month + 2),
        f"{day.year}-T{quarter}",
    )


def period_from_start(start: dt.date, frequency: str) -> Period | None:
    """The period that begins exactly on ``start``, or None if ``start`` begins no period."""
    period = period_containing(start, frequency)
    return period if period.start == start else None


def ended_periods(since: dt.date, until: dt.date, frequency: str) -> list[Period]:
    """Every period that begins on or after the period of ``since`` and has ended before ``until``."""
    periods = []
    period = period_containing(since, frequency)
    while period.end < until:
        periods.append(period)
        period = period_containing(period.end + dt.timedelta(days=1), frequency)
    return periods
