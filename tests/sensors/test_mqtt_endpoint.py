"""The platform's own MQTT endpoint (``serve_mqtt``, MQTT 3.1.1) speaking ThingsBoard's device API:
token as the username, telemetry, attributes and gateway payloads, a forged token refused, and
an alert that opens a 112 incident. The endpoint writes from its own thread, so these tests
commit for real (PostgreSQL; SQLite serialises writers across threads)."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterator

import paho.mqtt.client as mqtt
import pytest
from django.db import connection
from django.utils import timezone
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion

from kotacerdas.emergency.models import Incident
from kotacerdas.sensors.models import Alert, Device, Reading
from kotacerdas.sensors.mosquitto import free_port
from kotacerdas.sensors.mqtt_endpoint import EndpointThread
from kotacerdas.sensors.services import device_register, rule_save
from kotacerdas.tenants.models import Opd, Tenant

pytestmark = pytest.mark.postgres


@pytest.fixture
def endpoint(request: pytest.FixtureRequest, transactional_db: None) -> Iterator[EndpointThread]:
    if connection.vendor != "postgresql":
        pytest.skip("the endpoint writes from its own thread: PostgreSQL")
    request.getfixturevalue("serang_after_flush")
    server = EndpointThread("127.0.0.1", free_port())
    server.start()
    yield server
    server.stop()


def wait_for(predicate, timeout: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def ms(when: dt.datetime) -> int:
    return int(when.timestamp() * 1000)


class TbDevice:
    """A device speaking ThingsBoard's MQTT device API (MQTT 3.1.1, token as username)."""

    def __init__(self, port: int, token: str) -> None:
        self.client = mqtt.Client(CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv311)
        self.client.username_pw_set(token)
        self.client.connect("127.0.0.1", port)
        self.client.loop_start()

    def publish(self, topic: str, payload: object) -> None:
        self.client.publish(topic, json.dumps(payload), qos=1).wait_for_publish(5)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def test_telemetry_attributes_gateway_and_112(endpoint: EndpointThread) -> None:
    kota = Tenant.objects.get(region_id="36.73")
    post = device_register(
        tenant=kota,
        actor=None,
        name="Pos Ciujung",
        kind="water_level",
        opd=Opd.objects.get(tenant=kota, acronym="BPBD"),
        latitude=-6.1,
        longitude=106.2,
    )
    rule_save(
        tenant=kota,
        device=None,
        data={
            "name": "Siaga",
            "kind": "water_level",
            "quantity": "water_level",
            "levels": [
                {"code": "siaga3", "name": "Siaga III", "threshold": 150, "incident": False},
                {"code": "siaga2", "name": "Siaga II", "threshold": 200, "incident": True},
            ],
            "min_duration": 0,
        },
    )
    device = TbDevice(endpoint.port, post.token)
    try:
        now = timezone.now()
        device.publish(
            "v1/devices/me/telemetry",
            {"ts": ms(now - dt.timedelta(minutes=3)), "values": {"water_level": 120}},
        )
        device.publish(
            "v1/devices/me/telemetry",
            [
                {"ts": ms(now - dt.timedelta(minutes=m)), "values": {"water_level": v}}
                for m, v in [(2, 180), (1, 230)]
            ],
        )
        device.publish("v1/devices/me/attributes", {"battery": 77, "firmware": "1.0.3"})
        wait_for(lambda: Reading.objects.filter(device=post.device).count() == 4)
    finally:
        device.close()
    alert = Alert.objects.get(device=post.device)
    assert alert.level == "siaga2"
    assert alert.incident_id is not None
    incident = Incident.objects.get(pk=alert.incident_id)
    assert incident.tenant_id == kota.pk
    assert Device.objects.get(pk=post.device.pk).battery == 77

    gateway = device_register(tenant=kota, actor=None, name="Gateway BPBD", kind="water_level")
    gw = TbDevice(endpoint.port, gateway.token)
    try:
        gw.publish("v1/gateway/connect", {"device": "Pos Pintu Air 1"})
        gw.publish(
            "v1/gateway/telemetry",
            {"Pos Pintu Air 1": [{"ts": ms(timezone.now()), "values": {"water_level": 90}}]},
        )
        wait_for(lambda: Reading.objects.filter(device__gateway=gateway.device).exists())
    finally:
        gw.close()
    child = Device.objects.get(gateway=gateway.device)
    assert (child.name, child.tenant_id) == ("Pos Pintu Air 1", kota.pk)


