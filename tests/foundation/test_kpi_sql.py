"""Percentiles and medians are computed in the database, on PostgreSQL and on SQLite alike,
and match percentile_cont computed by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import F, QuerySet
from django.db.models.functions import ExtractDay

from kotacerdas.core.kpi_sql import median, percentiles
from kotacerdas.tenants.models import Holiday, Tenant

pytestmark = pytest.mark.django_db


def _days(tenant: Tenant, days: list[int]) -> None:
    Holiday.objects.bulk_create(
        Holiday(tenant=tenant, date=dt.date(2031, 1, day), name=f"uji {day}") for day in days
    )


def _of_2031() -> QuerySet[Holiday]:
    return Holiday.objects.filter(date__year=2031)


def test_percentiles_per_group_interpolate_between_the_nearest_ranks(
    kota: Tenant, kab: Tenant
) -> None:
    _days(kota, [10, 1, 4, 2, 3])  # sorted 1 2 3 4 10
    _days(kab, [7, 5])
    found = percentiles(
        _of_2031(),
        {"day": ExtractDay("date"), "twice": ExtractDay("date") * 2},
        [0, 0.5, 0.9, 1],
        group_by=["tenant__slug"],
    )
    # p90 of five: rank 0.9 * 4 = 3.6, so 4 + 0.6 * (10 - 4) = 7.6; of two: 5 + 0.9 * 2.
    assert found[(kota.slug,)]["day"] == pytest.approx([1.0, 3.0, 7.6, 10.0])
    assert found[(kota.slug,)]["twice"] == pytest.approx([2.0, 6.0, 15.2, 20.0])
    assert found[(kab.slug,)]["day"] == pytest.approx([5.0, 6.0, 6.8, 7.0])
    assert set(found) == {(kota.slug,), (kab.slug,)}


def test_median_of_an_even_count_is_the_mean_of_the_middle_two(kota: Tenant) -> None:
    _days(kota, [9, 2, 4, 30])
    assert median(_of_2031(), ExtractDay("date")) == pytest.approx(6.5)
    assert percentiles(_of_2031(), {"day": ExtractDay("date")}, [0.25])[()]["day"] == [3.5]


def test_no_rows_no_median_and_a_group_only_where_there_are_rows(kota: Tenant, kab: Tenant) -> None:
    _days(kota, [3])
    _days(kab, [8])
    only_kota = _of_2031().annotate(day=ExtractDay("date")).filter(tenant=kota)
    assert median(_of_2031().filter(tenant__slug="tidak-ada"), ExtractDay("date")) is None
    found = percentiles(only_kota, {"day": F("day")}, [0.5], group_by=["tenant__slug"])
    assert found == {(kota.slug,): {"day": [3.0]}}


def test_month_starts_are_the_local_first_instants_of_every_month_touched() -> None:
    from zoneinfo import ZoneInfo

    from kotacerdas.core.kpi_sql import month_starts

    wib = ZoneInfo("Asia/Jakarta")
    # 15 November to 10 January, in WIB: November, December and January.
    starts = month_starts(
        dt.datetime(2026, 11, 15, tzinfo=wib), dt.datetime(2027, 1, 10, tzinfo=wib), "Asia/Jakarta"
    )
    assert starts == [
        dt.datetime(2026, 11, 1, tzinfo=wib),
        dt.datetime(2026, 12, 1, tzinfo=wib),
        dt.datetime(2027, 1, 1, tzinfo=wib),
    ]
    # 31 October 17:30 UTC is already 1 November in WIB; a period ending on a month's first
    # instant does not touch that month.
    starts = month_starts(
        dt.datetime(2026, 10, 31, 17, 30, tzinfo=dt.UTC),
        dt.datetime(2026, 12, 1, tzinfo=wib),
        "Asia/Jakarta",
    )
    assert starts == [dt.datetime(2026, 11, 1, tzinfo=wib)]
