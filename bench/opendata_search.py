"""CKAN API speed at scale: package_search paging (shallow and deep) and datastore_search with a
filter, each against the same query run directly in PostgreSQL in the same run.

Usage (an empty or earlier bench database; PostgreSQL only):
    createdb -h 127.0.0.1 -U postgres kc_opendata_bench
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/kc_opendata_bench \\
        .venv/bin/python bench/opendata_search.py [datasets=10000] [rows=1000000] [repeat=30]

Prepares (idempotently) Banten's regions, the Serang tenants, N published datasets of Kota
Serang with one CSV resource each, and one resource whose current version holds M datastore
rows (COPY). Then times through Django's test client (full middleware and view stack, no
network): package_search rows=100 sort="id asc" at start=0 and start=9000, and
datastore_search filters={"kode_kecamatan": …} limit=100 with the total. The baseline for each
is the equivalent SQL (page of ids + count; the page of rows + count) run with psycopg.
Prints JSON with p50/p95 in ms and the ratios.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
import django

django.setup()

from django.core.management import call_command  # noqa: E402 - after django.setup()
from django.db import connection  # noqa: E402 - after django.setup()
from django.test import Client  # noqa: E402 - after django.setup()
from django.utils import timezone  # noqa: E402 - after django.setup()

from kotacerdas.opendata.models import (  # noqa: E402 - after django.setup()
    Dataset,
    DatastoreRow,
    Resource,
    ResourceVersion,
    uuid7,
)
from kotacerdas.tenants.models import Opd, Tenant  # noqa: E402 - after django.setup()

PREFIX = "bench-"
KECAMATAN = [f"36.73.0{i}" for i in range(1, 7)]


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50_ms": round(statistics.median(ordered) * 1000, 2), "p95_ms": round(p95 * 1000, 2)}


def timed(fn: Any, repeat: int) -> dict[str, float]:
    fn()  # warm the caches once, as a busy portal's would be
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return percentiles(samples)


def prepare(n_datasets: int, n_rows: int) -> tuple[Tenant, Resource]:
    call_command("migrate", verbosity=0)
    if not Tenant.objects.filter(region_id="36.73").exists():
        from kotacerdas.regions.loader import load_regions
        from kotacerdas.tenants import demo as tenants_demo

        load_regions(prefix="36")
        tenants_demo.load_demo(password="bench-only")
    kota = Tenant.objects.get(region_id="36.73")
    opds = list(Opd.objects.filter(tenant=kota))
    existing = Dataset.objects.filter(tenant=kota, name__startswith=PREFIX).count()
    now = timezone.now()
    batch: list[Dataset] = []
    resources: list[Resource] = []
    for i in range(existing, n_datasets):
        dataset = Dataset(
            id=uuid7(),
            tenant=kota,
            opd=opds[i % len(opds)],
            name=f"{PREFIX}{i:06d}",
            title=f"Dataset uji {i} {'penduduk' if i % 7 == 0 else 'jalan'}",
            notes="Dataset untuk pengukuran kinerja.",
            status="published",
            created_at=now,
            modified_at=now,
            published_at=now,
        )
        batch.append(dataset)
        resources.append(Resource(id=uuid7(), dataset=dataset, name="data", format="CSV"))
        if len(batch) >= 2000:
            Dataset.objects.bulk_create(batch)
            Resource.objects.bulk_create(resources)
            batch, resources = [], []
    Dataset.objects.bulk_create(batch)
    Resource.objects.bulk_create(resources)

    big = Dataset.objects.filter(tenant=kota, name=f"{PREFIX}000000").get()
    resource = Resource.objects.filter(dataset=big).get()
    version = resource.versions.filter(ready=True).first()
    if version is None:
        version = ResourceVersion.objects.create(
            resource=resource,
            number=1,
            ready=True,
            schema={
                "fields": [
                    {"name": "kode_kecamatan", "type": "string"},
                    {"name": "tahun", "type": "integer"},
                    {"name": "jenis", "type": "string"},
                    {"name": "jumlah", "type": "integer"},
                ]
            },
            row_count=0,
        )
        Resource.objects.filter(pk=resource.pk).update(current_version=version)
    have = DatastoreRow.objects.filter(version=version).count()
    if have < n_rows:
        connection.ensure_connection()
        raw = connection.connection
        with (
            raw.cursor() as cursor,
            cursor.copy(
                "COPY opendata_datastorerow (version_id, row_number, data) FROM STDIN"
            ) as copy,
        ):
            for i in range(have + 1, n_rows + 1):
                data = {
                    "kode_kecamatan": KECAMATAN[i % len(KECAMATAN)],
                    "tahun": 2000 + i % 27,
                    "jenis": "L" if i % 2 else "P",
                    "jumlah": i % 9973,
                }
                copy.write_row((version.pk, i, json.dumps(data)))
        ResourceVersion.objects.filter(pk=version.pk).update(row_count=n_rows)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE opendata_datastorerow")
            cursor.execute("ANALYZE opendata_dataset")
    resource.refresh_from_db()
    return kota, resource


def main(n_datasets: int, n_rows: int, repeat: int) -> None:
    if connection.vendor != "postgresql":
        sys.exit("PostgreSQL only: set DATABASE_URL=postgresql://…")
    started = time.perf_counter()
    kota, resource = prepare(n_datasets, n_rows)
    prepared_s = round(time.perf_counter() - started, 1)
    client = Client()
    base = f"/{kota.slug}/api/3/action"
    published = Dataset.objects.filter(tenant=kota, status="published").count()

    def search(start: int) -> Any:
        def call() -> None:
            response = client.get(
                f"{base}/package_search", {"rows": 100, "start": start, "sort": "id asc"}
            )
            body = response.json()
            assert body["success"] and len(body["result"]["results"]) == 100, body

        return call

    def search_sql(start: int) -> Any:
        def call() -> None:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT id FROM opendata_dataset WHERE tenant_id = %s AND status = 'published' "
                    "ORDER BY id LIMIT 100 OFFSET %s",
                    [kota.pk, start],
                )
                assert len(cursor.fetchall()) == 100
                cursor.execute(
                    "SELECT count(*) FROM opendata_dataset WHERE tenant_id = %s AND status = 'published'",
                    [kota.pk],
                )
                cursor.fetchone()

        return call

    filters = {"kode_kecamatan": "36.73.03"}

    def datastore() -> None:
        response = client.get(
            f"{base}/datastore_search",
            {"resource_id": str(resource.pk), "filters": json.dumps(filters), "limit": 100},
        )
        body = response.json()
        assert body["success"] and len(body["result"]["records"]) == 100, body

    def datastore_sql() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT row_number, data FROM opendata_datastorerow WHERE version_id = %s "
                "AND data @> %s::jsonb ORDER BY row_number LIMIT 100",
                [resource.current_version_id, json.dumps(filters)],
            )
            assert len(cursor.fetchall()) == 100
            cursor.execute(
                "SELECT count(*) FROM opendata_datastorerow WHERE version_id = %s AND data @> %s::jsonb",
                [resource.current_version_id, json.dumps(filters)],
            )
            cursor.fetchone()

    results: dict[str, Any] = {
        "datasets_published": published,
        "datastore_rows": n_rows,
        "repeat": repeat,
        "prepare_s": prepared_s,
    }
    for name, api, sql in [
        ("package_search_start_0", search(0), search_sql(0)),
        ("package_search_start_9000", search(9000), search_sql(9000)),
        ("datastore_search_filter", datastore, datastore_sql),
    ]:
        api_t = timed(api, repeat)
        sql_t = timed(sql, repeat)
        results[name] = {
            "api": api_t,
            "sql_baseline": sql_t,
            "ratio_p50": round(api_t["p50_ms"] / sql_t["p50_ms"], 1) if sql_t["p50_ms"] else None,
        }
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    main(*(args + [10_000, 1_000_000, 30][len(args) :]))
