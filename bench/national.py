"""National scale (issue #12 item 5): 514 tenants, 10,000,000 complaints, 2,000,000 service
applications and 2,000,000 calls (112), against the same pages on the two Serang tenants alone.

Usage (PostgreSQL; three databases named after ``--db`` are created: ``<db>_template`` with
``setup --demo``, then ``<db>`` (national) and ``<db>_serang`` cloned from it):
    .venv/bin/python bench/national.py --db postgresql://postgres@127.0.0.1:5432/kc_national

Load. Every kabupaten/kota of the region list becomes a tenant (514; the two Serang tenants
keep their demo data: OPDs, categories, services, accounts). Rows are spread over the tenants
by a Zipf law (``--zipf``, share of the tenant of rank r proportional to r^-s): a few large
cities, a long tail of small regencies. Kota Serang takes rank 1 (the large tenant) and
Kabupaten Serang rank ``--small-rank`` (a small one), so that the Serang database holds those
two tenants with exactly the same row counts. Each table is filled with ``COPY`` (its
secondary indexes and foreign keys dropped first and rebuilt after, as ``pg_restore`` does),
with the rows the pages read: a disposition and one or two events per complaint, a photo for
one in ten, an event per application, an incident (with a dispatch) for one normal call in
ten, a desk event per call. Then ``VACUUM ANALYZE``.

Measure. In interleaved rounds (Serang database, national database, Serang, …), one process per
round and database, through Django's test client with the cache cleared before every request:
the Open311 GET (1,000 newest of the last 90 days), the OPD inbox (an OPD operator), the
complaint statistics page (the region administrator, this year), the services desk (the
Disdukcapil operator) and the 112 board fragment (the supervisor), each for the large and the
small tenant: the median of ``--repeat`` requests. Prints JSON: per page and tenant, the
medians of both databases, the ratio national/Serang of every round and its median and spread.
Target: no ratio above 1.5.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import random
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
LARGE, SMALL = "36.73", "36.04"  # Kota Serang, Kabupaten Serang
DAYS = 400  # rows are spread over the last 400 days
MINUTES = DAYS * 1440
TARGET_RATIO = 1.5
COPY_CHUNK = 20_000


# --- databases -------------------------------------------------------------------------------


def _with_name(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def _name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def _admin(url: str) -> Any:
    import psycopg

    return psycopg.connect(_with_name(url, "postgres"), autocommit=True)


def _exists(conn: Any, name: str) -> bool:
    return bool(conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone())


def ensure_template(url: str, *, fresh: bool) -> str:
    """``<db>_template``: migrated, regions loaded, the demo installed (once). Like
    ``bench/dashboard.py``'s ``prepare_database``, but setup's output stays off stdout, which
    carries only this script's JSON."""
    template = _with_name(url, f"{_name(url)}_template")
    with _admin(url) as conn:
        if _exists(conn, _name(template)) and not fresh:
            return template
        conn.execute(f'DROP DATABASE IF EXISTS "{_name(template)}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{_name(template)}"')
    env = {**os.environ, "DATABASE_URL": template}
    subprocess.run(
        [sys.executable, "-m", "kotacerdas.cli", "setup", "--demo", "--demo-password", "bench"],
        env=env,
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    return template


def clone(template: str, url: str) -> None:
    with _admin(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{_name(url)}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{_name(url)}" TEMPLATE "{_name(template)}"')


def is_loaded(url: str) -> bool:
    import psycopg

    with _admin(url) as admin:
        if not _exists(admin, _name(url)):
            return False
    with psycopg.connect(url) as conn:
        return bool(conn.execute("SELECT to_regclass('bench_national_loaded')").fetchone()[0])


# --- the plan: how many rows each tenant gets ------------------------------------------------


def zipf_counts(total: int, ranks: int, s: float) -> list[int]:
    """``total`` rows over ``ranks`` tenants, rank r (1-based) getting a share ∝ r^-s;
    rounded so that the counts add up to ``total``."""
    weights = [r**-s for r in range(1, ranks + 1)]
    scale = total / sum(weights)
    counts = [math.floor(w * scale) for w in weights]
    for i in range(total - sum(counts)):
        counts[i % ranks] += 1
    return counts


def plan(
    codes: list[str], *, sizes: dict[str, int], s: float, small_rank: int
) -> dict[str, dict[str, int]]:
    """Rows per tenant code and table: Kota Serang rank 1, Kabupaten Serang ``small_rank``,
    the other regencies in a fixed shuffled order."""
    rest = sorted(c for c in codes if c not in (LARGE, SMALL))
    random.Random(12).shuffle(rest)
    order = [LARGE, *rest]
    order.insert(small_rank - 1, SMALL)
    per_table = {table: zipf_counts(n, len(order), s) for table, n in sizes.items()}
    return {
        code: {table: counts[rank] for table, counts in per_table.items()}
        for rank, code in enumerate(order)
    }


# --- COPY with the indexes and foreign keys rebuilt after ------------------------------------


class Table:
    """Rows of one model written with ``COPY``: ``values`` names the columns a row sets; every
    other column gets a constant (NULL when nullable, else a neutral value of its type)."""

    def __init__(self, model: Any, columns: list[str], constants: dict[str, str]) -> None:
        from django.db import models

        self.model, self.name = model, model._meta.db_table
        self.columns = columns
        fixed: dict[str, str] = {}
        for field in model._meta.concrete_fields:
            column = field.column
            if column in columns:
                continue
            if column in constants:
                fixed[column] = constants[column]
            elif field.null:
                fixed[column] = r"\N"
            elif isinstance(field, models.JSONField):
                fixed[column] = "{}"
            elif isinstance(field, models.BooleanField):
                fixed[column] = "f"
            elif isinstance(field, models.IntegerField | models.FloatField | models.DecimalField):
                fixed[column] = "0"
            elif isinstance(field, models.CharField | models.TextField | models.FileField):
                fixed[column] = ""
            else:
                raise ValueError(f"{self.name}.{column} needs a value")
        self.all_columns = [*columns, *fixed]
        self.suffix = "".join(f"\t{v}" for v in fixed.values()) + "\n"

    def copy(self, cursor: Any, rows: Iterator[tuple[Any, ...]]) -> int:
        count, chunk = 0, []
        with cursor.copy(f"COPY {self.name} ({', '.join(self.all_columns)}) FROM STDIN") as copy:
            for row in rows:
                chunk.append("\t".join(map(str, row)) + self.suffix)
                if len(chunk) == COPY_CHUNK:
                    copy.write("".join(chunk))
                    count += len(chunk)
                    chunk = []
            copy.write("".join(chunk))
        return count + len(chunk)


def drop_secondary(cursor: Any, tables: list[str]) -> list[str]:
    """Drops the foreign keys, unique constraints and full indexes (not the primary keys nor
    the partial indexes) of ``tables``; returns the statements that rebuild them, indexes
    first."""
    rebuild_indexes, rebuild_constraints = [], []
    for table in tables:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid), contype FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype IN ('f', 'u')",
            [table],
        )
        constraints = cursor.fetchall()
        for name, definition, kind in constraints:
            target = rebuild_indexes if kind == "u" else rebuild_constraints
            target.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        # Partial indexes stay: they hold few rows (the open ones), and rebuilt from
        # pg_get_indexdef their predicate would read differently from the migration's.
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary AND i.indpred IS NULL",
            [table],
        )
        for name, definition in cursor.fetchall():
            rebuild_indexes.append(definition)
            cursor.execute(f"DROP INDEX {name}")
    return rebuild_indexes + rebuild_constraints


