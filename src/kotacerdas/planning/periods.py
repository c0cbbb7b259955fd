"""Reporting periods (months or quarters) and their due dates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from kotacerdas.planning.models import Frequency


def period_label(start: dt.date, end: dt.date) -> str:
    """A period as people write it in the active language: "2026-03" for a month, "Triwulan 1
    2026" (English "Quarter 1 2026", as on the dashboard) for a quarter. Never stored: a report
    keeps its dates and is labelled when read."""
    if (start.year, start.month) == (end.year, end.month):
        return f"{start:%Y-%m}"
    return _("Triwulan %(q)s %(year)s") % {"q": (start.month - 1) // 3 + 1, "year": start.year}


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        return period_label(self.start, self.end)

    def due(self, due_days: int) -> dt.date:
        return self.end + dt.timedelta(days=due_days)


def _month_end(year: int, month: int) -> dt.date:
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def period_containing(day: dt.date, frequency: str) -> Period:
    if frequency == Frequency.MONTHLY:
        return Period(day.replace(day=1), _month_end(day.year, day.month))
    quarter = (day.month - 1) // 3 + 1
    first_month = 3 * quarter - 2
    return Period(dt.date(day.year, first_month, 1), _month_end(day.year, first_month + 2))


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
