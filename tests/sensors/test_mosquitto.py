"""The real MQTT path through Mosquitto: devices authenticated by the dynamic-security plugin,
FIWARE UltraLight/JSON and the platform's own topic, a forged device id refused by the broker,
and two ingestion workers sharing one stream."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections.abc import Iterator

import paho.mqtt.client as mqtt
import pytest
from django.utils import timezone
from paho.mqtt.enums import CallbackAPIVersion
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings

from kotacerdas.sensors.dynsec import DynSec, ensure_ingest_client
from kotacerdas.sensors.models import Reading
from kotacerdas.sensors.mosquitto import RunningBroker, throwaway_broker
from kotacerdas.sensors.mqtt_ingest import MosquittoIngestor
from kotacerdas.sensors.services import Registered, device_register
from kotacerdas.tenants.models import Tenant
from tests.sensors.conftest import NOW, ms

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def broker() -> Iterator[RunningBroker]:
    with throwaway_broker() as running:
        with DynSec(running.url) as ds:
            running.ingest = ensure_ingest_client(ds, running.url)
        yield running


@pytest.fixture
def registered(
    broker: RunningBroker,
    settings: Settings,
    kota: Tenant,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> tuple[Registered, Registered]:
    """Two posts, pushed to the broker by the after-commit hook as in production."""
    settings.SENSORS_MQTT_URL = broker.mqtt_url
    with django_capture_on_commit_callbacks(execute=True):
        a = device_register(
            tenant=kota,
            actor=None,
            name="Pos A",
            kind="water_level",
            uid=f"pos-a-{time.monotonic_ns()}",
        )
        b = device_register(
            tenant=kota,
            actor=None,
            name="Pos B",
            kind="water_level",
            uid=f"pos-b-{time.monotonic_ns()}",
        )
    return a, b


class Device:
    """A device as the broker sees it: its id and token, MQTT 5 so refusals come back."""

    def __init__(self, broker: RunningBroker, registered: Registered) -> None:
        self.results: dict[int, int] = {}
        self.done = threading.Event()
        self.client = mqtt.Client(CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
        self.client.username_pw_set(registered.device.uid, registered.token)
        self.client.on_publish = self._on_publish
        self.connected = threading.Event()
        self.client.on_connect = lambda c, u, f, reason, p: (
            self.connected.set() if not reason.is_failure else None
        )
        self.client.connect(broker.url.host, broker.url.port)
        self.client.loop_start()
        assert self.connected.wait(5), "the broker refused the device's own credentials"

    def _on_publish(self, _c, _u, mid, reason, _p) -> None:  # type: ignore[no-untyped-def]
        self.results[mid] = reason.value

    def publish(self, topic: str, payload: str) -> int:
        info = self.client.publish(topic, payload, qos=1)
        info.wait_for_publish(5)
        return self.results[info.mid]

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def drain_until(workers, expected: int, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    """Drain until the workers together received ``expected`` messages. A deadline, not a
    pause: on an idle machine this returns in well under a second."""
    deadline = time.monotonic() + timeout
    while sum(w.received for w in workers) < expected:
        assert time.monotonic() < deadline, (
            f"only {sum(w.received for w in workers)} of {expected} messages arrived"
        )
        for worker in workers:
            worker.drain(wait=0.05)


@pytest.fixture
def worker(broker: RunningBroker) -> Iterator[MosquittoIngestor]:
    assert broker.ingest is not None
    w = MosquittoIngestor(broker.ingest)
    w.start()
    yield w
    w.stop()


def test_fiware_ultralight_json_and_own_topic_are_stored(
    broker: RunningBroker,
    registered: tuple[Registered, Registered],
    worker: MosquittoIngestor,
    kota: Tenant,
    frozen: dt.datetime,
) -> None:
    a, _b = registered
    dev = Device(broker, a)
    try:
        uid, apikey = a.device.uid, kota.slug
        assert (
            dev.publish(
                f"/ul/{apikey}/{uid}/attrs",
                f"t|{(NOW - dt.timedelta(minutes=2)).isoformat()}|wl|120|bat|81",
            )
            == 0
        )
        assert (
            dev.publish(
                f"/json/{apikey}/{uid}/attrs",
                json.dumps({"TimeInstant": (NOW - dt.timedelta(minutes=1)).isoformat(), "wl": 125}),
            )
            == 0
        )
        assert (
            dev.publish(
                f"kc/v1/{uid}/telemetry",
                json.dumps(
                    {"ts": ms(NOW), "values": {"water_level": 1.3}, "units": {"water_level": "m"}}
                ),
            )
            == 0
        )
        drain_until([worker], 3)
    finally:
        dev.close()
    values = list(
        Reading.objects.filter(device=a.device, quantity="water_level")
        .order_by("ts")
        .values_list("value", flat=True)
    )
    assert values == [120, 125, 130]
    assert Reading.objects.get(device=a.device, quantity="battery").value == 81


def test_broker_refuses_a_forged_device_id(
    broker: RunningBroker,
    registered: tuple[Registered, Registered],
    worker: MosquittoIngestor,
    kota: Tenant,
    frozen: dt.datetime,
) -> None:
    a, b = registered
    dev = Device(broker, a)
    try:
        refused = dev.publish(f"/ul/{kota.slug}/{b.device.uid}/attrs", "wl|999")
        assert refused == 135  # MQTT 5 "Not authorized": the broker itself said no
        assert dev.publish(f"/ul/{kota.slug}/{a.device.uid}/attrs", "wl|100") == 0
        drain_until([worker], 1)
    finally:
        dev.close()
    assert not Reading.objects.filter(device=b.device).exists()
    assert Reading.objects.filter(device=a.device).count() == 1


def test_a_wrong_token_cannot_connect(
    broker: RunningBroker, registered: tuple[Registered, Registered]
) -> None:
    a, _b = registered
    client = mqtt.Client(CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
    client.username_pw_set(a.device.uid, "wrong")
    outcome: list[bool] = []
    client.on_connect = lambda c, u, f, reason, p: outcome.append(reason.is_failure)
    client.connect(broker.url.host, broker.url.port)
    client.loop_start()
    deadline = time.monotonic() + 5
    while not outcome and time.monotonic() < deadline:
        time.sleep(0.02)
    client.loop_stop()
    assert outcome == [True]


def test_two_workers_share_one_stream_nothing_lost_or_doubled(
    broker: RunningBroker, registered: tuple[Registered, Registered]
) -> None:
    a, _b = registered
    assert broker.ingest is not None
    first, second = MosquittoIngestor(broker.ingest), MosquittoIngestor(broker.ingest)
    # start() returns once the broker acknowledged the shared subscription (SUBACK): both
    # workers are members of the group before the first message is published.
    first.start()
    second.start()
    dev = Device(broker, a)
    try:
        n = 200
        now = timezone.now()  # real time: the drain deadline must be able to pass
        sent = [
            dev.client.publish(
                f"kc/v1/{a.device.uid}/telemetry",
                json.dumps(
                    {
                        "ts": ms(now - dt.timedelta(seconds=n - i)),
                        "values": {"water_level": 100 + i % 7},
                    }
                ),
                qos=1,
            )
            for i in range(n)
        ]
        for info in sent:  # the broker has every message (PUBACK to the device)
            info.wait_for_publish(60)
        assert all(info.is_published() for info in sent)
        drain_until([first, second], n)
    finally:
        dev.close()
        # DISCONNECT and stop the network threads: after this nothing more can arrive, so
        # draining the inboxes below accounts for every delivery the broker made, doubles
        # included, without waiting an arbitrary time for them.
        first.stop()
        second.stop()
    for worker in (first, second):
        while worker.drain().stored or not worker.inbox.empty():
            pass
    assert first.received > 0 and second.received > 0
    assert first.received + second.received == n
    assert first.totals.stored + second.totals.stored == n
    assert first.totals.duplicates + second.totals.duplicates == 0
    assert Reading.objects.filter(device=a.device).count() == n
