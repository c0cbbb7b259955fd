from __future__ import annotations

import datetime as dt

import pytest

from kotacerdas.core.kpis import KpiQuery
from kotacerdas.sensors.ingestion import RawReading, ingest
from kotacerdas.sensors.models import AlertRule
from kotacerdas.sensors.services import Registered
from kotacerdas.tenants.models import Tenant
from tests.conftest import kpi
from tests.sensors.conftest import NOW

pytestmark = pytest.mark.django_db


def test_sensor_kpis(
    kota: Tenant, post: Registered, siaga_rule: AlertRule, frozen: dt.datetime
) -> None:
    ingest(
        [
            RawReading(post.device.pk, "water_level", v, NOW - dt.timedelta(minutes=m))
            for m, v in [(20, 210), (0, 220)]
        ]
    )
    q = KpiQuery(tenant=kota, start=NOW - dt.timedelta(days=1), end=NOW + dt.timedelta(seconds=1))
    assert kpi("sensors.devices_online").compute(q) == 100.0
    assert kpi("sensors.flood_alerts").compute(q) == 1.0
    assert kpi("sensors.alerts_to_112").compute(q) == 1.0
    assert kpi("sensors.readings_stored").compute(q) == 2.0
    later = KpiQuery(tenant=kota, start=NOW, end=NOW + dt.timedelta(hours=2))
    assert kpi("sensors.devices_online").compute(later) == 0.0
