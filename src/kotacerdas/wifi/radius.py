"""A RADIUS accounting server (RFC 2866) on UDP: access points or their controller send
Accounting-Request packets (Start, Interim-Update, Stop); each is verified against the shared
secret of the NAS that sent it (by source address), applied to its session, and answered with
an Accounting-Response. Packets from unknown addresses or with a wrong authenticator get no
answer, as RFC 2866 says, and are counted.

Only a stored packet is answered: a NAS retransmits until answered, and ``accounting_record``
is idempotent, so a lost answer costs nothing. Commits are grouped: every packet waiting on the
socket is applied in one transaction (each in a savepoint of its own, so one bad packet costs
only itself) and all are answered after that one commit. One packet at a time, the commit's
disk flush capped the server at about 25 packets/s on a busy disk (docs/benchmarks.md)."""

from __future__ import annotations

import dataclasses
import logging
import socket
import socketserver
import time
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any

from django.db import close_old_connections, transaction
from pyrad import packet
from pyrad.dictionary import Dictionary

from kotacerdas.core.errors import DomainError
from kotacerdas.wifi.models import RadiusClient
from kotacerdas.wifi.services import Accounting, accounting_record

logger = logging.getLogger(__name__)

DICTIONARY = Dictionary(str(files("kotacerdas.wifi") / "data" / "dictionary"))
STATUS_TYPES = {1: "Start", 2: "Stop", 3: "Interim-Update"}
CLIENT_CACHE_SECONDS = 30
MAX_BATCH = 256  # packets applied in one transaction


def _first(pkt: packet.Packet, name: str, default: Any = None) -> Any:
    """The first value of attribute ``name`` (pyrad maps names only through ``[]``)."""
    if not pkt.has_key(name):
        return default
    values = pkt[name]
    return values[0] if values else default


def _octets(pkt: packet.Packet, direction: str) -> int:
    """Octet counter including its gigawords (RFC 2869): counters wrap at 4 GiB."""
    low = int(_first(pkt, f"Acct-{direction}-Octets", 0))
    high = int(_first(pkt, f"Acct-{direction}-Gigawords", 0))
    return high * 2**32 + low


def parse(pkt: packet.Packet) -> Accounting | None:
    """The fields the platform keeps; None for Accounting-On/Off and other types."""
    status = _first(pkt, "Acct-Status-Type")
    status_name = STATUS_TYPES.get(status) if isinstance(status, int) else str(status)
    if status_name is None or status_name not in STATUS_TYPES.values():
        return None
    cause = _first(pkt, "Acct-Terminate-Cause", "")
    return Accounting(
        status_type=status_name,
        session_id=str(_first(pkt, "Acct-Session-Id", "")),
        nas_identifier=str(_first(pkt, "NAS-Identifier", "")),
        calling_station_id=str(_first(pkt, "Calling-Station-Id", "")),
        user_name=str(_first(pkt, "User-Name", "")),
        input_octets=_octets(pkt, "Input"),
        output_octets=_octets(pkt, "Output"),
        session_time=int(_first(pkt, "Acct-Session-Time", 0)),
        terminate_cause=str(cause),
    )


@dataclass
class Counters:
    answered: int = 0
    unknown_client: int = 0
    bad_authenticator: int = 0
    rejected: int = 0
    malformed: int = 0
    by_type: dict[str, int] = field(default_factory=dict)


class _Clients:
    """The NAS table, re-read at most every ``CLIENT_CACHE_SECONDS``."""

    def __init__(self) -> None:
        self._by_ip: dict[str, RadiusClient] = {}
        self._read_at = 0.0

    def get(self, ip: str) -> RadiusClient | None:
        if time.monotonic() - self._read_at > CLIENT_CACHE_SECONDS:
            self._by_ip = {c.ip_address: c for c in RadiusClient.objects.all()[:100_000]}
            self._read_at = time.monotonic()
        return self._by_ip.get(ip)

    def forget(self) -> None:
        self._read_at = 0.0


def handle_datagram(data: bytes, ip: str, clients: _Clients, counters: Counters) -> bytes | None:
    """The answer to one datagram, or None when it must be dropped."""
    client = clients.get(ip)
    if client is None:
        counters.unknown_client += 1
        return None
    secret = client.secret.encode()
    try:
        request = packet.AcctPacket(packet=data, dict=DICTIONARY, secret=secret)
    except (packet.PacketError, ValueError, KeyError, IndexError, UnicodeDecodeError):
        counters.malformed += 1
        return None
    if request.code != packet.AccountingRequest or not request.VerifyAcctRequest():
        counters.bad_authenticator += 1
        return None
    try:
        acct = parse(request)
    except (ValueError, TypeError):
        counters.malformed += 1
        return None
    if acct is not None:
        try:
            accounting_record(client=client, acct=acct)
        except DomainError as exc:
            counters.rejected += 1
            logger.warning("RADIUS accounting from %s rejected: %s", client.name, exc.message)
            return None
        counters.by_type[acct.status_type] = counters.by_type.get(acct.status_type, 0) + 1
    counters.answered += 1
    reply = request.CreateReply()
    return bytes(reply.ReplyPacket())


class AccountingServer(socketserver.UDPServer):
    """One process; each time the socket is readable, every waiting packet (up to
    ``MAX_BATCH``) is applied in one transaction and answered after its commit."""

    allow_reuse_address = True

    def __init__(self, address: tuple[str, int]) -> None:
        self.clients = _Clients()
        self.counters = Counters()
        super().__init__(address, socketserver.BaseRequestHandler)
        # Blocking mode even if a library set a default socket timeout (with a timeout, Python
        # waits for data before every read, MSG_DONTWAIT or not); draining reads MSG_DONTWAIT.
        self.socket.settimeout(None)

    def _handle_request_noblock(self) -> None:
        # socketserver calls this from serve_forever() and handle_request() once the socket is
        # readable; it would read one datagram and hand it to a handler: read them all instead.
        batch: list[tuple[bytes, Any]] = []
        for _attempt in range(MAX_BATCH):
            try:
                batch.append(self.socket.recvfrom(self.max_packet_size, socket.MSG_DONTWAIT))
            except ConnectionRefusedError:
                # an ICMP error about an earlier answer (its NAS port had closed) surfaces
                # here once; the datagrams behind it are still waiting
                continue
            except OSError:  # nothing more waiting
                break
        if batch:
            self.handle_batch(batch)

    def handle_batch(self, batch: list[tuple[bytes, Any]]) -> None:
        before = dataclasses.replace(self.counters, by_type=dict(self.counters.by_type))
        answers = []
        try:
            with transaction.atomic():
                for data, address in batch:
                    try:
                        with transaction.atomic():
                            answer = handle_datagram(data, address[0], self.clients, self.counters)
                    except Exception:
                        # this packet only (its savepoint is rolled back): no answer, so the
                        # NAS retransmits it later
                        logger.exception("RADIUS accounting packet from %s not stored", address[0])
                        continue
                    if answer is not None:
                        answers.append((answer, address))
        except Exception:
            # a database outage: nothing was stored and nothing is answered
            logger.exception("RADIUS accounting batch of %d packets not stored", len(batch))
            self.counters = before
            close_old_connections()
            return
        for answer, address in answers:
            try:
                self.socket.sendto(answer, address)
            except OSError:  # a full send buffer: the NAS retransmits and is answered then
                logger.warning("RADIUS answer to %s not sent", address[0])
