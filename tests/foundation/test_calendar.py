from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from kotacerdas.tenants.calendar import WorkCalendar, deadline
from kotacerdas.tenants.models import Tenant

WIB = ZoneInfo("Asia/Jakarta")
pytestmark = pytest.mark.django_db


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=WIB)


def test_three_working_days_skip_the_weekend(kota: Tenant) -> None:
    # Thursday 2026-11-19 10:00 -> Fri, Mon, Tue: Tuesday 2026-11-24 10:00.
    assert deadline(kota, at(2026, 11, 19, 10), 3, "working_days") == at(2026, 11, 24, 10)


def test_working_days_skip_national_holidays(kota: Tenant) -> None:
    # Friday 2026-08-14 09:00; Monday 2026-08-17 is Independence Day.
    assert deadline(kota, at(2026, 8, 14, 9), 1, "working_days") == at(2026, 8, 18, 9)


def test_a_start_on_saturday_counts_from_monday_opening(kota: Tenant) -> None:
    assert deadline(kota, at(2026, 11, 21, 20), 1, "working_days") == at(2026, 11, 24, 8)


def test_calendar_hours_ignore_the_calendar(kota: Tenant) -> None:
    assert deadline(kota, at(2026, 11, 20, 15), 72, "hours") == at(2026, 11, 23, 15)


def test_working_hours_roll_over_nights_and_weekends(kota: Tenant) -> None:
    # Friday 15:00 + 3 office hours (08:00-16:00): 1 h on Friday, 2 h on Monday -> Monday 10:00.
    assert deadline(kota, at(2026, 11, 20, 15), 3, "working_hours") == at(2026, 11, 23, 10)


def test_tenant_holiday_applies_only_to_that_tenant(kota: Tenant, kab: Tenant) -> None:
    kota.holidays.create(date=dt.date(2026, 11, 24), name="Hari jadi (contoh)")
    assert deadline(kota, at(2026, 11, 23, 9), 1, "working_days") == at(2026, 11, 25, 9)
    assert deadline(kab, at(2026, 11, 23, 9), 1, "working_days") == at(2026, 11, 24, 9)


def test_working_seconds_between_counts_office_time_only(kota: Tenant) -> None:
    calendar = WorkCalendar.for_tenant(kota)
    # Friday 15:00 to Monday 09:00: 1 h Friday + 1 h Monday.
    assert calendar.working_seconds_between(at(2026, 11, 20, 15), at(2026, 11, 23, 9)) == 7200
    assert calendar.working_seconds_between(at(2026, 11, 23, 9), at(2026, 11, 20, 15)) == 0
