"""The demo simulator with no broker: ThingsBoard's HTTP device API of a running platform (a
real HTTP server on a free port), and it says so. The rain event crosses Siaga II, so the 112
desk gets an incident."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kotacerdas.emergency.models import Incident
from kotacerdas.sensors import demo
from kotacerdas.sensors.management.commands.simulate_sensors import STEPS
from kotacerdas.sensors.models import Alert, Device, Reading

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def example_devices(serang_after_flush, settings):  # type: ignore[no-untyped-def]
    settings.SENSORS_MQTT_URL = ""
    demo.load_demo(password="x")
    return list(Device.objects.filter(tenant__region_id="36.73", is_example=True))


def simulate_over_http(url: str) -> str:
    out = StringIO()
    call_command(
        "simulate_sensors", "--tenant=36.73", "--fast", "--via=http", f"--url={url}", stdout=out
    )
    return out.getvalue()


def test_flood_over_the_http_device_api_reaches_112(example_devices, live_server):  # type: ignore[no-untyped-def]
    log = simulate_over_http(live_server.url)
    assert f"via HTTP (ThingsBoard device API at {live_server.url}" in log
    assert "done" in log
    posts = [d for d in example_devices if d.kind == "water_level"]
    for post in posts:
        assert Reading.objects.filter(device=post, quantity="water_level").count() == STEPS
    alert = Alert.objects.filter(device__in=posts, level__in=["siaga2", "siaga1"]).first()
    assert alert is not None and alert.incident_id is not None
    assert Incident.objects.filter(pk=alert.incident_id, tenant__region_id="36.73").exists()


def test_http_fallback_says_when_the_platform_does_not_answer(example_devices):  # type: ignore[no-untyped-def]
    from kotacerdas.sensors.mosquitto import free_port

    with pytest.raises(CommandError, match="does not answer"):
        simulate_over_http(f"http://127.0.0.1:{free_port()}")
