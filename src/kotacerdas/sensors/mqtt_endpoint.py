"""The platform's own MQTT endpoint for ThingsBoard's device API. ThingsBoard's
``v1/devices/me/…`` topics carry no device identity, so the identity comes from the connection:
the device connects with its access token as the MQTT username, the token is checked, and what
it publishes is written through the same ingestion path as every other protocol.

One port speaks both protocol versions ThingsBoard devices use. The first packet (CONNECT) names
the version: MQTT 3.1.1 connections are handed to amqtt (a maintained asyncio broker, through
its "external" listener, with an authentication plugin for the token); MQTT 5 connections, which
ThingsBoard's own Python SDK (``tb-mqtt-client``) makes and amqtt cannot parse, are served by a
small session on the ``mqtt5`` codec (:class:`Mqtt5Session`). No maintained Python broker speaks
MQTT 5: amqtt 0.12 refuses protocol level 5, mqttools (last release 2021) refuses any username
and QoS 1. The MQTT 5 session acknowledges a QoS 1 PUBLISH only after its batch has committed,
and answers the SDK's ``getSessionLimits`` RPC with the endpoint's limits.

Serves ``v1/devices/me/telemetry``, ``v1/devices/me/attributes`` and, for gateways,
``v1/gateway/telemetry`` (``{"<device name>": [{"ts", "values"}]}``; children are created on
first sight under the gateway). Nothing is broadcast to other clients.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import mqtt5
from amqtt.adapters import ReaderAdapter, StreamWriterAdapter
from amqtt.broker import Action, Broker
from amqtt.contexts import BaseContext
from amqtt.mqtt.packet import MQTTPacket
from amqtt.mqtt.publish import PublishPacket
from amqtt.plugins.base import BaseAuthPlugin, BasePlugin, BaseTopicPlugin
from amqtt.session import Session
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
RPC_REQUEST = "v1/devices/me/rpc/request/"
RPC_RESPONSE = "v1/devices/me/rpc/response/"
MAX_PACKET = protocols.MAX_PAYLOAD + 1024
RECEIVE_MAXIMUM = 1000  # QoS 1 messages a client may have unacknowledged (MQTT 5)

Ack = Callable[[], None]


@dataclass
class EndpointState:
    """Shared by the plugins of one running endpoint (one per process)."""

    devices: dict[str, int] = field(default_factory=dict)  # client id → device id
    # (device id, topic, payload, called after the batch commits: the MQTT 5 PUBACK)
    pending: list[tuple[int, str, bytes, Ack | None]] = field(default_factory=list)
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
    """Takes a device's PUBLISH in as amqtt reads it off the wire, not when amqtt's per-client
    loop gets round to it: amqtt acknowledges a QoS 1 PUBLISH as soon as it has queued it for
    that loop, and the loop drops its queue when the client disconnects. Under load (thousands
    queued) a device that disconnected after its last PUBACK lost every reading still queued."""

    @dataclass
    class Config:
        pass

    async def on_mqtt_packet_received(
        self, *, packet: MQTTPacket, session: Session | None = None
    ) -> None:
        # Called (as a task scheduled before amqtt's own handling) for every packet.
        if not isinstance(packet, PublishPacket) or session is None:
            return
        device_id = STATE.devices.get(session.client_id or "")
        topic = packet.topic_name
        if device_id is not None and topic in (TELEMETRY, ATTRIBUTES, GATEWAY_TELEMETRY):
            _enqueue(device_id, topic, bytes(packet.data or b""), None)

    async def on_broker_client_disconnected(
        self, *, client_id: str, client_session: Session
    ) -> None:
        STATE.devices.pop(client_id, None)


def _enqueue(device_id: int, topic: str, payload: bytes, ack: Ack | None) -> None:
    STATE.pending.append((device_id, topic, payload, ack))
    STATE.received += 1
    if STATE.wake is not None and len(STATE.pending) >= 500:
        STATE.wake.set()


def _decode_and_ingest(batch: list[tuple[int, str, bytes, Ack | None]]) -> IngestResult:
    """In the database thread: decode a batch (gateway children resolved here) and ingest it."""
    from kotacerdas.sensors.models import Device
    from kotacerdas.sensors.services import device_gateway_child

    close_old_connections()
    readings: list[RawReading] = []
    attribute_devices: dict[int, set[str]] = {}
    for device_id, topic, payload, _ack in batch:
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
            # Unacknowledged MQTT 5 messages are sent again when their client reconnects.
            log.exception("sensors: a batch of %d MQTT messages failed", len(batch))
            continue
        STATE.totals.merge(result)
        for *_rest, ack in batch:
            if ack is not None:
                ack()


class ProtocolViolation(Exception):
    """The client broke MQTT; the connection is closed (with a DISCONNECT on MQTT 5)."""

    def __init__(self, reason: mqtt5.DisconnectReasonCode) -> None:
        super().__init__(reason.name)
        self.reason = reason


async def read_packet(reader: asyncio.StreamReader) -> bytes:
    """One whole MQTT control packet (fixed header, remaining length, body) as bytes."""
    raw = bytearray(await reader.readexactly(1))
    length, multiplier = 0, 1
    for _ in range(4):
        byte = (await reader.readexactly(1))[0]
        raw.append(byte)
        length += (byte & 0x7F) * multiplier
        if not byte & 0x80:
            break
        multiplier *= 128
    else:
        raise ProtocolViolation(mqtt5.DisconnectReasonCode.MALFORMED_PACKET)
    if length > MAX_PACKET:
        raise ProtocolViolation(mqtt5.DisconnectReasonCode.PACKET_TOO_LARGE)
    raw += await reader.readexactly(length)
    return bytes(raw)


def protocol_level(connect: bytes) -> int | None:
    """The protocol level a CONNECT packet asks for (4 = MQTT 3.1.1, 5 = MQTT 5)."""
    if not connect or connect[0] != 0x10:
        return None
    body = 1
    while body < len(connect) and connect[body] & 0x80:
        body += 1
    body += 1
    name_end = body + 2 + int.from_bytes(connect[body : body + 2], "big")
    return connect[name_end] if name_end < len(connect) else None


class PrefixedReader(ReaderAdapter):  # type: ignore[misc]  # amqtt is untyped
    """amqtt's reader over a stream whose first packet has already been read."""

    def __init__(self, first: bytes, reader: asyncio.StreamReader) -> None:
        self._buffer = first
        self._reader = reader

    async def read(self, n: int = -1) -> bytes:
        if self._buffer:
            if n == -1 or n >= len(self._buffer):
                head, self._buffer = self._buffer, b""
                rest = b"" if n == -1 else await self._reader.readexactly(n - len(head))
                return head + rest
            head, self._buffer = self._buffer[:n], self._buffer[n:]
            return head
        return await (self._reader.read(n) if n == -1 else self._reader.readexactly(n))

    def feed_eof(self) -> None:
        self._reader.feed_eof()


