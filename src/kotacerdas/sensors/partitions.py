"""Monthly partitions of ``sensors_reading`` on PostgreSQL: created ahead, dropped after the
retention (``SENSORS_RAW_RETENTION_DAYS``; rollups are kept). On SQLite, retention deletes rows."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction

NAME = re.compile(r"^sensors_reading_p(\d{4})(\d{2})$")


def month_add(d: dt.date, add: int) -> dt.date:
    index = d.year * 12 + d.month - 1 + add
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass
class Plan:
    create: list[dt.date] = field(default_factory=list)
    drop: list[str] = field(default_factory=list)
    delete_before: dt.datetime | None = None
    deleted_rows: int = 0


def existing_partitions() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'sensors_reading' "
            "ORDER BY c.relname"
        )
        return [row[0] for row in cursor.fetchall()]


def plan(
    *, today: dt.date, months_ahead: int | None = None, retention_days: int | None = None
) -> Plan:
    months_ahead = settings.SENSORS_PARTITION_MONTHS_AHEAD if months_ahead is None else months_ahead
    retention_days = (
        settings.SENSORS_RAW_RETENTION_DAYS if retention_days is None else retention_days
    )
    cutoff = today - dt.timedelta(days=retention_days)
    result = Plan()
    if connection.vendor != "postgresql":
        result.delete_before = dt.datetime.combine(cutoff, dt.time(), tzinfo=dt.UTC)
        return result
    have = set(existing_partitions())
    for add in range(0, months_ahead + 1):
        start = month_add(today, add)
        if f"sensors_reading_p{start:%Y%m}" not in have:
            result.create.append(start)
    for name in sorted(have):
        match = NAME.match(name)
        if not match:
            continue
        start = dt.date(int(match[1]), int(match[2]), 1)
        # A whole month is dropped only when its last day is older than the retention.
        if month_add(start, 1) <= cutoff:
            result.drop.append(name)
    return result


@transaction.atomic
def apply(p: Plan) -> Plan:
    with connection.cursor() as cursor:
        for start in p.create:
            end = month_add(start, 1)
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS sensors_reading_p{start:%Y%m} PARTITION OF "
                f"sensors_reading FOR VALUES FROM ('{start.isoformat()}') TO ('{end.isoformat()}')"
            )
        for name in p.drop:
            assert NAME.match(name)  # noqa: S101 - only our own partition names reach SQL
            cursor.execute(f"DROP TABLE {name}")
        if p.delete_before is not None:
            cursor.execute(
                "DELETE FROM sensors_reading WHERE ts < %s",
                [connection.ops.adapt_datetimefield_value(p.delete_before)],
            )
            p.deleted_rows = cursor.rowcount
    return p