# --- the rows ----------------------------------------------------------------------------------


class Clock:
    """Timestamps as COPY text, by minute from ``DAYS`` days ago (strings made once)."""

    def __init__(self, now: dt.datetime) -> None:
        self.start = now.replace(second=0, microsecond=0) - dt.timedelta(days=DAYS)
        self.now_minute = MINUTES
        self.text = [
            (self.start + dt.timedelta(minutes=m)).strftime("%Y-%m-%d %H:%M:00+00")
            for m in range(MINUTES + 90 * 1440)
        ]


def _spread(count: int, rng: random.Random) -> Iterator[int]:
    """``count`` minutes over the period, ascending, slightly jittered."""
    step = MINUTES / max(count, 1)
    for i in range(count):
        yield min(MINUTES - 1, int(i * step + rng.random() * step))


OPEN_COMPLAINT = ("baru", "didisposisi", "diproses", "diproses")


def complaint_rows(
    tenant: Any, count: int, ids: dict[str, int], clock: Clock, parents: dict[str, Any]
) -> dict[str, list[tuple[Any, ...]]]:
    """Complaints of one tenant with their dispositions, events and photos."""
    rng = random.Random(tenant.pk)
    text, now = clock.text, clock.now_minute
    categories = parents["categories"]
    out: dict[str, list[tuple[Any, ...]]] = {"c": [], "d": [], "e": [], "p": []}
    for i, m in enumerate(_spread(count, rng)):
        ids["c"] += 1
        cid = ids["c"]
        category_id, opd_id = categories[i % len(categories)]
        age_days = (now - m) / 1440
        is_open = rng.random() < (0.6 if age_days < 7 else 0.2 if age_days < 30 else 0.01)
        roll = rng.random()
        confidentiality = "rahasia" if roll < 0.03 else "anonim" if roll < 0.1 else "biasa"
        created = text[m]
        if is_open:
            status = OPEN_COMPLAINT[i % 4]
            due = text[m + 3 * 1440]
            resolved = closed = rating = r"\N"
        else:
            status = "ditutup" if roll < 0.5 else "selesai"
            due = r"\N"
            resolved = text[m + 60 + rng.randrange(20 * 1440)]
            closed = resolved if status == "ditutup" else r"\N"
            rating = 1 + rng.randrange(5) if rng.random() < 0.33 else r"\N"
        out["c"].append(
            (
                cid,
                tenant.pk,
                f"N{i + 1}",
                f"n{cid}",
                f"00000000-0000-4000-8000-{cid:012x}",
                category_id,
                "web" if i % 3 else "app",
                confidentiality,
                status,
                created,
                resolved if resolved != r"\N" else created,
                text[m + 1440],
                due,
                resolved,
                closed,
                1 if rng.random() < 0.03 else 0,
                rating,
            )
        )
        ids["e"] += 1
        out["e"].append((ids["e"], tenant.pk, cid, "submit", "", "baru", "t", created, r"\N"))
        if status != "baru":
            responded = (
                text[m + 30 + rng.randrange(4 * 1440)]
                if not is_open or rng.random() < 0.5
                else r"\N"
            )
            ids["d"] += 1
            out["d"].append(
                (ids["d"], cid, opd_id, text[m + 10], text[m + 3 * 1440], responded, resolved)
            )
        if not is_open:
            ids["e"] += 1
            out["e"].append(
                (ids["e"], tenant.pk, cid, "resolve", "diproses", status, "t", resolved, opd_id)
            )
        if i % 10 == 0:
            ids["p"] += 1
            out["p"].append((ids["p"], cid, created))
    return out


