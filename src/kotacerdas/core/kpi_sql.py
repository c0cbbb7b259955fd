"""SQL building blocks for the apps' ``kpis.py``: durations and medians computed in the database.

Medians use ``percentile_cont(0.5)`` on PostgreSQL (one aggregate query). SQLite has no
percentile function, so there the median is read with two bounded queries: a count, then the
one or two middle values in index order (``ORDER BY … LIMIT 2 OFFSET n/2``), never the rows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connections
from django.db.models import Aggregate, Count, F, FloatField, Func, QuerySet
from django.db.models.expressions import Combinable
from django.db.models.functions import TruncMonth


class SecondsBetween(Func):
    """``end - start`` in seconds (float) for two datetime columns."""

    output_field = FloatField()
    arity = 2

    def __init__(self, start: str | Combinable, end: str | Combinable, **extra: Any) -> None:
        start_expr = F(start) if isinstance(start, str) else start
        end_expr = F(end) if isinstance(end, str) else end
        super().__init__(start_expr, end_expr, **extra)

    def as_sql(  # type: ignore[override]
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, list[Any]]:
        template = "(julianday(%(end)s) - julianday(%(start)s)) * 86400.0"
        if connection.vendor == "postgresql":
            template = "EXTRACT(EPOCH FROM (%(end)s - %(start)s))::double precision"
        start_sql, start_params = compiler.compile(self.source_expressions[0])
        end_sql, end_params = compiler.compile(self.source_expressions[1])
        return template % {"start": start_sql, "end": end_sql}, [*start_params, *end_params]


class Median(Aggregate):
    """The median (``percentile_cont(0.5)``) of an expression; PostgreSQL only."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def median(queryset: QuerySet[Any], expression: Func) -> float | None:
    """The median of ``expression`` over ``queryset`` (rows where it is NULL are left out);
    None when no row has a value. Computed in the database on both PostgreSQL and SQLite."""
    rows = queryset.annotate(_median_value=expression).filter(_median_value__isnull=False)
    if connections[queryset.db].vendor == "postgresql":
        value = rows.aggregate(m=Median("_median_value"))["m"]
        return None if value is None else float(value)
    count = rows.count()
    if not count:
        return None
    middle = list(
        rows.order_by("_median_value").values_list("_median_value", flat=True)[
            (count - 1) // 2 : count // 2 + 1
        ]
    )
    return float(sum(middle)) / len(middle)


def share(part: int, whole: int) -> float | None:
    """``part`` as a percentage of ``whole``; None when ``whole`` is zero (no data)."""
    return None if not whole else 100.0 * part / whole


def _first_day(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def per_month(
    queryset: QuerySet[Any], field: str, zone: str, **aggregates: Aggregate
) -> dict[dt.date, dict[str, Any]]:
    """``aggregates`` over ``queryset`` grouped by the calendar month of ``field`` in the time
    zone ``zone``, keyed by the month's first day: one grouped query."""
    rows = (
        queryset.order_by()
        .annotate(_month=TruncMonth(field, tzinfo=ZoneInfo(zone)))
        .values("_month")
        .annotate(**aggregates)
    )
    return {_first_day(row.pop("_month")): row for row in rows}


def median_per_month(
    queryset: QuerySet[Any], expression: Func, field: str, zone: str
) -> dict[dt.date, float]:
    """The median of ``expression`` per calendar month of ``field`` (as ``per_month``): one
    grouped query on PostgreSQL; on SQLite, :func:`median` for each month that has rows."""
    rows = queryset.annotate(_median_value=expression).filter(_median_value__isnull=False)
    if connections[queryset.db].vendor == "postgresql":
        grouped = per_month(rows, field, zone, m=Median("_median_value"))
        return {month: float(row["m"]) for month, row in grouped.items() if row["m"] is not None}
    tz = ZoneInfo(zone)
    result = {}
    for month in per_month(rows, field, zone, n=Count("pk")):
        start = dt.datetime(month.year, month.month, 1, tzinfo=tz)
        end = dt.datetime(month.year + month.month // 12, month.month % 12 + 1, 1, tzinfo=tz)
        value = median(queryset.filter(**{f"{field}__gte": start, f"{field}__lt": end}), expression)
        if value is not None:
            result[month] = value
    return result
