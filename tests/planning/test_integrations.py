"""The lazy contracts with the spbe and complaints apps, built in parallel on other branches."""

from __future__ import annotations

import datetime as dt
import io
import sys
import types
from decimal import Decimal
from unittest import mock

import pytest
import time_machine
from django.apps import apps
from pypdf import PdfReader

from kotacerdas.planning.periods import period_containing
from kotacerdas.planning.services import KpiIn, evaluation_save, report_save

from .conftest import make_programme

pytestmark = pytest.mark.django_db
BASE = "/kota-serang/rencana/"


@pytest.fixture
def installed(monkeypatch):
    """Pretend that ``app`` is installed, with ``selectors`` as its selectors module."""
    real = apps.is_installed
    names: set[str] = set()

    def install(app: str, **functions):
        names.add(app)
        module = types.ModuleType(f"{app}.selectors")
        module.__dict__.update(functions)
        monkeypatch.setitem(sys.modules, f"{app}.selectors", module)

    monkeypatch.setattr(apps, "is_installed", lambda name: name in names or real(name))
    return install


def test_dashboard_and_evaluation_report_show_the_spbe_trend(
    client, installed, kota, pimpinan_kota
):
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
    assert 'data-chart="chart-spbe"' in page and "3.23 (Baik)" in page
    trend.assert_called_with(kota)
    text = (
        PdfReader(io.BytesIO(client.get(f"{BASE}evaluasi/2024.pdf").content))
        .pages[0]
        .extract_text()
    )
    assert "Indeks SPBE" in text and "3.23" in text
    flat = " ".join(text.split())
    assert "quick_win" not in flat, "the evaluation PDF prints labels, never raw keys"
    assert "Hasil cepat (quick win) 20%" in flat


@time_machine.travel(dt.datetime(2026, 4, 5, 3, tzinfo=dt.UTC))
def test_complaints_metric_feeds_a_kpi_from_the_monthly_complaint_statistics(
    monkeypatch, kota, masterplan, ani
):
    from kotacerdas.complaints import selectors as complaint_selectors

    def month(opd, month, received, share):
        return complaint_selectors.OpdMonth(
            opd, month, received, received, 1.0, 1.0, 2.0, share, 0, None
        )

    statistics = mock.Mock(
        return_value=[
            month("Dishub", "2025-12", 50, 0.0),  # outside the quarter
            month("Dishub", "2026-01", 10, 0.9),
            month("DLH", "2026-03", 30, 0.667),
            month("Dishub", "2026-04", 40, 0.0),  # outside the quarter
        ]
    )
    monkeypatch.setattr(complaint_selectors, "statistics_per_opd_month", statistics)
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
    statistics.assert_called_once_with(tenant=kota, year=2026)
    actual = report.actuals.get()
    # (9 + 20) of 40 complaints answered within the SLA = 72.5 %
    assert (actual.value, actual.from_metric) == (Decimal("72.50"), True)