OPEN_APPLICATION = ("submitted", "in_verification", "in_process", "ready")


def application_rows(
    tenant: Any, count: int, ids: dict[str, int], clock: Clock, parents: dict[str, Any]
) -> dict[str, list[tuple[Any, ...]]]:
    rng = random.Random(tenant.pk + 1)
    text, now = clock.text, clock.now_minute
    services, applicant = parents["services"], parents["applicant"]
    out: dict[str, list[tuple[Any, ...]]] = {"a": [], "ae": []}
    for i, m in enumerate(_spread(count, rng)):
        ids["a"] += 1
        aid = ids["a"]
        age_days = (now - m) / 1440
        is_open = rng.random() < (0.5 if age_days < 14 else 0.02)
        submitted = text[m]
        if is_open:
            status = OPEN_APPLICATION[i % 4]
            completed = closed = r"\N"
        else:
            roll = rng.random()
            status = "completed" if roll < 0.9 else "rejected" if roll < 0.97 else "cancelled"
            closed = text[m + 60 + rng.randrange(5 * 1440)]
            completed = closed if status == "completed" else r"\N"
        out["a"].append(
            (
                aid,
                tenant.pk,
                services[i % len(services)],
                applicant,
                f"00000000-0000-4000-9000-{aid:012x}",
                f"N{i + 1}",
                status,
                "online" if i % 4 else "counter",
                submitted,
                text[m + 3 * 1440],
                completed,
                closed,
                submitted,
                closed if closed != r"\N" else submitted,
            )
        )
        ids["ae"] += 1
        out["ae"].append((ids["ae"], tenant.pk, aid, "submit", "draft", "submitted", submitted))
    return out


OPEN_INCIDENT = ("new", "dispatched", "en_route", "on_scene")


