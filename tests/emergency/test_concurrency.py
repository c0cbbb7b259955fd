from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from kotacerdas.core.errors import Conflict
from kotacerdas.emergency import demo, services
from kotacerdas.emergency.models import DeskEvent, Incident
from kotacerdas.tenants.models import Tenant
from tests.conftest import DEMO_PASSWORD, account
from tests.emergency.conftest import agency, fire_data


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_dispatchers_acting_at_once_cannot_overwrite_each_other(
    serang_after_flush: None,
) -> None:
    demo.load_demo(password=DEMO_PASSWORD)
    kota = Tenant.objects.get(region_id="36.73")
    fire = services.call_log(
        tenant=kota,
        taker=account("calltaker-kota"),
        caller_number="081200003333",
        call_type="normal",
        incident=fire_data(kota),
    ).incident
    assert fire is not None
    assert fire is not None
    barrier = threading.Barrier(2)

    def act(username: str, code: str) -> str:
        try:
            barrier.wait()
            services.incident_dispatch(
                incident=Incident.objects.get(pk=fire.pk),
                actor=account(username),
                assignments=[(agency(kota, code), None)],
                expected_version=1,
            )
            return "ok"
        except Conflict:
            return "conflict"
        finally:
            connection.close()

    with ThreadPoolExecutor(2) as pool:
        results = sorted(
            pool.map(act, ["dispatcher-kota", "supervisor-kota"], ["damkar", "polres"])
        )
    assert results == ["conflict", "ok"]
    fire.refresh_from_db()
    assert fire.version == 2
    assert fire.dispatches.count() == 1
    assert DeskEvent.objects.filter(incident=fire, action="dispatch", kind="step").count() == 1
