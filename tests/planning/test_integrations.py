"""The lazy contracts with the spbe and complaints apps, built in parallel on other branches."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import sys
import types
from collections.abc import Callable
from decimal import Decimal
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.test import Client
from pypdf import PdfReader

from kotacerdas.accounts.models import User
from kotacerdas.planning.models import Masterplan
from kotacerdas.planning.periods import period_containing
from kotacerdas.planning.services import KpiIn, evaluation_save, report_save
from kotacerdas.tenants.models import Tenant

from .conftest import make_programme

pytestmark = pytest.mark.django_db
BASE = "/kota-serang/rencana/"


@pytest.fixture
def installed(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Pretend that ``app`` is installed, with ``selectors`` as its selectors module."""
    real = apps.is_installed
    names: set[str] = set()

    def install(app: str, **functions: Callable[..., object]) -> None:
        names.add(app)
        module = types.ModuleType(f"{app}.selectors")
        module.__dict__.update(functions)
        monkeypatch.setitem(sys.modules, f"{app}.selectors", module)

    monkeypatch.setattr(apps, "is_installed", lambda name: name in names or real(name))
    return install


def test_dashboard_and_evaluation_report_show_the_spbe_trend(
    client: Client, installed: Callable[..., None], kota: Tenant, pimpinan_kota: User
) -> None:
    trend = mock.Mock(return_value=[(2023, 2.91, "Baik"), (2024, 3.23, "Baik")])
    installed("kotacerdas.spbe", spbe_index_trend=trend)
    evaluation_save(
        tenant=kota,
        actor=None,
        year=2024,
        weights={"baseline": 10, "output": 20, "outcome": 30, "impact": 20, "quick_win": 20},
    )
    client.force_login(pimpinan_kota)
    page = client.get(f"{BASE}dasbor/").content.decode()
    assert 'data-chart="chart-spbe"' in page and "3,23 (Baik)" in page, "by locale"
    trend.assert_called_with(kota)
    text = (
        PdfReader(io.BytesIO(client.get(f"{BASE}evaluasi/2024.pdf").content))
        .pages[0]
        .extract_text()
    )
    assert "Indeks SPBE" in text and "3,23" in text
    client.cookies["django_language"] = "en"
    assert "3.23 (Baik)" in client.get(f"{BASE}dasbor/").content.decode()
    del client.cookies["django_language"]
    flat = " ".join(text.split())
    assert "quick_win" not in flat, "the evaluation PDF prints labels, never raw keys"
    assert "Hasil cepat (quick win) 20%" in flat


@time_machine.travel(dt.datetime(2026, 4, 5, 3, tzinfo=dt.UTC))
def test_complaints_metric_feeds_a_kpi_from_the_complaints_kpi_registry(
    monkeypatch: pytest.MonkeyPatch, kota: Tenant, masterplan: Masterplan, ani: User
) -> None:
    from kotacerdas.core import kpis

    real = kpis.get("complaints.responded_within_sla")
    assert real is not None, "the complaints app registers it (complaints/kpis.py)"
    queries: list[kpis.KpiQuery] = []

    def compute(query: kpis.KpiQuery) -> float:
        queries.append(query)
        return 72.5

    monkeypatch.setitem(kpis._registry, real.key, dataclasses.replace(real, compute=compute))
    programme = make_programme(
        kota,
        kpis=[
            KpiIn(
                "Aduan ditanggapi dalam SLA",
                "%",
                Decimal(55),
                metric="complaints.response_rate_within_sla",
            )
        ],
    )
    report = report_save(
        programme=programme,
        actor=ani,
        period=period_containing(dt.date(2026, 1, 1), "quarterly"),
        physical_progress=Decimal(30),
        budget_realised=Decimal(0),
        achievements="Rabeg",
    )
    [query] = queries
    wib = ZoneInfo("Asia/Jakarta")
    assert query.tenant == kota
    assert (query.start, query.end) == (
        dt.datetime(2026, 1, 1, tzinfo=wib),
        dt.datetime(2026, 4, 1, tzinfo=wib),
    ), "the quarter's days in the tenant's time zone"
    actual = report.actuals.get()
    assert (actual.value, actual.from_metric) == (Decimal("72.50"), True)
