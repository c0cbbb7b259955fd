from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from kotacerdas.accounts.models import User
from kotacerdas.planning import metrics
from kotacerdas.planning.models import Masterplan
from kotacerdas.planning.periods import period_containing
from kotacerdas.planning.services import KpiIn, report_save, report_transition
from kotacerdas.tenants.models import Tenant

from .conftest import make_programme

pytestmark = pytest.mark.django_db


def test_complaints_metric_is_offered_when_the_complaints_kpi_is_registered(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from kotacerdas.core import kpis

    assert "complaints.response_rate_within_sla" in metrics.registry()
    monkeypatch.delitem(kpis._registry, "complaints.responded_within_sla")
    assert "complaints.response_rate_within_sla" not in metrics.registry()
    assert "planning.reports_on_time" in metrics.registry()


def test_kpi_fed_by_a_platform_metric_takes_the_metric_value(
    kota: Tenant, masterplan: Masterplan, ani: User
) -> None:
    with time_machine.travel(dt.datetime(2026, 4, 5, 9, tzinfo=dt.UTC)):
        first = make_programme(kota, name="Satu")
        q1 = period_containing(dt.date(2026, 1, 1), "quarterly")
        report = report_save(
            programme=first,
            actor=ani,
            period=q1,
            physical_progress=Decimal(10),
            budget_realised=Decimal(0),
            achievements="Mulai",
        )
        report_transition(report=report, actor=ani, action="submit")
        fed = make_programme(
            kota,
            name="Dua",
            kpis=[
                KpiIn("Laporan tepat waktu", "%", Decimal(50), metric="planning.reports_on_time")
            ],
        )
        report = report_save(
            programme=fed,
            actor=ani,
            period=q1,
            physical_progress=Decimal(10),
            budget_realised=Decimal(0),
            achievements="Mulai",
            actuals={fed.kpis.get().pk: Decimal(1)},
        )
    actual = report.actuals.get()
    assert actual.value == 100
    assert actual.from_metric


def test_unknown_metric_is_refused(kota: Tenant, masterplan: Masterplan) -> None:
    from kotacerdas.core.errors import DomainError

    with pytest.raises(DomainError, match="tidak tersedia"):
        make_programme(kota, kpis=[KpiIn("x", "%", Decimal(1), metric="sensors.air_quality")])
