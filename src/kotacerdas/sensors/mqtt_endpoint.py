"""The platform's own MQTT endpoint for ThingsBoard's device API, built on amqtt (a maintained
asyncio MQTT broker). ThingsBoard's ``v1/devices/me/…`` topics carry no device identity, so the
identity comes from the connection: the device connects with its access token as the MQTT
username, an authentication plugin checks the token, and the publish handler writes through the
same ingestion path as every other protocol.

Serves ``v1/devices/me/telemetry``, ``v1/devices/me/attributes`` and, for gateways,
``v1/gateway/telemetry`` (``{"<device name>": [{"ts", "values"}]}``; children are created on
first sight under the gateway). Nothing is broadcast to other clients.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from amqtt.broker import Action, Broker
from amqtt.contexts import BaseContext
from amqtt.plugins.base import BaseAuthPlugin, BasePlugin, BaseTopicPlugin
from amqtt.session import ApplicationMessage, Session
from django.db import close_old_connections, connections

from kotacerdas.sensors import protocols
from kotacerdas.sensors.ingestion import IngestResult, RawReading, ingest

log = logging.getLogger(__name__)

TELEMETRY = "v1/devices/me/telemetry"
ATTRIBUTES = "v1/devices/me/attributes"
GATEWAY_TELEMETRY = "v1/gateway/telemetry"
GATEWAY_OTHER = ("v1/gateway/connect", "v1/gateway/disconnect", "v1/gateway/attributes")
# What ThingsBoard's SDK subscribes to on connect; nothing is ever sent there, but refusing the
# subscription would make the SDK log errors.
SUBSCRIBABLE_PREFIXES = ("v1/devices/me/attributes", "v1/devices/me/rpc/", "v1/gateway/")


@dataclass
class EndpointState:
    """Shared by the plugins of one running endpoint (one per process)."""

    devices: dict[str, int] = field(default_factory=dict)  # client id → device id
    pending: list[tuple[int, str, bytes]] = field(default_factory=list)
    totals: IngestResult = field(default_factory=IngestResult)
    received: int = 0
    db: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(max_workers=1, thread_name_prefix="kc-mqtt-db")
    )
    wake: asyncio.Event | None = None


STATE = EndpointState()


def _lookup(token: str) -> int | None:
    from kotacerdas.sensors.services import device_by_token

    close_old_connections()
    device = device_by_token(token)
    return device.pk if device else None


class TokenAuthPlugin(BaseAuthPlugin):  # type: ignore[misc]  # amqtt is untyped
    """The MQTT username is the device's access token (ThingsBoard's convention)."""

    @dataclass
    class Config:
        pass

    async def authenticate(self, *, session: Session) -> bool:
        token = session.username or ""
        if not token:
            return False
        loop = asyncio.get_running_loop()
        device_id = await loop.run_in_executor(STATE.db, _lookup, token)
        if device_id is None:
            return False
        STATE.devices[session.client_id or ""] = device_id
        return True


class DeviceTopicPlugin(BaseTopicPlugin):  # type: ignore[misc]  # amqtt is untyped
    """Devices publish only on the ThingsBoard device topics; the messages are consumed here
    (never relayed), so other clients learn nothing."""

    @dataclass
    class Config:
        pass

    async def topic_filtering(
        self,
        *,
        session: Session | None = None,
        topic: str | None = None,
        action: Action | None = None,
    ) -> bool:
        if session is None or topic is None or (session.client_id or "") not in STATE.devices:
            return False
        if action == Action.SUBSCRIBE:
            return topic.startswith(SUBSCRIBABLE_PREFIXES)
        return False  # publishes are taken in by on_broker_message_received, not relayed


class IngestPlugin(BasePlugin[BaseContext]):  # type: ignore[misc]  # amqtt is untyped
    @dataclass
    class Config:
        pass

    async def on_broker_message_received(
        self, *, client_id: str, message: ApplicationMessage
    ) -> None:
        device_id = STATE.devices.get(client_id)
        if device_id is None or message is None or not message.topic:
            return
        if message.topic in (TELEMETRY, ATTRIBUTES, GATEWAY_TELEMETRY):
            STATE.pending.append((device_id, message.topic, bytes(message.data or b"")))
            STATE.received += 1
            if STATE.wake is not None and len(STATE.pending) >= 500:
                STATE.wake.set()

    async def on_broker_client_disconnected(
        self, *, client_id: str, client_session: Session
    ) -> None:
        STATE.devices.pop(client_id, None)


def _decode_and_ingest(batch: list[tuple[int, str, bytes]]) -> IngestResult:
    """In the database thread: decode a batch (gateway children resolved here) and ingest it."""
    from kotacerdas.sensors.models import Device
    from kotacerdas.sensors.services import device_gateway_child

    close_old_connections()
    readings: list[RawReading] = []
    attribute_devices: dict[int, set[str]] = {}
    for device_id, topic, payload in batch:
        try:
            data = protocols.load_json(payload)
            if topic == TELEMETRY:
                readings += protocols.thingsboard_telemetry(device_id, data)
            elif topic == ATTRIBUTES:
                if not isinstance(data, dict):
                    continue
                if device_id not in attribute_devices:
                    attribute_devices[device_id] = set(
                        Device.objects.get(pk=device_id).quantities.values_list("key", flat=True)
                    )
                keys = attribute_devices[device_id]
                readings += protocols.thingsboard_telemetry(
                    device_id, {k: v for k, v in data.items() if k in keys}
                )
            else:
                gateway = Device.objects.select_related("tenant", "opd").get(pk=device_id)
                for name, items in protocols.thingsboard_gateway(data).items():
                    child = device_gateway_child(gateway=gateway, name=name)
                    readings += protocols.thingsboard_telemetry(child.pk, items)
        except protocols.PayloadError as exc:
            log.info("sensors: unusable payload from device %s on %s: %s", device_id, topic, exc)
    return ingest(readings) if readings else IngestResult()


async def _flusher(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    assert STATE.wake is not None  # noqa: S101 - set by serve()
    while not stop.is_set() or STATE.pending:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(STATE.wake.wait(), timeout=0.1)
        STATE.wake.clear()
        if not STATE.pending:
            continue
        batch, STATE.pending = STATE.pending[:5000], STATE.pending[5000:]
        try:
            result = await loop.run_in_executor(STATE.db, _decode_and_ingest, batch)
        except Exception:
            log.exception("sensors: a batch of %d MQTT messages failed", len(batch))
            continue
        STATE.totals.merge(result)


def broker_config(host: str, port: int) -> dict[str, Any]:
    return {
        "listeners": {
            "default": {"type": "tcp", "bind": f"{host}:{port}", "max_connections": 10000}
        },
        "plugins": {
            "kotacerdas.sensors.mqtt_endpoint.TokenAuthPlugin": {},
            "kotacerdas.sensors.mqtt_endpoint.DeviceTopicPlugin": {},
            "kotacerdas.sensors.mqtt_endpoint.IngestPlugin": {},
        },
    }


async def serve(
    host: str, port: int, stop: asyncio.Event, started: threading.Event | None = None
) -> None:
    STATE.wake = asyncio.Event()
    broker = Broker(broker_config(host, port))
    await broker.start()
    flusher = asyncio.create_task(_flusher(stop))
    if started is not None:
        started.set()
    try:
        await stop.wait()
    finally:
        await broker.shutdown()
        STATE.wake.set()
        await flusher
        # The database thread's connection must not outlive the endpoint.
        await asyncio.get_running_loop().run_in_executor(STATE.db, connections.close_all)


class EndpointThread:
    """The endpoint in a background thread (tests, benchmark, the demo simulator)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self._loop = asyncio.new_event_loop()
        self._stop: asyncio.Event | None = None
        self._started = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="kc-mqtt-endpoint")

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)

        async def main() -> None:
            self._stop = asyncio.Event()
            await serve(self.host, self.port, self._stop, self._started)

        try:
            self._loop.run_until_complete(main())
        finally:
            self._loop.run_until_complete(self._loop.shutdown_asyncgens())
            self._loop.close()

    def start(self, timeout: float = 10.0) -> None:
        self._thread.start()
        if not self._started.wait(timeout):
            raise RuntimeError("the MQTT endpoint did not start")

    def stop(self) -> None:
        if self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=15)
