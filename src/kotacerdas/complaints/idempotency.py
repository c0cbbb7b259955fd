"""Who is asking: the client an ``Idempotency-Key`` is bound to, and a browser's own id.

A key is replayed only to the client that used it: the signed-in account, the Open311 api_key,
or (for a citizen without an account) the browser, through a random id kept in its session.
"""

from __future__ import annotations

import uuid

from django.http import HttpRequest

from kotacerdas.accounts.models import User

BROWSER_SESSION_KEY = "complaints.browser"


def browser_id(request: HttpRequest) -> str:
    """A random id for this browser, kept in its session (the session key itself rotates when
    the citizen signs in; the session's data, and so this id, stay)."""
    value = request.session.get(BROWSER_SESSION_KEY)
    if not isinstance(value, str) or not value:
        value = uuid.uuid4().hex
        request.session[BROWSER_SESSION_KEY] = value
    return value


def client_of(request: HttpRequest, *, open311_key_id: int | None = None) -> str:
    """``open311:<key id>``, ``user:<pk>`` or ``browser:<id>``."""
    if open311_key_id is not None:
        return f"open311:{open311_key_id}"
    if isinstance(request.user, User) and request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return f"browser:{browser_id(request)}"
