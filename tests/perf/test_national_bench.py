"""A smoke test of ``bench/national.py`` at a tiny size: the plan, the COPY load with its
indexes and keys rebuilt, and one measuring pass over the five pages."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from django.db import connection

from kotacerdas.complaints import demo as complaints_demo
from kotacerdas.complaints.models import Complaint, Disposition, Event
from kotacerdas.emergency import demo as emergency_demo
from kotacerdas.emergency.models import Call, Incident
from kotacerdas.regions.loader import load_regions
from kotacerdas.regions.models import Level, Region
from kotacerdas.services import demo as services_demo
from kotacerdas.services.models import Application
from kotacerdas.tenants.models import Tenant

from ..conftest import DEMO_PASSWORD

BENCH = Path(__file__).resolve().parents[2] / "bench" / "national.py"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_national", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_national"] = module
    spec.loader.exec_module(module)
    return module


def test_zipf_counts_add_up_and_fall_with_rank(bench: ModuleType) -> None:
    counts = bench.zipf_counts(10_000, 514, 0.8)
    assert sum(counts) == 10_000
    assert counts == sorted(counts, reverse=True)
    assert counts[0] > 100 * counts[-1]  # a few large cities, a long tail of small ones


def test_plan_puts_kota_serang_first_and_kabupaten_serang_at_the_small_rank(
    bench: ModuleType,
) -> None:
    codes = [f"{p:02d}.{r:02d}" for p in range(11, 22) for r in range(1, 48)] + ["36.73", "36.04"]
    sizes = {"complaints": 100_000, "applications": 20_000, "calls": 20_000}
    plan = bench.plan(codes, sizes=sizes, s=0.8, small_rank=400)
    for table, total in sizes.items():
        assert sum(p[table] for p in plan.values()) == total
    largest = max(plan.values(), key=lambda p: p["complaints"])
    assert plan["36.73"] == largest
    ranked = sorted(plan, key=lambda code: -plan[code]["complaints"])
    assert plan["36.04"]["complaints"] == plan[ranked[399]]["complaints"]


def _indexes() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename IN "
            "('complaints_complaint', 'complaints_disposition', 'services_application', "
            "'emergency_call', 'emergency_incident')"
        )
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db
@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the bench loads with COPY")
def test_tiny_national_load_and_one_measuring_pass(bench: ModuleType) -> None:
    load_regions()  # the session loads a few regions; a tenant for each of the 514 needs them all
    for demo in (complaints_demo, services_demo, emergency_demo):
        demo.load_demo(password=DEMO_PASSWORD)
    before = {
        "complaints": Complaint.objects.count(),
        "applications": Application.objects.count(),
        "calls": Call.objects.count(),
    }
    indexes = _indexes()
    codes = list(Region.objects.filter(level=Level.REGENCY).values_list("code", flat=True))
    plan = bench.plan(
        codes,
        sizes={"complaints": 3_000, "applications": 600, "calls": 700},
        s=0.8,
        small_rank=400,
    )

    result = bench.load(plan, national=True, vacuum=False)

    assert result["tenants"] == Tenant.objects.count() == 514
    assert Complaint.objects.count() == before["complaints"] + 3_000
    assert Application.objects.count() == before["applications"] + 600
    assert Call.objects.count() == before["calls"] + 700
    kota = Tenant.objects.get(region_id="36.73")
    loaded_kota = Complaint.objects.filter(tenant=kota, ticket__startswith="N")
    assert loaded_kota.count() == plan["36.73"]["complaints"]
    # Every complaint but the unverified ones has its disposition, each one its events.
    assert Disposition.objects.filter(complaint__in=loaded_kota).count() == (
        loaded_kota.exclude(status="baru").count()
    )
    assert Event.objects.filter(complaint__in=loaded_kota).count() >= loaded_kota.count()
    assert Incident.objects.filter(tenant=kota).exists()
    assert _indexes() == indexes  # dropped for the COPY, rebuilt the same

    pages = bench.measure(1)

    assert len(pages) == 10
    for name, page in pages.items():
        assert page["ms"] > 0, name
        assert page["queries"] > 0, name


@pytest.mark.django_db
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="extended statistics are PostgreSQL's"
)
def test_applications_carry_the_tenant_service_dependency_statistics() -> None:
    """Without them the desk of a large tenant sorts all its open applications (see
    services/migrations/0008)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_statisticsobjdef_columns(oid), stxkind::text FROM pg_statistic_ext "
            "WHERE stxname = 'application_tenant_service'"
        )
        assert cursor.fetchall() == [("tenant_id, service_id", "{f}")]
