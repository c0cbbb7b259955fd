"""Each registered KPI against hand-counted rows (see fixtures.py), under frozen time:
the period bounds it, kecamatan and OPD narrow it, and no data gives None."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from kotacerdas.core import kpis
from kotacerdas.core.kpis import KpiQuery
from kotacerdas.tenants.models import Tenant
from tests.dashboard.fixtures import World

from .fixtures import JANUARY, JUNE, NOW, WIB, fresh_tenant

pytestmark = pytest.mark.django_db
# The apps whose kpis.py this suite owns (newer apps test their own).
APPS = {"complaints", "services", "emergency", "planning", "spbe"}


def value(key: str, tenant: Tenant, period=JUNE, **kw) -> float | None:  # type: ignore[no-untyped-def]
    kpi = kpis.get(key)
    assert kpi is not None, key
    return kpi.compute(KpiQuery(tenant, period[0], period[1], **kw))


EXPECTED_JUNE = {
    "complaints.received": 4,
    "complaints.responded_within_sla": 100 / 3,
    "complaints.median_first_response": 51,  # 6 h and 96 h
    "complaints.median_resolution": 2,  # 1, 2 and 6 days
    "complaints.reopen_rate": 100 / 3,
    "complaints.average_rating": 4,
    "complaints.overdue_now": 1,
    "services.received": 3,
    "services.completed": 3,
    "services.completed_within_sla": 200 / 3,
    "services.median_completion": 96,  # 24, 96 and 108 h
    "services.documents_waiting": 2,
    "emergency.calls": 5,
    "emergency.prank_share": 40,
    "emergency.incidents": 4,
    "emergency.median_dispatch": 4,  # 2, 4 and 6 min
    "emergency.moving_within_target": 100 / 3,
    "emergency.open_incidents": 3,
    "planning.progress_governance": 60,  # 100 and 20
    "planning.quick_wins_delivered": 50,
    "planning.budget_realisation": 25,  # 1,000 of 4,000
    "planning.programmes_late": 2,  # no quarterly report for Q1
}


@time_machine.travel(NOW, tick=False)
def test_every_kpi_matches_the_hand_count(world: tuple[Tenant, World]) -> None:
    tenant, _w = world
    got = {key: value(key, tenant) for key in EXPECTED_JUNE}
    assert got == pytest.approx(EXPECTED_JUNE)


@time_machine.travel(NOW, tick=False)
def test_every_kpi_is_none_for_a_tenant_without_data(world: tuple[Tenant, World]) -> None:
    empty = fresh_tenant("36.72", "kpi-cilegon")
    ours = [k for k in kpis.registered() if k.app in APPS]
    assert {k.key: k.compute(KpiQuery(empty, *JUNE)) for k in ours} == {k.key: None for k in ours}


@time_machine.travel(NOW, tick=False)
def test_period_counts_are_none_in_an_empty_period(world: tuple[Tenant, World]) -> None:
    tenant, _w = world
    for key in EXPECTED_JUNE:
        kpi = kpis.get(key)
        assert kpi is not None
        if not kpi.snapshot and key != "planning.budget_realisation":
            assert value(key, tenant, JANUARY) is None, key
    # A budget was planned for the year and nothing realised by January's end: a real 0 %.
    assert value("planning.budget_realisation", tenant, JANUARY) == 0
    # Snapshots look at what existed by the period's end: nothing before February.
    assert value("complaints.overdue_now", tenant, JANUARY) is None
    assert value("emergency.open_incidents", tenant, JANUARY) is None


@time_machine.travel(NOW, tick=False)
def test_kecamatan_narrows_the_located_kpis(world: tuple[Tenant, World]) -> None:
    tenant, w = world
    a = {"kecamatan": w.kecamatan_a}
    b = {"kecamatan": w.kecamatan_b}
    assert value("complaints.received", tenant, **a) == 2
    assert value("complaints.median_resolution", tenant, **b) == pytest.approx(3.5)
    assert value("complaints.overdue_now", tenant, **a) == 1
    assert value("complaints.overdue_now", tenant, **b) == 0
    assert value("emergency.incidents", tenant, **a) == 1
    assert value("emergency.moving_within_target", tenant, **a) == 100
    assert value("emergency.open_incidents", tenant, **a) == 0
    # Calls, applications and programmes record no kecamatan: no data, not a wrong figure.
    assert value("emergency.calls", tenant, **a) is None
    assert value("services.received", tenant, **a) is None
    assert value("planning.quick_wins_delivered", tenant, **a) is None


@time_machine.travel(NOW, tick=False)
def test_opd_narrows_to_its_own_work(world: tuple[Tenant, World]) -> None:
    tenant, w = world
    x = {"opd_id": w.opd_x.pk}
    y = {"opd_id": w.opd_y.pk}
    assert value("complaints.responded_within_sla", tenant, **x) == pytest.approx(100 / 3)
    assert value("complaints.responded_within_sla", tenant, **y) is None  # not yet due
    assert value("complaints.received", tenant, **y) == 1
    assert value("services.received", tenant, **x) == 3
    assert value("services.received", tenant, **y) is None
    assert value("planning.budget_realisation", tenant, **x) == pytest.approx(70)
    assert value("emergency.calls", tenant, **x) is None


@time_machine.travel(NOW, tick=False)
def test_progress_reads_the_reports_up_to_the_period_end(world: tuple[Tenant, World]) -> None:
    tenant, _w = world
    march = (dt.datetime(2026, 3, 1, tzinfo=WIB), dt.datetime(2026, 4, 1, tzinfo=WIB))
    assert value("planning.progress_governance", tenant, march) == pytest.approx(30)
    assert value("planning.progress_economy", tenant) is None


def test_every_kpi_has_a_unique_key_and_a_list_page() -> None:
    keys = [k.key for k in kpis.registered()]
    assert len(keys) == len(set(keys))
    assert {k.app for k in kpis.registered()} >= {
        "complaints",
        "services",
        "emergency",
        "planning",
        "spbe",
    }
    assert all(k.list_url is not None for k in kpis.registered())
