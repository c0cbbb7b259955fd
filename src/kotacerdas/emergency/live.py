"""Live desk events for open boards and incident pages, without a pooled connection per page.

Every ``DeskEvent`` row is *published* when it is written (a ``post_save`` receiver, so that
no writer can forget it). Each server process has one ``Hub`` that delivers published events
to every open stream of that process:

- On PostgreSQL the event is sent with ``pg_notify`` inside the writing transaction, so it is
  delivered exactly when (and only if) the transaction commits. The hub holds ONE listening
  connection (psycopg async, outside Django's pool) and fans each notification out to the
  streams of the event's tenant.
- On SQLite the hub polls the event table every ``POLL_SECONDS`` with one query for all
  tenants with open streams; the connection is given back after the query.

A stream itself touches the database only briefly: once when it opens (to catch up from the
``Last-Event-ID``), after the hub reconnects, and every ``CHECK_SECONDS`` to check that its
session still exists and its user is still active desk staff (it ends otherwise).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import weakref
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from asgiref.sync import sync_to_async
from django.db import DatabaseError, connection, connections

from kotacerdas.emergency.models import DeskEvent

logger = logging.getLogger(__name__)

CHANNEL = "kotacerdas_emergency_desk"
POLL_SECONDS = 0.5  # SQLite only
RECONNECT_SECONDS = (0.5, 1.0, 2.0, 5.0, 10.0)  # PostgreSQL listener back-off
QUEUE_SIZE = 1000  # a stream that falls this far behind re-reads from the table
RESYNC = "resync"  # put on a queue when notifications may have been missed

T = TypeVar("T")


def event_payload(event: DeskEvent) -> dict[str, Any]:
    """What a stream sends for an event: ids and states only (no caller data)."""
    return {
        "id": event.pk,
        "tenant": event.tenant_id,
        "kind": event.kind,
        "incident": event.incident_id,
        "action": event.action,
        "state": event.to_state,
    }


def publish(event: DeskEvent, *, using: str = "default") -> None:
    """Announce a new event to every process's hub. On PostgreSQL this is transactional
    (NOTIFY is delivered at commit); on SQLite the hub's poll finds the committed row."""
    db = connections[using]
    if db.vendor != "postgresql":
        return
    with db.cursor() as cursor:
        cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, json.dumps(event_payload(event))])


def release_connections() -> None:
    """Give this thread's database connections back (to the pool, on PostgreSQL) unless a
    transaction is open on them (a test's, or a caller's)."""
    for conn in connections.all(initialized_only=True):
        if not conn.in_atomic_block:
            conn.close()


def briefly(fn: Callable[..., T]) -> Callable[..., Any]:
    """``fn`` as a coroutine that uses a database connection only while it runs."""

    def run(*args: Any, **kwargs: Any) -> T:
        try:
            return fn(*args, **kwargs)
        finally:
            release_connections()

    return sync_to_async(run)


def events_after(tenant_id: int, last_id: int, limit: int = 200) -> list[dict[str, Any]]:
    return [
        event_payload(e)
        for e in DeskEvent.objects.filter(tenant_id=tenant_id, pk__gt=last_id).order_by("pk")[
            :limit
        ]
    ]


def _max_event_id() -> int:
    return DeskEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _events_since(last_id: int, tenant_ids: list[int]) -> list[dict[str, Any]]:
    return [
        event_payload(e)
        for e in DeskEvent.objects.filter(pk__gt=last_id, tenant_id__in=tenant_ids).order_by("pk")[
            :1000
        ]
    ]


@dataclass(eq=False)
class Subscription:
    tenant_id: int
    queue: asyncio.Queue[dict[str, Any] | str] = field(
        default_factory=lambda: asyncio.Queue(QUEUE_SIZE)
    )

    def put(self, item: dict[str, Any] | str) -> None:
        try:
            self.queue.put_nowait(item)
        except asyncio.QueueFull:
            # too far behind: drop what is queued and let the stream re-read the table
            while not self.queue.empty():
                self.queue.get_nowait()
            self.queue.put_nowait(RESYNC)


class Hub:
    """Fans events out to the streams of one process (one event loop)."""

    def __init__(self) -> None:
        self.subscriptions: dict[int, set[Subscription]] = {}
        self.ready = asyncio.Event()
        self.task: asyncio.Task[None] | None = None
        self.delivered = 0  # events handed to streams, for tests and diagnostics

    def subscribe(self, tenant_id: int) -> Subscription:
        sub = Subscription(tenant_id)
        self.subscriptions.setdefault(tenant_id, set()).add(sub)
        if self.task is None or self.task.done():
            self.ready.clear()
            self.task = asyncio.get_running_loop().create_task(self._run())
        return sub

    async def unsubscribe(self, sub: Subscription) -> None:
        subs = self.subscriptions.get(sub.tenant_id, set())
        subs.discard(sub)
        if not subs:
            self.subscriptions.pop(sub.tenant_id, None)
        if not self.subscriptions and self.task is not None:
            # the last stream closed: give the listening connection back
            task, self.task = self.task, None
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def dispatch(self, payload: dict[str, Any]) -> None:
        for sub in list(self.subscriptions.get(payload.get("tenant", -1), ())):
            sub.put(payload)
            self.delivered += 1

    def resync(self) -> None:
        for subs in self.subscriptions.values():
            for sub in subs:
                sub.put(RESYNC)

    async def _run(self) -> None:
        if connection.vendor == "postgresql":
            await self._listen()
        else:
            await self._poll()

    async def _listen(self) -> None:
        import psycopg

        params = connection.get_connection_params()
        for key in ("context", "cursor_factory", "prepare_threshold"):
            params.pop(key, None)
        params.setdefault("connect_timeout", 5)
        failures = 0
        while True:
            try:
                conn = await psycopg.AsyncConnection.connect(**params, autocommit=True)
                async with conn:
                    await conn.execute("LISTEN kotacerdas_emergency_desk")  # CHANNEL
                    if failures:
                        self.resync()  # anything committed while we were away
                    failures = 0
                    self.ready.set()
                    async for note in conn.notifies():
                        try:
                            self.dispatch(json.loads(note.payload))
                        except ValueError:
                            logger.warning("emergency live: unreadable notification")
            except (psycopg.Error, OSError) as exc:
                self.ready.clear()
                delay = RECONNECT_SECONDS[min(failures, len(RECONNECT_SECONDS) - 1)]
                failures += 1
                logger.warning("emergency live: listener lost (%s); again in %ss", exc, delay)
                await asyncio.sleep(delay)

    async def _poll(self) -> None:
        last_id = await briefly(_max_event_id)()
        self.ready.set()
        since = briefly(_events_since)
        while True:
            await asyncio.sleep(POLL_SECONDS)
            tenant_ids = list(self.subscriptions)
            if not tenant_ids:
                continue
            try:
                found = await since(last_id, tenant_ids)
            except DatabaseError as exc:
                logger.warning("emergency live: poll failed (%s)", exc)
                continue
            for payload in found:
                last_id = max(last_id, payload["id"])
                self.dispatch(payload)


_hubs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub] = weakref.WeakKeyDictionary()


def hub() -> Hub:
    """This process's hub (one per event loop: uvicorn runs one loop per worker)."""
    loop = asyncio.get_running_loop()
    current = _hubs.get(loop)
    if current is None:
        current = _hubs[loop] = Hub()
    return current


@contextlib.asynccontextmanager
async def subscription(tenant_id: int) -> AsyncIterator[Subscription]:
    the_hub = hub()
    sub = the_hub.subscribe(tenant_id)
    try:
        yield sub
    finally:
        await the_hub.unsubscribe(sub)