class Mqtt5Session:
    """One MQTT 5 device connection: CONNECT with the token as username, PUBLISH at QoS 0 or 1
    on the ThingsBoard topics (acknowledged after commit), SUBSCRIBE to the topics the SDK
    listens on, the SDK's session-limits RPC, PINGREQ, DISCONNECT. Nothing is relayed."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.device_id: int | None = None
        self.keep_alive = 0

    def send(self, packet: Any) -> None:
        if not self.writer.is_closing():
            self.writer.write(packet.write())

    async def run(self, first: bytes) -> None:
        try:
            try:
                connect, _n = mqtt5.read(memoryview(first))
            except (ValueError, IndexError):
                return  # a malformed CONNECT gets no CONNACK (MQTT 5, 3.1.4-1)
            if not isinstance(connect, mqtt5.ConnectPacket) or not await self._connect(connect):
                return
            while True:
                timeout = self.keep_alive * 1.5 if self.keep_alive else None
                raw = await asyncio.wait_for(read_packet(self.reader), timeout)
                try:
                    packet, _n = mqtt5.read(memoryview(raw))
                except (ValueError, IndexError):
                    raise ProtocolViolation(mqtt5.DisconnectReasonCode.MALFORMED_PACKET) from None
                if isinstance(packet, mqtt5.DisconnectPacket):
                    return
                self._handle(packet)
                await self.writer.drain()
        except ProtocolViolation as exc:
            self.send(mqtt5.DisconnectPacket(reason_code=exc.reason))
        except (TimeoutError, asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            self.writer.close()
            with contextlib.suppress(ConnectionError):
                await self.writer.wait_closed()

    async def _connect(self, connect: mqtt5.ConnectPacket) -> bool:
        loop = asyncio.get_running_loop()
        token = connect.username or ""
        self.device_id = await loop.run_in_executor(STATE.db, _lookup, token) if token else None
        if self.device_id is None:
            self.send(
                mqtt5.ConnAckPacket(reason_code=mqtt5.ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD)
            )
            await self.writer.drain()
            return False
        self.keep_alive = connect.keep_alive
        self.send(
            mqtt5.ConnAckPacket(
                assigned_client_id=None if connect.client_id else f"kc-{self.device_id}",
                receive_max=RECEIVE_MAXIMUM,
                max_qos=mqtt5.QoS.AT_LEAST_ONCE,
                retain_available=False,
                max_packet_size=MAX_PACKET,
                wildcard_subscription_available=True,
                subscription_id_available=False,
                shared_subscription_available=False,
            )
        )
        await self.writer.drain()
        return True

    def _handle(self, packet: Any) -> None:
        match packet:
            case mqtt5.PublishPacket():
                self._publish(packet)
            case mqtt5.SubscribePacket():
                self.send(
                    mqtt5.SubAckPacket(
                        packet.packet_id,
                        [
                            mqtt5.SubAckReasonCode(min(int(f.max_qos), 1))
                            if f.pattern.startswith(SUBSCRIBABLE_PREFIXES)
                            else mqtt5.SubAckReasonCode.NOT_AUTHORIZED
                            for f in packet.topic_filters
                        ],
                    )
                )
            case mqtt5.UnsubscribePacket():
                self.send(
                    mqtt5.UnsubAckPacket(
                        packet.packet_id, [mqtt5.UnsubAckReasonCode.SUCCESS] * len(packet.patterns)
                    )
                )
            case mqtt5.PingReqPacket():
                self.send(mqtt5.PingRespPacket())
            case mqtt5.PubAckPacket() | mqtt5.PubCompPacket():
                pass  # our own QoS 0 answers need none; tolerate a client's stray ack
            case _:
                raise ProtocolViolation(mqtt5.DisconnectReasonCode.PROTOCOL_ERROR)

    def _publish(self, packet: mqtt5.PublishPacket) -> None:
        if packet.qos == mqtt5.QoS.EXACTLY_ONCE:
            raise ProtocolViolation(mqtt5.DisconnectReasonCode.QOS_NOT_SUPPORTED)
        if packet.topic_alias is not None:  # we granted none (topic_alias_max = 0)
            raise ProtocolViolation(mqtt5.DisconnectReasonCode.TOPIC_ALIAS_INVALID)
        packet_id = packet.packet_id if packet.qos == mqtt5.QoS.AT_LEAST_ONCE else None
        assert self.device_id is not None  # noqa: S101 - set by _connect
        if packet.topic in (TELEMETRY, ATTRIBUTES, GATEWAY_TELEMETRY):
            ack = None if packet_id is None else self._acker(packet_id)
            _enqueue(self.device_id, packet.topic, packet.payload, ack)
            return
        if packet.topic.startswith(RPC_REQUEST):
            self._answer_rpc(packet.topic.removeprefix(RPC_REQUEST), packet.payload)
        reason = (
            mqtt5.PubAckReasonCode.SUCCESS
            if packet.topic.startswith(RPC_REQUEST) or packet.topic in GATEWAY_OTHER
            else mqtt5.PubAckReasonCode.NOT_AUTHORIZED
        )
        if packet_id is not None:
            self.send(mqtt5.PubAckPacket(packet_id, reason_code=reason))

    def _acker(self, packet_id: int) -> Ack:
        return lambda: self.send(mqtt5.PubAckPacket(packet_id))

    def _answer_rpc(self, request_id: str, payload: bytes) -> None:
        """ThingsBoard's SDK asks for its session limits on connect; other device-side RPCs
        have no handler here and get an error, so the caller's callback is not left waiting."""
        try:
            method = json.loads(payload).get("method")
        except (ValueError, AttributeError):
            method = None
        if method == "getSessionLimits":
            body: dict[str, Any] = {
                "maxPayloadSize": protocols.MAX_PAYLOAD,
                "maxInflightMessages": RECEIVE_MAXIMUM,
                "rateLimits": {},  # no rate limits on the device side
                "gatewayRateLimits": {},
            }
        else:
            body = {"error": f"unsupported RPC method: {str(method)[:60]}"}
        self.send(mqtt5.PublishPacket(RPC_RESPONSE + request_id, json.dumps(body).encode()))


