"""Read replica: read-only requests read from ``DATABASE_REPLICA_URL``; everything else from
the primary (docs/scaling.md).

Only a request that :class:`ReadYourWrites` marked as read-only (a safe method, and the client
has not written in the last ``REPLICA_STICKY_SECONDS``) may read from the replica. Commands,
workers, writes, reads inside a transaction and ``select_for_update`` always use the primary.
When the replica cannot be reached, reads fall back to the primary and the replica is not
tried again for ``REPLICA_RETRY_SECONDS``.
"""

from __future__ import annotations

import contextvars
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse

log = logging.getLogger(__name__)

STICKY_COOKIE = "kc_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# True only while a request that may read from the replica is being served.
_replica_allowed: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "kc_replica_allowed", default=False
)
# Replica alias -> monotonic time before which it is not tried again (per process).
_down_until: dict[str, float] = {}
_down_lock = threading.Lock()


def mark_replica_up(alias: str = "replica") -> None:
    with _down_lock:
        _down_until.pop(alias, None)


class ReplicaRouter:
    primary = "default"
    replica = "replica"

    def _replica_usable(self) -> bool:
        with _down_lock:
            until = _down_until.get(self.replica)
        if until is not None and time.monotonic() < until:
            return False
        try:
            connections[self.replica].ensure_connection()
        except DatabaseError as exc:
            retry = getattr(settings, "REPLICA_RETRY_SECONDS", 30)
            with _down_lock:
                _down_until[self.replica] = time.monotonic() + retry
            log.warning("read replica unreachable, reading from the primary: %s", exc)
            return False
        mark_replica_up(self.replica)
        return True

    def db_for_read(self, model: type, **hints: Any) -> str:
        if not _replica_allowed.get() or self.replica not in connections.settings:
            return self.primary
        # A read inside a transaction on the primary must see that transaction's writes.
        if connections[self.primary].in_atomic_block:
            return self.primary
        return self.replica if self._replica_usable() else self.primary

    def db_for_write(self, model: type, **hints: Any) -> str:
        return self.primary

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica holds the primary's data

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == self.primary


class ReadYourWrites:
    """Lets read-only requests read from the replica; after an unsafe request (POST, PUT,
    PATCH, DELETE) a short cookie keeps that client on the primary for
    ``REPLICA_STICKY_SECONDS`` so it sees its own write despite replication lag."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        unsafe = request.method not in SAFE_METHODS
        allowed = not unsafe and STICKY_COOKIE not in request.COOKIES
        token = _replica_allowed.set(allowed)
        try:
            response = self.get_response(request)
        finally:
            _replica_allowed.reset(token)
        if unsafe:
            response.set_cookie(
                STICKY_COOKIE,
                "1",
                max_age=getattr(settings, "REPLICA_STICKY_SECONDS", 5),
                httponly=True,
                secure=settings.SESSION_COOKIE_SECURE,
                samesite="Lax",
            )
        return response