def call_rows(
    tenant: Any, count: int, ids: dict[str, int], clock: Clock, parents: dict[str, Any]
) -> dict[str, list[tuple[Any, ...]]]:
    rng = random.Random(tenant.pk + 2)
    text, now = clock.text, clock.now_minute
    taker, kind, agency = parents["taker"], parents["incident_category"], parents["agency"]
    out: dict[str, list[tuple[Any, ...]]] = {"k": [], "i": [], "x": [], "de": []}
    for i, m in enumerate(_spread(count, rng)):
        ids["k"] += 1
        roll = rng.random()
        call_type = (
            "prank"
            if roll < 0.12
            else "ghost"
            if roll < 0.2
            else "informasi"
            if roll < 0.3
            else "normal"
        )
        received = text[m]
        incident = r"\N"
        if call_type == "normal" and i % 7 == 0:
            ids["i"] += 1
            incident = ids["i"]
            state = OPEN_INCIDENT[i % 4] if now - m < 1440 else "closed"
            closed = text[m + 120 + rng.randrange(600)] if state == "closed" else r"\N"
            out["i"].append(
                (
                    incident,
                    tenant.pk,
                    kind,
                    "Jl. uji skala",
                    "Kejadian (uji skala)",
                    state,
                    received,
                    received,
                    text[m + 2 + rng.randrange(10)],
                    closed,
                    taker,
                )
            )
            ids["x"] += 1
            out["x"].append((ids["x"], incident, agency, text[m + 5], taker))
        number = f"+62812{rng.randrange(10**7):07d}"
        out["k"].append(
            (ids["k"], tenant.pk, number, number, call_type, taker, received, received, incident)
        )
        ids["de"] += 1
        out["de"].append((ids["de"], tenant.pk, "call", "call", received, incident))
    return out


def tenant_parents(tenants: list[Any]) -> dict[int, dict[str, Any]]:
    """What the rows of each tenant point at; tenants without the demo data get one OPD, three
    complaint categories, one service, one incident category and one agency (copies of Kota
    Serang's)."""
    from django.db.models import Min

    from kotacerdas.accounts.models import User
    from kotacerdas.complaints.models import Category
    from kotacerdas.emergency.models import Agency, IncidentCategory
    from kotacerdas.services.models import Service
    from kotacerdas.tenants.models import Opd

    kota = next(t for t in tenants if t.region_id == LARGE)
    sample_opd = Opd.objects.filter(tenant=kota).order_by("pk").first()
    sample_categories = list(Category.objects.filter(tenant=kota).order_by("pk")[:3])
    sample_service = Service.objects.filter(tenant=kota).order_by("pk").first()
    sample_kind = IncidentCategory.objects.filter(tenant=kota).order_by("pk").first()
    sample_agency = Agency.objects.filter(tenant=kota).order_by("pk").first()
    assert sample_opd and sample_service and sample_kind and sample_agency
    bare = [t for t in tenants if not Opd.objects.filter(tenant=t).exists()]
    opds = []
    for tenant in bare:
        opd = Opd(tenant=tenant, name=sample_opd.name, acronym=sample_opd.acronym)
        opds.append(opd)
    Opd.objects.bulk_create(opds)
    opd_of = {o.tenant_id: o for o in opds}

    def copies(sample: Any, **extra: Any) -> list[Any]:
        made = []
        for tenant in bare:
            item = type(sample)()
            for field in sample._meta.concrete_fields:
                if not field.primary_key:
                    setattr(item, field.attname, getattr(sample, field.attname))
            item.tenant_id = tenant.pk
            for key, value in extra.items():
                setattr(item, key, value(tenant))
            made.append(item)
        return made

    for sample in sample_categories:
        Category.objects.bulk_create(copies(sample, opd_id=lambda t: opd_of[t.pk].pk))
    Service.objects.bulk_create(copies(sample_service, opd_id=lambda t: opd_of[t.pk].pk))
    IncidentCategory.objects.bulk_create(copies(sample_kind))
    Agency.objects.bulk_create(copies(sample_agency))
    applicant = User.objects.get(username="warga-demo").pk
    taker = User.objects.get(username="calltaker-kota").pk
    kinds = dict(
        IncidentCategory.objects.values("tenant_id")
        .annotate(first=Min("pk"))
        .values_list("tenant_id", "first")
    )
    agencies = dict(
        Agency.objects.values("tenant_id")
        .annotate(first=Min("pk"))
        .values_list("tenant_id", "first")
    )
    categories: dict[int, list[tuple[int, int]]] = {}
    for pk, tenant_id, opd_id in Category.objects.order_by("pk").values_list(
        "pk", "tenant_id", "opd_id"
    ):
        categories.setdefault(tenant_id, []).append((pk, opd_id))
    services: dict[int, list[int]] = {}
    for pk, tenant_id in Service.objects.order_by("pk").values_list("pk", "tenant_id"):
        services.setdefault(tenant_id, []).append(pk)
    return {
        t.pk: {
            "categories": categories[t.pk],
            "services": services[t.pk],
            "incident_category": kinds[t.pk],
            "agency": agencies[t.pk],
            "applicant": applicant,
            "taker": taker,
        }
        for t in tenants
    }


