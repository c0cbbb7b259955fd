"""Health checks of the points, for real: ICMP echo (loss and round-trip time), a TCP connect
and an HTTP(S) request to the status or portal URL, concurrently and each with a timeout.

A round claims the due points with one short UPDATE (so two checkers never probe the same point
in the same interval), probes them all with no database connection in use, then records each
result in its own short transaction (``services.check_record``)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx
import icmplib
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from kotacerdas.wifi.models import Hotspot
from kotacerdas.wifi.services import CheckResult, check_record, tickets_open_due

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Target:
    id: int
    host: str
    port: int | None
    url: str


def target_of(hotspot: Hotspot) -> Target | None:
    """What to probe for a point: its host (or the URL's), a TCP port and the URL."""
    parts = urlsplit(hotspot.check_url) if hotspot.check_url else None
    host = hotspot.check_host or (parts.hostname if parts else "") or ""
    if not host:
        return None
    port = hotspot.check_port
    if port is None and parts is not None:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    return Target(id=hotspot.pk, host=host, port=port, url=hotspot.check_url)


async def _ping(host: str, *, count: int, timeout: float) -> tuple[float | None, float | None, str]:
    try:
        answer = await icmplib.async_ping(
            host,
            count=count,
            interval=0.2,
            timeout=timeout,
            privileged=os.geteuid() == 0,
        )
    except (icmplib.ICMPLibError, OSError) as exc:
        return None, None, f"icmp: {type(exc).__name__}"
    rtt = answer.avg_rtt if answer.packets_received else None
    return answer.packet_loss * 100.0, rtt, ""


async def _tcp(host: str, port: int, *, timeout: float) -> bool:
    try:
        _reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    except (OSError, TimeoutError):
        return False
    writer.close()
    with contextlib.suppress(OSError, TimeoutError):
        await asyncio.wait_for(writer.wait_closed(), timeout)
    return True


async def _http(client: httpx.AsyncClient, url: str) -> tuple[int | None, str]:
    try:
        response = await client.get(url)
    except httpx.HTTPError as exc:
        return None, f"http: {type(exc).__name__}"
    return response.status_code, ""


async def probe(
    target: Target, client: httpx.AsyncClient, *, ping_count: int, timeout: float
) -> CheckResult:
    """All three probes of one point at once."""
    ping_task = asyncio.create_task(_ping(target.host, count=ping_count, timeout=timeout))
    tcp_task = (
        asyncio.create_task(_tcp(target.host, target.port, timeout=timeout))
        if target.port
        else None
    )
    http_task = asyncio.create_task(_http(client, target.url)) if target.url else None
    loss, rtt, ping_error = await ping_task
    tcp_ok = await tcp_task if tcp_task else None
    status, http_error = await http_task if http_task else (None, "")
    return CheckResult(
        loss_pct=loss,
        rtt_ms=rtt,
        tcp_ok=tcp_ok,
        http_status=status,
        error=http_error or ping_error,
    )


async def probe_all(
    targets: Iterable[Target], *, concurrency: int, ping_count: int, timeout: float
) -> dict[int, CheckResult]:
    """Probes every target, at most ``concurrency`` at a time."""
    gate = asyncio.Semaphore(concurrency)
    results: dict[int, CheckResult] = {}
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=0)
    async with httpx.AsyncClient(
        timeout=timeout, limits=limits, follow_redirects=False, trust_env=False
    ) as client:

        async def one(target: Target) -> None:
            async with gate:
                results[target.id] = await probe(
                    target, client, ping_count=ping_count, timeout=timeout
                )

        await asyncio.gather(*(one(t) for t in targets))
    return results


@dataclass
class RoundStats:
    checked: int = 0
    up: int = 0
    seconds: float = 0.0
    tickets: int = 0
    skipped: list[int] = field(default_factory=list)


def claim_due(*, now: dt.datetime, every: bool, limit: int) -> list[Hotspot]:
    """The monitored points due now (all of them with ``every``), claimed for one interval."""
    qs = Hotspot.objects.monitored()
    if not every:
        qs = qs.filter(Q(next_check_at__isnull=True) | Q(next_check_at__lte=now))
    due = list(qs.order_by("next_check_at", "pk")[:limit])
    # Claim: push next_check_at forward so a second checker running now skips them. The row
    # is re-claimed by the result (next_check_at = checked_at + interval).
    for hotspot in due:
        Hotspot.objects.filter(pk=hotspot.pk, next_check_at=hotspot.next_check_at).update(
            next_check_at=now + dt.timedelta(seconds=hotspot.check_interval_s)
        )
    return due


def run_round(*, every: bool = False, now: dt.datetime | None = None) -> RoundStats:
    """One round: claim what is due, probe it, record the results, open overdue tickets."""
    now = now or timezone.now()
    started = time.monotonic()
    stats = RoundStats()
    due = claim_due(now=now, every=every, limit=settings.WIFI_CHECK_BATCH)
    targets = []
    for hotspot in due:
        target = target_of(hotspot)
        if target is None:
            stats.skipped.append(hotspot.pk)
        else:
            targets.append(target)
    results = asyncio.run(
        probe_all(
            targets,
            concurrency=settings.WIFI_CHECK_CONCURRENCY,
            ping_count=settings.WIFI_CHECK_PINGS,
            timeout=settings.WIFI_CHECK_TIMEOUT,
        )
    )
    for hotspot_id, result in results.items():
        check_record(hotspot_id=hotspot_id, result=result, now=timezone.now())
        stats.checked += 1
        stats.up += result.up
    stats.tickets = len(tickets_open_due(now=timezone.now()))
    stats.seconds = time.monotonic() - started
    return stats