def test_forged_token_is_refused_and_paho_flat_payload_works(endpoint: EndpointThread) -> None:
    kota = Tenant.objects.get(region_id="36.73")
    post = device_register(tenant=kota, actor=None, name="Pos Paho", kind="water_level")
    refused: list[bool] = []
    bad = mqtt.Client(CallbackAPIVersion.VERSION2)
    bad.username_pw_set("forged-token")
    bad.on_connect = lambda c, u, f, reason, p: refused.append(reason.is_failure)
    bad.connect("127.0.0.1", endpoint.port)
    bad.loop_start()
    wait_for(lambda: bool(refused))
    bad.loop_stop()
    assert refused == [True]

    good = mqtt.Client(CallbackAPIVersion.VERSION2)
    good.username_pw_set(post.token)
    good.connect("127.0.0.1", endpoint.port)
    good.loop_start()
    try:
        good.publish("v1/devices/me/telemetry", '{"water_level": 111}', qos=1).wait_for_publish(5)
        good.publish(
            "v1/devices/me/telemetry", '[{"ts": 1, "values": {"water_level": 1}}]', qos=1
        ).wait_for_publish(5)
        wait_for(lambda: Reading.objects.filter(device=post.device).exists())
    finally:
        good.loop_stop()
        good.disconnect()
    assert list(Reading.objects.filter(device=post.device).values_list("value", flat=True)) == [111]


class SdkLog:
    """What ThingsBoard's SDK reports through its callbacks."""

    def __init__(self) -> None:
        self.connects: list[int] = []

    def on_connect(self, client, userdata, flags, result_code, *extra, **kwargs):  # type: ignore[no-untyped-def]
        self.connects.append(result_code.value)


def sdk_device(port: int, token: str, cls=None):  # type: ignore[no-untyped-def]
    """ThingsBoard's own SDK, unchanged: it connects with MQTT 5 and the token as username."""
    from tb_device_mqtt import TBDeviceMqttClient

    sdk_log = SdkLog()
    client = (cls or TBDeviceMqttClient)("127.0.0.1", port=port, username=token)
    client.connect(callback=sdk_log.on_connect, keepalive=30)
    wait_for(lambda: bool(sdk_log.connects))
    return client, sdk_log


def test_thingsboard_sdk_over_mqtt5_stores_telemetry_and_opens_112_incident(endpoint):  # type: ignore[no-untyped-def]
    from tb_device_mqtt import TBPublishInfo

    kota = Tenant.objects.get(region_id="36.73")
    post = device_register(tenant=kota, actor=None, name="Pos SDK", kind="water_level")
    rule_save(
        tenant=kota,
        device=post.device,
        data={
            "name": "Siaga SDK",
            "quantity": "water_level",
            "levels": [
                {"code": "siaga2", "name": "Siaga II", "threshold": 200, "incident": True},
            ],
            "min_duration": 0,
        },
    )
    client, sdk_log = sdk_device(endpoint.port, post.token)
    try:
        assert sdk_log.connects == [0]
        # The SDK asks for its session limits by RPC on connect; the endpoint answers.
        wait_for(lambda: client.rate_limits_received)
        now = timezone.now()
        sent = [
            client.send_telemetry(
                {"ts": ms(now - dt.timedelta(minutes=2)), "values": {"water_level": 150}}
            ),
            client.send_telemetry(
                [{"ts": ms(now - dt.timedelta(minutes=1)), "values": {"water_level": 240}}]
            ),
            client.send_attributes({"battery": 64, "firmware": "2.1"}),
        ]
        # get() returns once the endpoint's PUBACK arrived, i.e. after the batch committed.
        assert [info.get() for info in sent] == [TBPublishInfo.TB_ERR_SUCCESS] * 3
        assert Reading.objects.filter(device=post.device, quantity="water_level").count() == 2
    finally:
        client.stop()
        client.disconnect()
    assert Device.objects.get(pk=post.device.pk).battery == 64
    alert = Alert.objects.get(device=post.device)
    assert alert.level == "siaga2" and alert.incident_id is not None
    assert Incident.objects.get(pk=alert.incident_id).tenant_id == kota.pk


