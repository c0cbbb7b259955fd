"""Authentication for ``/api/v1``: bearer tokens for machines, the session for browsers."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthorizationError
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from kotacerdas.accounts.models import ApiToken, User
from kotacerdas.accounts.services import hash_token

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        row = (
            ApiToken.objects.select_related("user", "user__tenant", "user__opd")
            .filter(key_hash=hash_token(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if row is None:
            return None
        if request.method not in SAFE_METHODS and not row.can_write:
            raise AuthorizationError(message="read-only token")
        # Writing last_used_at on every call would turn each read into a write; once a minute is enough.
        now = timezone.now()
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        return row.user


class SessionAuth(NinjaSessionAuth):
    """The browser session, with Django's CSRF check on writes."""

    def authenticate(self, request: HttpRequest, key: Any) -> User | None:
        user = super().authenticate(request, key)
        return user if isinstance(user, User) else None