def load(
    counts: dict[str, dict[str, int]], *, national: bool, vacuum: bool = True
) -> dict[str, Any]:
    """Fills the database with ``counts`` (rows per tenant code and table) for each tenant it
    has (``national``: first a tenant for every kabupaten/kota)."""
    from django.db import connection, transaction
    from django.utils import timezone
    from tqdm import tqdm

    from kotacerdas.complaints.models import Complaint, Disposition, Event, Photo
    from kotacerdas.emergency.models import Call, DeskEvent, Dispatch, Incident
    from kotacerdas.regions.models import Level, Region
    from kotacerdas.services.models import Application
    from kotacerdas.services.models import Event as ApplicationEvent
    from kotacerdas.tenants.models import Tenant

    started = time.perf_counter()
    if national:
        taken = set(Tenant.objects.values_list("region_id", flat=True))
        Tenant.objects.bulk_create(
            Tenant(
                region=region,
                name=f"Pemerintah {region.name}",
                short_name=region.name,
                slug=f"t-{region.code.replace('.', '-')}",
                jurisdiction_id=f"{region.code}.bench",
            )
            for region in Region.objects.filter(level=Level.REGENCY).exclude(code__in=taken)
        )
    tenants = list(Tenant.objects.order_by("pk"))
    parents = tenant_parents(tenants)
    tables = {
        "c": Table(
            Complaint,
            [
                "id",
                "tenant_id",
                "ticket",
                "tracking_token",
                "open311_token",
                "category_id",
                "channel",
                "confidentiality",
                "status",
                "created_at",
                "updated_at",
                "verify_due",
                "due_at",
                "resolved_at",
                "closed_at",
                "reopen_count",
                "rating",
            ],
            {
                "description": "Laporan uji skala nasional",
                "language": "id",
                "classification": "pengaduan",
                "severity": "sedang",
            },
        ),
        "d": Table(
            Disposition,
            [
                "id",
                "complaint_id",
                "opd_id",
                "created_at",
                "response_due",
                "first_response_at",
                "resolved_at",
            ],
            {"is_active": "t"},
        ),
        "e": Table(
            Event,
            [
                "id",
                "tenant_id",
                "complaint_id",
                "action",
                "from_state",
                "to_state",
                "public",
                "created_at",
                "opd_id",
            ],
            {},
        ),
        "p": Table(
            Photo,
            ["id", "complaint_id", "created_at"],
            {
                "image": "complaints/bench.jpg",
                "original": "complaints/bench.jpg",
                "width": "1600",
                "height": "1200",
            },
        ),
        "a": Table(
            Application,
            [
                "id",
                "tenant_id",
                "service_id",
                "applicant_id",
                "idempotency_key",
                "number",
                "status",
                "channel",
                "submitted_at",
                "sla_deadline",
                "completed_at",
                "closed_at",
                "created_at",
                "updated_at",
            ],
            {},
        ),
        "ae": Table(
            ApplicationEvent,
            ["id", "tenant_id", "application_id", "action", "from_state", "to_state", "created_at"],
            {},
        ),
        "i": Table(
            Incident,
            [
                "id",
                "tenant_id",
                "category_id",
                "landmark",
                "description",
                "state",
                "received_at",
                "created_at",
                "dispatched_at",
                "closed_at",
                "created_by_id",
            ],
            {},
        ),
        "x": Table(
            Dispatch, ["id", "incident_id", "agency_id", "dispatched_at", "dispatched_by_id"], {}
        ),
        "k": Table(
            Call,
            [
                "id",
                "tenant_id",
                "caller_number",
                "caller_number_raw",
                "call_type",
                "taker_id",
                "received_at",
                "created_at",
                "incident_id",
            ],
            {},
        ),
        "de": Table(
            DeskEvent, ["id", "tenant_id", "action", "kind", "created_at", "incident_id"], {}
        ),
    }
    clock = Clock(timezone.now())
    loaded = dict.fromkeys(tables, 0)
    with transaction.atomic(), connection.cursor() as cursor:
        # Deferred foreign-key checks of earlier writes in this transaction must run before
        # the keys are dropped (PostgreSQL refuses to alter a table with pending ones).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        ids = {}
        for key, table in tables.items():
            cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table.name}")
            ids[key] = cursor.fetchone()[0]
        rebuild = drop_secondary(cursor, [t.name for t in tables.values()])
        generators: list[tuple[str, Callable[..., Any]]] = [
            ("complaints", complaint_rows),
            ("applications", application_rows),
            ("calls", call_rows),
        ]
        for size_key, generate in generators:
            total = sum(counts[t.region_id][size_key] for t in tenants)
            with tqdm(total=total, desc=size_key, unit="row", file=sys.stderr) as bar:
                for tenant in tenants:
                    n = counts[tenant.region_id][size_key]
                    if not n:
                        continue
                    for key, rows in generate(tenant, n, ids, clock, parents[tenant.pk]).items():
                        loaded[key] += tables[key].copy(cursor, iter(rows))
                    bar.update(n)
        copied = time.perf_counter()
        for statement in tqdm(rebuild, desc="indexes", file=sys.stderr):
            cursor.execute(statement)
        for table in tables.values():
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"(SELECT max(id) FROM {table.name}))"
            )
        cursor.execute("CREATE TABLE bench_national_loaded (at timestamptz)")
        indexed = time.perf_counter()
    with connection.cursor() as cursor:
        # As autovacuum leaves a table in steady state: statistics and the visibility map.
        # (``vacuum=False`` inside a transaction, where only ANALYZE may run: the smoke test.)
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
    return {
        "rows": {tables[k].name: n for k, n in loaded.items()},
        "tenants": len(tenants),
        "seconds": {
            "copy": round(copied - started, 1),
            "indexes_and_keys": round(indexed - copied, 1),
            "vacuum_analyze": round(time.perf_counter() - indexed, 1),
        },
    }


