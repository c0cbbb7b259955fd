from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection

from kotacerdas.accounts.models import User
from kotacerdas.core.errors import InvalidTransition
from kotacerdas.planning.models import ProgressReport
from kotacerdas.planning.periods import period_containing
from kotacerdas.planning.services import masterplan_save, report_save, report_transition
from kotacerdas.tenants.models import Tenant

from .conftest import ensure_national_dimensions, make_programme

pytestmark = [
    pytest.mark.postgres,
    # Decided before the (slow) transactional fixture runs; SQLite has no row locks.
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="row locks need PostgreSQL",
    ),
]


def test_two_reviewers_deciding_at_once_make_one_decision(serang_after_flush: None) -> None:
    ensure_national_dimensions()
    kota = Tenant.objects.get(region_id="36.73")
    masterplan_save(
        tenant=kota,
        actor=None,
        title="M",
        vision="V",
        mission="M",
        strategy="",
        start_year=2023,
        short_term_end=2024,
        medium_term_end=2027,
    )
    programme = make_programme(kota, reporting_from=dt.date(2026, 1, 1))
    ani = User.objects.get(username="diskominfo-kota")
    report = report_save(
        programme=programme,
        actor=ani,
        period=period_containing(dt.date(2026, 1, 1), "quarterly"),
        physical_progress=Decimal(10),
        budget_realised=Decimal(0),
        achievements="x",
    )
    report_transition(report=report, actor=ani, action="submit")
    admin = User.objects.get(username="admin-kota")
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def decide(action: str) -> None:
        barrier.wait()
        try:
            report_transition(report=report, actor=admin, action=action, note="cek")
            outcomes.append(action)
        except InvalidTransition:
            outcomes.append("refused")
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=decide, args=(a,)) for a in ("approve", "return")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("refused") == 1
    final = ProgressReport.objects.get(pk=report.pk).status
    assert final == ("approved" if "approve" in outcomes else "returned")
