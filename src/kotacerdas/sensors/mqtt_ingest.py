"""The ingestion worker's MQTT side: subscribe to the device topics on Mosquitto with a shared
subscription (``$share/<group>/…``), so that several workers split one stream through the
broker, and write batches through ``ingestion.ingest``.

Messages are acknowledged (QoS 1, manual acks) only after their batch has committed: a worker
that dies mid-batch leaves its messages to be redelivered, and the (device, quantity, ts) key
makes the redelivery harmless for readings that carry their own timestamp.

The network loop runs in paho's thread and only queues messages; ``drain()`` does the database
work in the caller's thread.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import close_old_connections

from kotacerdas.sensors import protocols
from kotacerdas.sensors.dynsec import DEVICE_TOPIC_TREES, SHARE_GROUP, BrokerUrl
from kotacerdas.sensors.ingestion import IngestResult, RawReading, ingest
from kotacerdas.sensors.models import Device

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    topic: str
    payload: bytes
    mid: int
    qos: int


def parse_topic(topic: str) -> tuple[str, str, str] | None:
    """(convention, apikey, device uid) for a device topic, else None."""
    parts = topic.split("/")
    if len(parts) == 5 and parts[0] == "" and parts[1] in ("ul", "json") and parts[4] == "attrs":
        return parts[1], parts[2], parts[3]
    if len(parts) == 4 and parts[:2] == ["kc", "v1"] and parts[3] == "telemetry":
        return "kc", "", parts[2]
    return None


class DeviceDirectory:
    """uid → (device id, apikey), refreshed from the database on a miss."""

    def __init__(self) -> None:
        self._known: dict[str, tuple[int, str]] = {}

    def resolve(self, uids: set[str]) -> dict[str, tuple[int, str]]:
        missing = uids - self._known.keys()
        if missing:
            for pk, uid, slug in Device.objects.filter(
                uid__in=missing, retired_at__isnull=True
            ).values_list("pk", "uid", "tenant__slug"):
                self._known[uid] = (pk, slug)
        return {u: self._known[u] for u in uids if u in self._known}

    def forget(self) -> None:
        self._known.clear()


def decode(messages: list[Message], directory: DeviceDirectory) -> tuple[list[RawReading], int]:
    """Readings from a batch of messages; the count of messages that could not be used."""
    parsed = [(m, parse_topic(m.topic)) for m in messages]
    devices = directory.resolve({p[2] for _m, p in parsed if p})
    readings: list[RawReading] = []
    bad = 0
    for message, parts in parsed:
        if parts is None or parts[2] not in devices:
            bad += 1
            continue
        convention, apikey, uid = parts
        device_id, tenant_apikey = devices[uid]
        if convention != "kc" and apikey != tenant_apikey:
            bad += 1
            continue
        try:
            if convention == "ul":
                readings += protocols.with_aliases(protocols.ultralight(device_id, message.payload))
            elif convention == "json":
                readings += protocols.with_aliases(
                    protocols.fiware_json(device_id, message.payload)
                )
            else:
                readings += protocols.thingsboard_telemetry(
                    device_id, protocols.load_json(message.payload)
                )
        except protocols.PayloadError as exc:
            log.info("sensors: unusable payload on %s: %s", message.topic, exc)
            bad += 1
    return readings, bad


class MosquittoIngestor:
    """One worker's connection. ``start()`` connects and subscribes; ``drain()`` writes what has
    arrived; ``run_forever()`` is the command's loop."""

    def __init__(self, url: BrokerUrl, *, client_id: str = "", batch_size: int = 2000) -> None:
        import paho.mqtt.client as mqtt
        from paho.mqtt.enums import CallbackAPIVersion

        self.url = url
        self.batch_size = batch_size
        self.inbox: queue.Queue[Message] = queue.Queue(maxsize=100_000)
        self.directory = DeviceDirectory()
        self.received = 0
        self.totals = IngestResult()
        self.subscribed = threading.Event()
        self._client = mqtt.Client(
            CallbackAPIVersion.VERSION2,
            client_id=client_id or f"kc-ingest-{uuid.uuid4().hex[:8]}",
            clean_session=True,
            manual_ack=True,
        )
        self._client.username_pw_set(url.username, url.password)
        self._client.max_inflight_messages_set(1000)
        self._client.on_connect = self._on_connect
        self._client.on_subscribe = self._on_subscribe
        self._client.on_message = self._on_message

    def _on_connect(self, client: Any, _u: Any, _f: Any, reason: Any, _p: Any) -> None:
        if reason.is_failure:
            log.error("sensors: broker refused the ingestion worker: %s", reason)
            return
        client.subscribe([(f"$share/{SHARE_GROUP}/{tree}", 1) for tree in DEVICE_TOPIC_TREES])

    def _on_subscribe(self, _c: Any, _u: Any, _mid: Any, reasons: Any, _p: Any) -> None:
        if any(r.is_failure for r in reasons):
            log.error("sensors: subscription refused: %s", reasons)
            return
        self.subscribed.set()

    def _on_message(self, _c: Any, _u: Any, message: Any) -> None:
        self.inbox.put(Message(message.topic, bytes(message.payload), message.mid, message.qos))

    def start(self, timeout: float = 10.0) -> None:
        self._client.connect(self.url.host, self.url.port, keepalive=30)
        self._client.loop_start()
        if not self.subscribed.wait(timeout):
            self.stop()
            raise RuntimeError("the broker did not accept the ingestion subscriptions")

    def stop(self) -> None:
        # DISCONNECT first, while the network loop still runs to send it: otherwise the broker
        # keeps the session (and its share of the stream) until the keepalive runs out.
        self._client.disconnect()
        self._client.loop_stop()

    def drain(self, *, wait: float = 0.0) -> IngestResult:
        """Write up to one batch of what has arrived; ack it after the commit."""
        batch: list[Message] = []
        try:
            batch.append(self.inbox.get(timeout=wait) if wait else self.inbox.get_nowait())
        except queue.Empty:
            return IngestResult()
        while len(batch) < self.batch_size:
            try:
                batch.append(self.inbox.get_nowait())
            except queue.Empty:
                break
        self.received += len(batch)
        readings, _bad = decode(batch, self.directory)
        result = ingest(readings) if readings else IngestResult()
        for message in batch:
            if message.qos:
                self._client.ack(message.mid, message.qos)
        self.totals.merge(result)
        return result

    def run_forever(self, stop: threading.Event) -> None:
        last_refresh = time.monotonic()
        while not stop.is_set():
            close_old_connections()
            self.drain(wait=0.5)
            if time.monotonic() - last_refresh > 60:
                self.directory.forget()  # pick up retirements and new devices
                last_refresh = time.monotonic()
