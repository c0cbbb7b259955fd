"""Pages: public (no login), staff map/device/alerts (own tenant only), token shown once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from kotacerdas.accounts.models import User
from kotacerdas.sensors.ingestion import RawReading, ingest
from kotacerdas.sensors.models import AlertRule, Device
from kotacerdas.sensors.services import Registered
from kotacerdas.tenants.models import Tenant
from tests.sensors.conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def flooded(post: Registered, siaga_rule: AlertRule, frozen: dt.datetime) -> Registered:
    ingest(
        [
            RawReading(post.device.pk, "water_level", v, NOW - dt.timedelta(minutes=m))
            for m, v in [(20, 150), (10, 205), (0, 215)]
        ]
    )
    return post


def test_public_page_shows_level_and_warning_without_login(
    client: Client, kota: Tenant, flooded: Registered
) -> None:
    response = client.get(f"/{kota.slug}/sensor/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Pos Cibanten Kaujon" in html and "215 cm" in html and "Siaga II" in html
    assert flooded.token not in html


def test_public_page_shows_ispu_category(client: Client, kota: Tenant, frozen: dt.datetime) -> None:
    from kotacerdas.sensors.services import device_register

    aq = device_register(
        tenant=kota,
        actor=None,
        name="AQ Alun-alun",
        kind="air_quality",
        latitude=-6.1,
        longitude=106.1,
    )
    ingest(
        [RawReading(aq.device.pk, "pm25", 60.0, NOW), RawReading(aq.device.pk, "pm10", 40.0, NOW)]
    )
    html = client.get(f"/{kota.slug}/sensor/").content.decode()
    assert "Tidak Sehat" in html  # PM2.5 60 µg/m3 → ISPU 105


def test_staff_pages_for_own_tenant_only(
    client: Client, kota: Tenant, ani: User, citra: User, flooded: Registered
) -> None:
    device_url = f"/{kota.slug}/sensor/perangkat/{flooded.device.pk}/"
    client.force_login(citra)
    assert client.get(f"/{kota.slug}/sensor/peta/").status_code == 404
    assert client.get(device_url).status_code == 404
    client.force_login(ani)
    assert client.get(f"/{kota.slug}/sensor/peta/").status_code == 200
    page = client.get(device_url)
    assert page.status_code == 200 and b"device-chart" in page.content
    alerts = client.get(f"/{kota.slug}/sensor/peringatan/")
    assert b"Siaga II" in alerts.content


def test_region_admin_registers_device_and_sees_token_once(
    client: Client, kota: Tenant, admin_kota: User, ani: User
) -> None:
    client.force_login(ani)  # an operator of another OPD cannot register devices
    assert client.get(f"/{kota.slug}/sensor/perangkat/baru/").status_code == 404
    client.force_login(admin_kota)
    response = client.post(
        f"/{kota.slug}/sensor/perangkat/baru/",
        {
            "name": "Pos Baru",
            "kind": "water_level",
            "expected_interval": 300,
            "latitude": -6.1,
            "longitude": 106.1,
        },
    )
    device = Device.objects.get(name="Pos Baru")
    assert response.status_code == 302
    first = client.get(response["Location"]).content.decode()
    assert 'id="device-token"' in first
    second = client.get(response["Location"]).content.decode()
    assert 'id="device-token"' not in second
    assert device.token_prefix in first


def test_rules_export_is_json(
    client: Client, kota: Tenant, ani: User, siaga_rule: AlertRule
) -> None:
    client.force_login(ani)
    data = client.get(f"/{kota.slug}/sensor/aturan/ekspor/").json()
    assert data["rules"][0]["name"] == "Siaga Cibanten"
