from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kotacerdas.accounts.models import User
from kotacerdas.planning import demo
from kotacerdas.planning.models import AuditEvent, Programme, ProgressReport
from kotacerdas.planning.selectors import dashboard_data
from kotacerdas.tenants.models import Tenant

from .conftest import make_programme

pytestmark = pytest.mark.django_db


@time_machine.travel(dt.datetime(2026, 11, 23, 3, tzinfo=dt.UTC))
def test_demo_loads_serang_quick_wins_once_and_marks_them_as_demo(
    kab: Tenant, kota: Tenant, client: Client, admin_kab: User
) -> None:
    demo.load_demo(password="x")
    counts = (Programme.objects.count(), ProgressReport.objects.count(), AuditEvent.objects.count())
    demo.load_demo(password="x")
    assert (
        Programme.objects.count(),
        ProgressReport.objects.count(),
        AuditEvent.objects.count(),
    ) == counts
    names = set(Programme.objects.filter(tenant=kab).values_list("name", flat=True))
    for fragment in ("Serang Tatu", "Sikonde", "OVOP", "Transformer", "Pojok Dolan", "Pesan Ibu"):
        assert any(fragment in name for name in names), fragment
    assert Programme.objects.filter(tenant=kota, name__startswith="Rabeg").exists()
    assert not Programme.objects.filter(is_demo=False).exists()
    data = dashboard_data(kab, dt.date(2026, 11, 23))
    assert len(data["quick_wins"]) == 6
    assert data["overdue"]  # every third programme is a period behind
    client.force_login(admin_kab)
    for path in ("", "dasbor/", "evaluasi/", "laporan/", "masterplan.pdf"):
        assert client.get(f"/kabupaten-serang/rencana/{path}").status_code == 200, path


@time_machine.travel(dt.datetime(2026, 11, 23, 3, tzinfo=dt.UTC))
def test_overview_dashboard_and_reports_do_not_grow_queries_with_programmes(
    kab: Tenant, client: Client, admin_kab: User
) -> None:
    demo.load_demo(password="x")
    client.force_login(admin_kab)
    paths = ("", "dasbor/", "laporan/", "masterplan.xlsx")

    def counts() -> list[int]:
        result = []
        for path in paths:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(f"/kabupaten-serang/rencana/{path}").status_code == 200
            result.append(len(ctx.captured_queries))
        return result

    before = counts()
    make_programme(kab, name="Program tambahan", lead="Dishub")
    make_programme(kab, name="Program tambahan 2", lead="DLH")
    assert counts() == before
