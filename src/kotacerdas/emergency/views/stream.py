"""The board's server-sent event stream (fed by ``live``; holds no connection between events)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncGenerator, Awaitable, Callable
from importlib import import_module
from types import SimpleNamespace
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth import get_user
from django.http import (
    Http404,
    HttpRequest,
    StreamingHttpResponse,
)

from kotacerdas.accounts.models import User
from kotacerdas.emergency import live, selectors
from kotacerdas.emergency.access import (
    BOARD_ROLES,
    is_desk,
)
from kotacerdas.tenants.access import tenant_from_slug
from kotacerdas.tenants.models import Tenant

# --- Server-sent events ----------------------------------------------------------------
# Streams are fed by ``live``'s per-process hub; they hold no database connection between
# events (see live.py).

HEARTBEAT_SECONDS = 15.0
CHECK_SECONDS = 30.0  # how often a stream checks that its session and user are still valid
READY_SECONDS = 5.0  # how long a new stream waits for the hub's listener before catching up
SENT_MEMORY = 2000  # ids remembered to drop an event seen both in the catch-up and live


def _sse(event: dict[str, Any], last_id: int) -> str:
    return f"id: {last_id}\nevent: desk\ndata: {json.dumps(event)}\n\n"


async def event_stream(
    tenant_id: int,
    last_id: int,
    *,
    max_seconds: float | None = None,
    still_allowed: Callable[[], Awaitable[bool]] | None = None,
    check_every: float = CHECK_SECONDS,
    heartbeat: float = HEARTBEAT_SECONDS,
) -> AsyncGenerator[str]:
    """SSE messages for the tenant's desk events after ``last_id``, then live ones, with a
    comment as heartbeat. Ends after ``max_seconds`` (if given), when ``still_allowed()``
    says the session or user is no longer valid, or when the client goes away."""
    yield "retry: 1000\n\n"
    sent: set[int] = set()
    started = time.monotonic()
    next_check = started + check_every
    next_beat = started + heartbeat
    async with live.subscription(tenant_id) as sub:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(live.hub().ready.wait(), READY_SECONDS)
        catch_up = live.briefly(live.events_after)
        pending = await catch_up(tenant_id, last_id)
        while True:
            for event in pending:
                if event["id"] in sent:
                    continue
                sent.add(event["id"])
                last_id = max(last_id, event["id"])
                yield _sse(event, last_id)
            if len(sent) > SENT_MEMORY:
                sent = {i for i in sent if i > last_id - SENT_MEMORY // 2}
            now = time.monotonic()
            deadlines = [next_check, next_beat]
            if max_seconds is not None:
                deadlines.append(started + max_seconds)
                if now >= started + max_seconds:
                    return
            if still_allowed is not None and now >= next_check:
                next_check = now + check_every
                if not await still_allowed():
                    return
            if now >= next_beat:
                next_beat = now + heartbeat
                yield ": heartbeat\n\n"
            try:
                item = await asyncio.wait_for(sub.queue.get(), max(0.0, min(deadlines) - now))
            except TimeoutError:
                pending = []
                continue
            pending = (
                await catch_up(tenant_id, last_id)
                if item == live.RESYNC
                else [item]
                if isinstance(item, dict)
                else []
            )


def _still_allowed(session_key: str | None, user_pk: int, tenant_id: int) -> bool:
    """The stream's session still signs in the same user, who is still active desk staff."""
    user: Any
    if session_key is not None:
        store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
        user = get_user(SimpleNamespace(session=store))  # type: ignore[arg-type]
    else:
        user = User.objects.filter(pk=user_pk).first()
    if not isinstance(user, User) or user.pk != user_pk or not user.is_active:
        return False
    tenant = Tenant.objects.filter(pk=tenant_id).first()
    return tenant is not None and is_desk(user, tenant, *BOARD_ROLES)


async def board_stream(request: HttpRequest, tenant_slug: str) -> StreamingHttpResponse:
    """``text/event-stream`` of desk events. EventSource reconnects by itself and sends
    ``Last-Event-ID``, so a dropped connection catches up on what it missed."""
    tenant = await sync_to_async(tenant_from_slug)(tenant_slug)
    user = await request.auser()
    if not isinstance(user, User) or not await sync_to_async(is_desk)(user, tenant, *BOARD_ROLES):
        raise Http404("stream")
    raw_last = request.headers.get("Last-Event-ID") or request.GET.get("last_id") or ""
    last_id = (
        int(raw_last)
        if raw_last.isascii() and raw_last.isdigit() and len(raw_last) < 19
        else await sync_to_async(selectors.last_event_id)(tenant.pk)
    )
    raw_max = request.GET.get("max_seconds", "")
    max_seconds = (
        min(float(raw_max), 3600.0)
        if raw_max.isascii() and raw_max.replace(".", "", 1).isdigit() and len(raw_max) < 10
        else None
    )
    session_key = request.session.session_key
    user_pk, tenant_pk = user.pk, tenant.pk

    async def still_allowed() -> bool:
        return bool(await live.briefly(_still_allowed)(session_key, user_pk, tenant_pk))

    # The request's own connection (session, user) goes back to the pool before streaming.
    await sync_to_async(live.release_connections)()
    response = StreamingHttpResponse(
        event_stream(tenant_pk, last_id, max_seconds=max_seconds, still_allowed=still_allowed),
        content_type="text/event-stream",
    )
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    response["Content-Encoding"] = "identity"  # keeps GZipMiddleware from buffering the stream
    return response