def test_thingsboard_sdk_gateway_and_forged_token_over_mqtt5(endpoint):  # type: ignore[no-untyped-def]
    from tb_device_mqtt import TBPublishInfo
    from tb_gateway_mqtt import TBGatewayMqttClient

    kota = Tenant.objects.get(region_id="36.73")
    forged, forged_log = sdk_device(endpoint.port, "forged-token")
    forged.stop()
    forged.disconnect()
    assert forged_log.connects == [134]  # MQTT 5: bad user name or password

    gateway = device_register(tenant=kota, actor=None, name="Gateway SDK", kind="water_level")
    client, sdk_log = sdk_device(endpoint.port, gateway.token, TBGatewayMqttClient)
    try:
        assert sdk_log.connects == [0]
        client.gw_connect_device("Pos Pintu Air SDK", "water_level").get()
        info = client.gw_send_telemetry(
            "Pos Pintu Air SDK", {"ts": ms(timezone.now()), "values": {"water_level": 95}}
        )
        assert info.get() == TBPublishInfo.TB_ERR_SUCCESS
    finally:
        client.stop()
        client.disconnect()
    child = Device.objects.get(gateway=gateway.device)
    assert child.name == "Pos Pintu Air SDK"
    assert list(Reading.objects.filter(device=child).values_list("value", flat=True)) == [95]


@pytest.mark.parametrize("protocol", [mqtt.MQTTv311, mqtt.MQTTv5], ids=["mqtt311", "mqtt5"])
def test_every_acknowledged_message_is_stored_when_devices_disconnect_at_once(
    endpoint: EndpointThread, protocol: MQTTProtocolVersion
) -> None:
    """Many devices publish many QoS 1 messages at once and disconnect right after their last
    PUBACK (what the benchmark's publisher does). Every acknowledged reading must be stored,
    once: amqtt acknowledges a 3.1.1 PUBLISH when it queues it, and used to drop its queue
    when the client left, so thousands of acknowledged readings were never stored."""
    kota = Tenant.objects.get(region_id="36.73")
    devices, messages = 10, 300
    posts = [
        device_register(tenant=kota, actor=None, name=f"Pos Beban {i}", kind="water_level")
        for i in range(devices)
    ]
    start = ms(timezone.now() - dt.timedelta(days=1))
    clients = []
    for post in posts:
        client = mqtt.Client(CallbackAPIVersion.VERSION2, protocol=protocol)
        client.username_pw_set(post.token)
        client.max_inflight_messages_set(messages)
        client.connect("127.0.0.1", endpoint.port)
        client.loop_start()
        clients.append(client)
    infos = [
        client.publish(
            "v1/devices/me/telemetry",
            json.dumps({"ts": start + i * 1000, "values": {"water_level": 100 + i % 50}}),
            qos=1,
        )
        for i in range(messages)
        for client in clients
    ]
    for info in infos:
        info.wait_for_publish(60)
    for client in clients:
        client.disconnect()
        client.loop_stop()
    assert all(info.is_published() for info in infos)
    stored = Reading.objects.filter(device__in=[p.device for p in posts])
    wait_for(lambda: stored.count() >= devices * messages, timeout=90)
    assert stored.count() == devices * messages