def broker_config(host: str, port: int) -> dict[str, Any]:
    return {
        # "external": amqtt serves the 3.1.1 connections that our listener hands it.
        "listeners": {
            "default": {"type": "external", "bind": f"{host}:{port}", "max_connections": 10000}
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
    sessions: set[asyncio.Task[None]] = set()

    async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None  # noqa: S101 - always inside a task
        sessions.add(task)
        try:
            first = await asyncio.wait_for(read_packet(reader), 10)
            if protocol_level(first) == 5:
                await Mqtt5Session(reader, writer).run(first)
            else:
                await broker.external_connected(
                    PrefixedReader(first, reader), StreamWriterAdapter(writer), "default"
                )
        except (TimeoutError, asyncio.IncompleteReadError, ConnectionError, ProtocolViolation):
            writer.close()
        except asyncio.CancelledError:
            # The endpoint is stopping. Ending normally: asyncio's stream server logs a
            # cancelled connection task as an error with its traceback.
            writer.close()
        finally:
            sessions.discard(task)

    server = await asyncio.start_server(accept, host, port, reuse_address=True)
    flusher = asyncio.create_task(_flusher(stop))
    if started is not None:
        started.set()
    try:
        await stop.wait()
    finally:
        server.close()
        for task in list(sessions):
            task.cancel()
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