# --- measuring -------------------------------------------------------------------------------


def measure(repeat: int) -> dict[str, Any]:
    """Per page and tenant, the median milliseconds of ``repeat`` requests (cache cleared
    before each) and the number of queries of one."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from kotacerdas.accounts.models import Role, User
    from kotacerdas.complaints.models import Category
    from kotacerdas.tenants.models import Tenant

    result: dict[str, Any] = {}
    for label, code in (("large", LARGE), ("small", SMALL)):
        tenant = Tenant.objects.get(region_id=code)
        suffix = "kota" if code == LARGE else "kab"
        # The OPD operator whose OPD receives the most categories (the busiest inbox).
        operators = User.objects.filter(tenant=tenant, role=Role.OPD_OPERATOR).order_by("pk")
        per_opd = Counter(Category.objects.filter(tenant=tenant).values_list("opd_id", flat=True))
        inbox_user = max(operators, key=lambda u: per_opd[u.opd_id])
        pages = {
            "open311_get": (
                None,
                f"/open311/v2/requests.json?jurisdiction_id={tenant.jurisdiction_id}",
            ),
            "opd_inbox": (inbox_user, f"/{tenant.slug}/aduan/kelola/"),
            "complaint_statistics": (
                User.objects.get(username=f"admin-{suffix}"),
                f"/{tenant.slug}/aduan/kelola/statistik/",
            ),
            "services_desk": (
                User.objects.get(username=f"disdukcapil-{suffix}"),
                f"/{tenant.slug}/layanan/meja/",
            ),
            "board_fragment": (
                User.objects.get(username=f"supervisor-{suffix}"),
                f"/{tenant.slug}/112/papan/isi/",
            ),
        }
        for page, (user, path) in pages.items():
            client = Client()
            if user is not None:
                client.force_login(user)
            samples = []
            for i in range(repeat + 1):
                cache.clear()
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    response = client.get(path)
                    elapsed = time.perf_counter() - start
                if response.status_code != 200:
                    raise RuntimeError(f"{path}: {response.status_code}")
                if i:  # the first request warms the connection and the templates
                    samples.append(elapsed)
            result[f"{page}/{label}"] = {
                "ms": round(statistics.median(samples) * 1000, 1),
                "queries": len(queries),
                "bytes": len(response.content),
            }
    return result


def child(args: argparse.Namespace) -> None:
    os.environ["DATABASE_URL"] = args.db
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("DB_STATEMENT_TIMEOUT_MS", "0")
    import django

    django.setup()
    if args.phase == "load":
        from kotacerdas.regions.models import Level, Region

        codes = list(Region.objects.filter(level=Level.REGENCY).values_list("code", flat=True))
        sizes = {
            "complaints": args.complaints,
            "applications": args.applications,
            "calls": args.calls,
        }
        # The Serang database gets only its two tenants, with their national row counts.
        counts = plan(codes, sizes=sizes, s=args.zipf, small_rank=args.small_rank)
        out = load(counts, national=args.national)
    else:
        out = measure(args.repeat)
    print(json.dumps(out))


def run_child(args: argparse.Namespace, db: str, *extra: str) -> dict[str, Any]:
    command = [
        sys.executable,
        __file__,
        "--db",
        db,
        "--complaints",
        str(args.complaints),
        "--applications",
        str(args.applications),
        "--calls",
        str(args.calls),
        "--zipf",
        str(args.zipf),
        "--small-rank",
        str(args.small_rank),
        "--repeat",
        str(args.repeat),
        *extra,
    ]
    done = subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--db",
        required=True,
        help="PostgreSQL URL; <db>, <db>_serang and <db>_template are (re)created",
    )
    parser.add_argument("--complaints", type=int, default=10_000_000)
    parser.add_argument("--applications", type=int, default=2_000_000)
    parser.add_argument("--calls", type=int, default=2_000_000)
    parser.add_argument("--zipf", type=float, default=0.8, help="Zipf exponent of the skew")
    parser.add_argument("--small-rank", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3, help="requests per page and round")
    parser.add_argument("--fresh", action="store_true", help="rebuild every database")
    parser.add_argument("--phase", choices=["load", "measure"], help=argparse.SUPPRESS)
    parser.add_argument("--national", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase:
        child(args)
        return {}
    national, serang = args.db, _with_name(args.db, f"{_name(args.db)}_serang")
    loads = {}
    template = ""
    for label, db, extra in (("serang", serang, []), ("national", national, ["--national"])):
        if args.fresh or not is_loaded(db):
            template = template or ensure_template(args.db, fresh=args.fresh)
            clone(template, db)
            loads[label] = run_child(args, db, "--phase", "load", *extra)
    rounds: dict[str, list[dict[str, Any]]] = {"serang": [], "national": []}
    for _ in range(args.rounds):
        for label, db in (("serang", serang), ("national", national)):
            rounds[label].append(run_child(args, db, "--phase", "measure"))
    pages: dict[str, Any] = {}
    for key in rounds["serang"][0]:
        ratios = [
            n[key]["ms"] / s[key]["ms"]
            for s, n in zip(rounds["serang"], rounds["national"], strict=True)
        ]
        pages[key] = {
            "serang_ms": statistics.median(r[key]["ms"] for r in rounds["serang"]),
            "national_ms": statistics.median(r[key]["ms"] for r in rounds["national"]),
            "queries": [rounds["serang"][0][key]["queries"], rounds["national"][0][key]["queries"]],
            "ratio_median": round(statistics.median(ratios), 2),
            "ratio_min": round(min(ratios), 2),
            "ratio_max": round(max(ratios), 2),
        }
    result = {
        "sizes": {
            "complaints": args.complaints,
            "applications": args.applications,
            "calls": args.calls,
            "zipf": args.zipf,
            "small_rank": args.small_rank,
        },
        "rounds": args.rounds,
        "repeat": args.repeat,
        "load": loads,
        "pages": pages,
        "target_ratio": TARGET_RATIO,
        "over_target": sorted(k for k, v in pages.items() if v["ratio_median"] > TARGET_RATIO),
    }
    print(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
