"""The leaders' command centre at scale: the overview with 1,000,000 complaints, 1,000,000
service applications and 500,000 112 calls (issue #13: warm < 300 ms, cold < 2 s).

Usage (PostgreSQL; the database is created, migrated and loaded with the demo first):
    .venv/bin/python bench/dashboard.py --db postgresql://postgres@127.0.0.1:5432/kc_dashboard_bench

Rows are bulk-loaded with one ``INSERT … SELECT generate_series`` per table for Kota Serang,
spread over the last 13 months (complaints with one disposition each, half answered; two
thirds of the applications completed; a fifth of the calls prank/ghost, a tenth incidents).
Then, in process through Django's test client as ``pimpinan-kota``:
- cold: the cache cleared before each request (every KPI of this and the previous month
  computed, on ``DASHBOARD_WORKERS`` connections at once), median of 3, and the same on one
  connection (``DASHBOARD_WORKERS=1``) in the same run;
- warm: the same request served from the cache, median of 10;
- trend cold: the 12-month sparkline data (``tren.json``) with the cache cleared;
- baseline, in the same run: a bare ``SELECT count(*)`` of this month's rows of each of the
  three tables (what any figure must at least read).
Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]


def prepare_database(url: str, *, fresh: bool) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and not fresh:
            return
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run(
        [sys.executable, "-m", "kotacerdas.cli", "setup", "--demo", "--demo-password", "bench"],
        env=env,
        check=True,
        cwd=ROOT,
    )


def series_insert(model: Any, count: int, values: dict[str, str]) -> str:
    """``INSERT INTO <table> (every column) SELECT … FROM generate_series(1, count) AS g``:
    ``values`` gives the SQL of some columns (``g`` is the row number); the others get a
    neutral value of their type (NULL when nullable)."""
    return insert_select(model, values, f"generate_series(1, {count}) AS g")


def insert_select(model: Any, values: dict[str, str], source: str) -> str:
    """``INSERT INTO <table> (every column) SELECT … FROM <source>``, as ``series_insert``."""
    from django.db import models

    columns, exprs = [], []
    for field in model._meta.concrete_fields:
        if isinstance(field, models.AutoField | models.BigAutoField):
            continue
        column = field.column
        columns.append(f'"{column}"')
        if column in values:
            exprs.append(values[column])
        elif field.null:
            exprs.append("NULL")
        elif isinstance(field, models.UUIDField):
            exprs.append("gen_random_uuid()")
        elif isinstance(field, models.JSONField):
            exprs.append("'{}'::jsonb")
        elif isinstance(field, models.BooleanField):
            exprs.append("false")
        elif isinstance(field, models.DateTimeField):
            exprs.append("now()")
        elif isinstance(field, models.IntegerField | models.FloatField | models.DecimalField):
            exprs.append("0")
        else:
            exprs.append("''")
    return (
        f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "
        f"SELECT {', '.join(exprs)} FROM {source}"
    )


def load(complaints: int, applications: int, calls: int) -> dict[str, float]:
    from django.db import connection, transaction

    from kotacerdas.accounts.models import User
    from kotacerdas.complaints.models import Category, Complaint, Disposition
    from kotacerdas.emergency.models import Call, Incident, IncidentCategory
    from kotacerdas.regions.models import Region
    from kotacerdas.services.models import Application, Service
    from kotacerdas.tenants.models import Tenant

    kota = Tenant.objects.get(region_id="36.73")
    if Complaint.objects.filter(tenant=kota, ticket__startswith="B-").exists():
        return {}
    category = Category.objects.filter(tenant=kota).first()
    service = Service.objects.filter(tenant=kota).first()
    incident_kind = IncidentCategory.objects.filter(tenant=kota).first()
    village = Region.objects.filter(code__startswith="36.73.", level=4).first()
    citizen = User.objects.get(username="warga-demo")
    taker = User.objects.get(username="calltaker-kota")
    assert category and service and incident_kind and village
    # Spread over 400 days back from now; every 7th still open, every 11th reopened.
    at = "now() - (g % 400) * interval '1 day' - (g % 1440) * interval '1 minute'"
    seconds: dict[str, float] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        start = time.perf_counter()
        cursor.execute(
            series_insert(
                Complaint,
                complaints,
                {
                    "tenant_id": str(kota.pk),
                    "ticket": "'B-' || g",
                    "tracking_token": "md5(g::text) || 'b'",
                    "category_id": str(category.pk),
                    "description": "'bench'",
                    "region_id": f"'{village.code}'",
                    "lat": "-6.12 + (g % 100) * 0.001",
                    "long": "106.15 + (g % 97) * 0.001",
                    "status": "CASE WHEN g % 7 = 0 THEN 'diproses' ELSE 'selesai' END",
                    "created_at": at,
                    "updated_at": at,
                    "verify_due": at,
                    "due_at": f"({at}) + interval '3 days'",
                    "resolved_at": f"CASE WHEN g % 7 = 0 THEN NULL ELSE ({at}) + (g % 20) * interval '1 day' END",
                    "reopen_count": "CASE WHEN g % 11 = 0 THEN 1 ELSE 0 END",
                    "rating": "CASE WHEN g % 3 = 0 THEN 1 + g % 5 ELSE NULL END",
                },
            )
        )
        cursor.execute(
            insert_select(
                Disposition,
                {
                    "complaint_id": "c.id",
                    "opd_id": str(category.opd_id),
                    "created_at": "c.created_at",
                    "response_due": "c.created_at + interval '72 hours'",
                    "first_response_at": "CASE WHEN c.id % 2 = 0 THEN "
                    "c.created_at + (c.id % 100) * interval '1 hour' END",
                    "resolved_at": "c.resolved_at",
                    "is_active": "true",
                },
                "complaints_complaint c WHERE c.ticket LIKE 'B-%'",
            )
        )
        seconds["complaints"] = time.perf_counter() - start
        start = time.perf_counter()
        cursor.execute(
            series_insert(
                Application,
                applications,
                {
                    "tenant_id": str(kota.pk),
                    "service_id": str(service.pk),
                    "applicant_id": str(citizen.pk),
                    "number": "'B-' || g",
                    "status": "CASE WHEN g % 3 = 0 THEN 'submitted' ELSE 'completed' END",
                    "submitted_at": at,
                    "sla_deadline": f"({at}) + interval '24 hours'",
                    "completed_at": f"CASE WHEN g % 3 = 0 THEN NULL ELSE ({at}) + (g % 40) * interval '1 hour' END",
                    "created_at": at,
                    "updated_at": at,
                },
            )
        )
        seconds["applications"] = time.perf_counter() - start
        start = time.perf_counter()
        cursor.execute(
            series_insert(
                Call,
                calls,
                {
                    "tenant_id": str(kota.pk),
                    "caller_number": "'+62811' || (g % 100000)",
                    "caller_number_raw": "'0811' || (g % 100000)",
                    "call_type": "CASE WHEN g % 5 = 0 THEN 'prank' ELSE 'normal' END",
                    "taker_id": str(taker.pk),
                    "received_at": at,
                    "created_at": at,
                },
            )
        )
        cursor.execute(
            series_insert(
                Incident,
                calls // 10,
                {
                    "tenant_id": str(kota.pk),
                    "category_id": str(incident_kind.pk),
                    "kelurahan_id": f"'{village.code}'",
                    "landmark": "'bench'",
                    "description": "'bench'",
                    "state": "CASE WHEN g % 50 = 0 THEN 'new' ELSE 'closed' END",
                    "version": "1",
                    "received_at": at,
                    "created_at": at,
                    "dispatched_at": f"({at}) + (g % 10) * interval '1 minute'",
                    "en_route_at": f"({at}) + (g % 30) * interval '1 minute'",
                    "created_by_id": str(taker.pk),
                },
            )
        )
        seconds["calls"] = time.perf_counter() - start
    with connection.cursor() as cursor:
        # As autovacuum leaves a table in steady state: statistics and the visibility map
        # (without it PostgreSQL cannot answer a count from the index alone).
        cursor.execute("VACUUM ANALYZE")
    return {k: round(v, 1) for k, v in seconds.items()}


# Indexes the overview's period filters would use; they belong to the complaints and services
# apps (their owners add migrations), so the bench creates them only with --proposed-indexes.
PROPOSED_INDEXES = [
    "CREATE INDEX IF NOT EXISTS bench_complaint_resolved ON complaints_complaint "
    "(tenant_id, resolved_at)",
    "CREATE INDEX IF NOT EXISTS bench_disposition_created ON complaints_disposition (created_at)",
    "CREATE INDEX IF NOT EXISTS bench_application_submitted ON services_application "
    "(tenant_id, submitted_at)",
    "CREATE INDEX IF NOT EXISTS bench_application_completed ON services_application "
    "(tenant_id, completed_at)",
]


def proposed_indexes(create: bool) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in PROPOSED_INDEXES:
            if create:
                cursor.execute(sql)
            else:
                cursor.execute(f"DROP INDEX IF EXISTS {sql.split()[5]}")
        cursor.execute("ANALYZE")


def median_ms(fn: Any, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return round(statistics.median(samples) * 1000, 1)


def measure(acuan: str) -> dict[str, Any]:
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from kotacerdas.accounts.models import User
    from kotacerdas.complaints.models import Complaint
    from kotacerdas.dashboard import periods
    from kotacerdas.emergency.models import Call
    from kotacerdas.services.models import Application
    from kotacerdas.tenants.models import Tenant

    kota = Tenant.objects.get(region_id="36.73")
    client = Client()
    client.force_login(User.objects.get(username="pimpinan-kota"))
    month = f"?periode=bulan&acuan={acuan}" if acuan else ""
    overview = f"/kota-serang/pusat-komando/{month}"
    trend = f"/kota-serang/pusat-komando/tren.json{month}"

    def get(path: str) -> None:
        response = client.get(path)
        assert response.status_code == 200, response.status_code

    def cold(path: str) -> None:
        cache.clear()
        get(path)

    period = periods.parse(kota, {"acuan": acuan})

    def baseline() -> None:
        with connection.cursor() as cursor:
            for model, field in (
                (Complaint, "created_at"),
                (Application, "submitted_at"),
                (Call, "received_at"),
            ):
                cursor.execute(
                    f"SELECT count(*) FROM {model._meta.db_table} WHERE tenant_id = %s "
                    f"AND {field} >= %s AND {field} < %s",
                    [kota.pk, period.start, period.end],
                )
                cursor.fetchone()

    cache.clear()
    # Counted on one connection (the workers' queries are not captured here).
    with override_settings(DASHBOARD_WORKERS=1), CaptureQueriesContext(connection) as cold_queries:
        get(overview)
    # Read now: every request start empties the connection's query log.
    cold_query_count = len(cold_queries)
    with override_settings(DASHBOARD_WORKERS=1):
        one_connection_ms = median_ms(lambda: cold(overview), 3)
    result = {
        "rows": {
            "complaints": Complaint.objects.filter(tenant=kota).count(),
            "applications": Application.objects.filter(tenant=kota).count(),
            "calls": Call.objects.filter(tenant=kota).count(),
        },
        "at": timezone.now().isoformat(timespec="seconds"),
        "month": period.label,
        "overview_cold_ms": median_ms(lambda: cold(overview), 3),
        "overview_cold_workers": settings.DASHBOARD_WORKERS,
        "overview_cold_one_connection_ms": one_connection_ms,
        "overview_cold_queries": cold_query_count,
        "overview_warm_ms": median_ms(lambda: get(overview), 10),
        "trend_cold_ms": median_ms(lambda: cold(trend), 1),
        "baseline_three_counts_ms": median_ms(baseline, 5),
        "targets_ms": {"warm": 300, "cold": 2000},
    }
    cache.clear()
    get(overview)
    result["wall_fragment_warm_ms"] = median_ms(
        lambda: get(f"/kota-serang/pusat-komando/dinding/isi/{month}"), 10
    )
    return result


def per_kpi(acuan: str) -> dict[str, float]:
    """Each KPI alone on one connection, as a cold overview of this month computes it (its
    ``per_month`` over this month and the one before, else ``compute``; plus its breakdown
    and verdict), slowest first: where the cold overview's time goes."""
    from kotacerdas.core import kpis
    from kotacerdas.dashboard import periods
    from kotacerdas.tenants.models import Tenant

    kota = Tenant.objects.get(region_id="36.73")
    period = periods.parse(kota, {"acuan": acuan})
    before = periods.previous(kota, period)
    span = kpis.KpiQuery(kota, before.start, period.end)
    now = kpis.KpiQuery(kota, period.start, period.end)
    result = {}
    for kpi in kpis.registered():

        def run(kpi: kpis.Kpi = kpi) -> None:
            if kpi.per_month is not None and not kpi.snapshot:
                kpi.per_month(span)
            else:
                kpi.compute(now)
            if kpi.breakdown is not None:
                kpi.breakdown(now)
            if kpi.verdict is not None:
                kpi.verdict(now)

        result[kpi.key] = median_ms(run, 3)
    return dict(sorted(result.items(), key=lambda item: -item[1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True, help="PostgreSQL URL of a database to (re)create")
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database")
    parser.add_argument("--complaints", type=int, default=1_000_000)
    parser.add_argument("--applications", type=int, default=1_000_000)
    parser.add_argument("--calls", type=int, default=500_000)
    parser.add_argument(
        "--proposed-indexes",
        action="store_true",
        help="measure with the indexes proposed to the complaints and services apps",
    )
    parser.add_argument(
        "--per-kpi", action="store_true", help="also time each KPI alone (slowest first)"
    )
    parser.add_argument(
        "--acuan",
        default="",
        help="a day (YYYY-MM-DD) of the month to measure; this month by default (in its first "
        "days this month holds few rows: measure a full month)",
    )
    args = parser.parse_args()
    # The bulk load runs single statements of minutes: no statement timeout in this process.
    os.environ.setdefault("DB_STATEMENT_TIMEOUT_MS", "0")
    prepare_database(args.db, fresh=args.fresh)
    os.environ["DATABASE_URL"] = args.db
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    loaded = load(args.complaints, args.applications, args.calls)
    proposed_indexes(args.proposed_indexes)
    result = measure(args.acuan)
    if args.per_kpi:
        result["per_kpi_ms"] = per_kpi(args.acuan)
    result["proposed_indexes"] = args.proposed_indexes
    result["load_seconds"] = loaded
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
