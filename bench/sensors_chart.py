"""A one-year chart of one sensor with a large raw table: from the rollups, and (for contrast)
from the raw rows, on PostgreSQL. Run it on a throwaway database: it leaves the rows behind.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/kc_sensors_chart \\
        .venv/bin/python bench/sensors_chart.py [--rows 100000000] [--devices 100]

1. ``--rows`` raw water-level readings spread evenly over the last 365 days across
   ``--devices`` devices, written by ``generate_series`` straight into the monthly partitions
   of ``sensors_reading`` (the partitions are created first, as the scheduled command does).
2. The chart device's hourly and daily rollups are built from its raw rows in SQL (what the
   ingestion folds in batch by batch).
3. The one-year chart as the device page asks for it (``selectors.history``: 365 daily rollup
   rows), and the same chart computed from the raw rows with ``date_trunc``; median of 5 runs.

Prints JSON with the sizes and times.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.settings")


def median_ms(run, times: int = 5) -> float:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(times):
        t0 = time.perf_counter()
        run()
        samples.append((time.perf_counter() - t0) * 1000)
    return round(statistics.median(samples), 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000_000)
    parser.add_argument("--devices", type=int, default=100)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        sys.exit("run on PostgreSQL (DATABASE_URL=postgresql://…)")
    call_command("migrate", verbosity=0)
    from kotacerdas.regions.loader import load_regions
    from kotacerdas.sensors import partitions, selectors
    from kotacerdas.sensors.services import device_register
    from kotacerdas.tenants import demo as tenants_demo
    from kotacerdas.tenants.models import Tenant

    if not Tenant.objects.filter(region_id="36.73").exists():
        load_regions(prefix="36")
        tenants_demo.load_demo(password="bench")
    tenant = Tenant.objects.get(region_id="36.73")
    stamp = int(time.time())
    devices = [
        device_register(
            tenant=tenant,
            actor=None,
            name=f"Chart {i}",
            kind="water_level",
            uid=f"bench-chart-{stamp}-{i}",
        ).device
        for i in range(args.devices)
    ]
    end = dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    start = end - dt.timedelta(days=365)
    months = []
    month = start.date().replace(day=1)
    while month <= end.date():
        months.append(month)
        month = partitions.month_add(month, 1)
    partitions.apply(partitions.Plan(create=months))

    per_device = args.rows // args.devices
    step_s = 365 * 86400 / per_device
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        for device in devices:
            with transaction.atomic():
                cursor.execute(
                    "INSERT INTO sensors_reading (device_id, quantity, ts, value) "
                    "SELECT %s, 'water_level', %s + g * make_interval(secs => %s), "
                    "120 + 60 * sin(g / 500.0) + (g %% 7) "
                    "FROM generate_series(0, %s - 1) AS g",
                    [device.pk, start, step_s, per_device],
                )
    generate_s = time.perf_counter() - t0
    rows = per_device * args.devices
    chart = devices[0]
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO sensors_rollup (device_id, quantity, bucket, start, count, total, "
            "minimum, maximum) "
            "SELECT device_id, quantity, b.bucket, date_trunc(b.bucket, ts, 'UTC'), count(*), "
            "sum(value), min(value), max(value) "
            "FROM sensors_reading CROSS JOIN (VALUES ('hour'), ('day')) AS b (bucket) "
            "WHERE device_id = %s AND quantity = 'water_level' GROUP BY 1, 2, 3, 4",
            [chart.pk],
        )
    rollup_s = time.perf_counter() - t0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(pg_total_relation_size(inhrelid)), 0) FROM pg_inherits "
            "WHERE inhparent = 'sensors_reading'::regclass"
        )
        raw_bytes = int(cursor.fetchone()[0])
        cursor.execute("SELECT count(*) FROM sensors_reading")
        total_rows = cursor.fetchone()[0]

    points: list[object] = []

    def from_rollups() -> None:
        points[:] = selectors.history(chart, "water_level", start=start, end=end)

    def from_raw() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT date_trunc('day', ts, 'UTC'), min(value), avg(value), max(value), "
                "count(*) FROM sensors_reading WHERE device_id = %s AND quantity = 'water_level' "
                "AND ts >= %s AND ts < %s GROUP BY 1 ORDER BY 1",
                [chart.pk, start, end],
            )
            cursor.fetchall()

    rollup_ms = median_ms(from_rollups)
    raw_ms = median_ms(from_raw)
    print(
        json.dumps(
            {
                "date": dt.datetime.now(dt.UTC).isoformat(timespec="minutes"),
                "machine": f"{os.cpu_count()} cores (shared)",
                "raw_rows_generated": rows,
                "raw_rows_in_table": total_rows,
                "raw_table_bytes": raw_bytes,
                "devices": args.devices,
                "chart_device_raw_rows": per_device,
                "generate_s": round(generate_s, 1),
                "chart_device_rollups_build_s": round(rollup_s, 2),
                "one_year_chart_points": len(points),
                "one_year_chart_from_rollups_ms": rollup_ms,
                "one_year_chart_from_raw_ms": raw_ms,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
