"""ThingsBoard's HTTP device API and the one ingestion path behind it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.test import Client

from kotacerdas.sensors.models import Device, LatestValue, Reading, RejectCount, Rollup
from kotacerdas.sensors.services import Registered
from kotacerdas.tenants.models import Tenant
from tests.sensors.conftest import NOW, ms

pytestmark = pytest.mark.django_db


def _post(client: Client, token: str, body: object):  # type: ignore[no-untyped-def]
    return client.post(f"/api/v1/{token}/telemetry", body, content_type="application/json")


def test_unknown_token_gets_401_and_stores_nothing(
    client: Client, post: Registered, frozen: dt.datetime
) -> None:
    response = _post(client, "not-a-token", {"water_level": 120})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unknown_device_token"
    assert Reading.objects.count() == 0


def test_three_thingsboard_shapes_are_stored(
    client: Client, post: Registered, frozen: dt.datetime
) -> None:
    t1 = NOW - dt.timedelta(minutes=10)
    t2 = NOW - dt.timedelta(minutes=5)
    assert (
        _post(client, post.token, {"ts": ms(t1), "values": {"water_level": 120}}).json()["stored"]
        == 1
    )
    assert (
        _post(
            client, post.token, [{"ts": ms(t2), "values": {"water_level": 125, "battery": 87}}]
        ).json()["stored"]
        == 2
    )
    assert _post(client, post.token, {"water_level": 130}).json()["stored"] == 1
    values = list(
        Reading.objects.filter(quantity="water_level")
        .order_by("ts")
        .values_list("value", flat=True)
    )
    assert values == [120, 125, 130]
    latest = LatestValue.objects.get(device=post.device, quantity="water_level")
    assert (latest.value, latest.ts) == (130, NOW)
    device = Device.objects.get(pk=post.device.pk)
    assert device.last_seen_at == NOW and device.battery == 87
    assert device.health(NOW) == "online"


def test_duplicates_clock_skew_and_range_are_rejected_and_counted(
    client: Client, post: Registered, frozen: dt.datetime
) -> None:
    t = NOW - dt.timedelta(minutes=1)
    body = {"ts": ms(t), "values": {"water_level": 100}}
    assert _post(client, post.token, body).json()["stored"] == 1
    again = _post(client, post.token, body).json()
    assert again == {"stored": 0, "duplicates": 1, "rejected": {}}
    future = _post(
        client, post.token, {"ts": ms(NOW + dt.timedelta(hours=2)), "values": {"water_level": 1}}
    ).json()
    past = _post(
        client, post.token, {"ts": ms(NOW - dt.timedelta(days=30)), "values": {"water_level": 1}}
    ).json()
    silly = _post(client, post.token, {"water_level": 99999, "pm25": 3, "battery": "x"}).json()
    assert future["rejected"] == {"clock_future": 1}
    assert past["rejected"] == {"clock_past": 1}
    assert silly["rejected"] == {"out_of_range": 1, "unknown_quantity": 1, "not_a_number": 1}
    assert Reading.objects.count() == 1
    counts = dict(RejectCount.objects.filter(device=post.device).values_list("reason", "count"))
    assert counts == {
        "duplicate": 1,
        "clock_future": 1,
        "clock_past": 1,
        "out_of_range": 1,
        "unknown_quantity": 1,
        "not_a_number": 1,
    }


def test_malformed_body_is_a_400(client: Client, post: Registered, frozen: dt.datetime) -> None:
    response = client.post(
        f"/api/v1/{post.token}/telemetry", b"{nope", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_payload"
    assert (
        _post(client, post.token, {"ts": "yesterday", "values": {"water_level": 1}}).status_code
        == 400
    )
    assert _post(client, post.token, [1, 2]).status_code == 400


def test_rollups_hold_hourly_and_daily_min_mean_max(
    client: Client, post: Registered, frozen: dt.datetime
) -> None:
    base = NOW - dt.timedelta(hours=1)  # 09:00
    body = [
        {"ts": ms(base + dt.timedelta(minutes=m)), "values": {"water_level": v}}
        for m, v in [(0, 100), (20, 130), (40, 110), (60, 150)]
    ]
    assert _post(client, post.token, body).json()["stored"] == 4
    _post(client, post.token, body)  # a retry adds nothing to the rollups
    hour = Rollup.objects.get(device=post.device, quantity="water_level", bucket="hour", start=base)
    assert (hour.count, hour.minimum, hour.maximum, hour.mean) == (3, 100, 130, 340 / 3)
    day = Rollup.objects.get(device=post.device, quantity="water_level", bucket="day")
    assert (day.count, day.minimum, day.maximum) == (4, 100, 150)


def test_retired_device_token_stops_working_and_history_stays(
    client: Client, post: Registered, frozen: dt.datetime
) -> None:
    from kotacerdas.sensors.services import device_retire

    _post(client, post.token, {"water_level": 100})
    device_retire(device=post.device, actor=None)
    assert _post(client, post.token, {"water_level": 101}).status_code == 401
    assert Reading.objects.filter(device=post.device).count() == 1


def test_create_device_prints_id_and_token_last(
    capsys: pytest.CaptureFixture[str], kota: Tenant
) -> None:
    call_command("create_device", "--tenant", "36.73", "--name", "Pos Uji", "--kind", "water_level")
    last = capsys.readouterr().out.strip().splitlines()[-1]
    device_id, token = last.split(" ")
    device = Device.objects.get(pk=int(device_id))
    assert device.name == "Pos Uji" and device.token_prefix == token[:8]
    assert token not in device.token_hash
