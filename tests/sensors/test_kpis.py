from __future__ import annotations

import datetime as dt

import pytest

from kotacerdas.core.kpis import KpiQuery, get
from kotacerdas.sensors.ingestion import RawReading, ingest
from tests.sensors.conftest import NOW

pytestmark = pytest.mark.django_db


def test_sensor_kpis(kota, post, siaga_rule, frozen):  # type: ignore[no-untyped-def]
    ingest(
        [
            RawReading(post.device.pk, "water_level", v, NOW - dt.timedelta(minutes=m))
            for m, v in [(20, 210), (0, 220)]
        ]
    )
    q = KpiQuery(tenant=kota, start=NOW - dt.timedelta(days=1), end=NOW + dt.timedelta(seconds=1))
    assert get("sensors.devices_online").compute(q) == 100.0
    assert get("sensors.flood_alerts").compute(q) == 1.0
    assert get("sensors.alerts_to_112").compute(q) == 1.0
    assert get("sensors.readings_stored").compute(q) == 2.0
    later = KpiQuery(tenant=kota, start=NOW, end=NOW + dt.timedelta(hours=2))
    assert get("sensors.devices_online").compute(later) == 0.0
