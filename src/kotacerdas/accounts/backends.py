from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from kotacerdas.accounts.models import User
from kotacerdas.accounts.phone import normalize_phone


class EmailPhoneUsernameBackend(ModelBackend):
    """Sign in with a username, an email address or an Indonesian phone number."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not username or not password:
            return None
        user = self._find(username.strip())
        if user is None:
            User().set_password(password)  # same work as a real check, against timing probes
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    @staticmethod
    def _find(identifier: str) -> User | None:
        if "@" in identifier:
            return User.objects.filter(email__iexact=identifier).first()
        phone = normalize_phone(identifier)
        if phone and not identifier.isalpha():
            found = User.objects.filter(phone=phone).first()
            if found:
                return found
        return User.objects.filter(username=identifier).first()


class LockoutBackend(AxesStandaloneBackend):  # type: ignore[misc]  # django-axes is untyped
    """django-axes' lockout check. Authentication without a request (a script, the test
    client's ``login``) has no client to lock out and is left to the next backend."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        super().authenticate(request, username, password, **kwargs)  # raises on a lockout
        return None


def lockout_key(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """One lockout counter per account, whether it is named by username, email or phone."""
    identifier = str((credentials or {}).get("username") or "").strip()
    user = EmailPhoneUsernameBackend._find(identifier) if identifier else None
    return f"user:{user.pk}" if user is not None else identifier.lower()[:150]


def client_ip(request: HttpRequest) -> str:
    """The client's address, from the proxy header named by RATELIMIT_IP_META_KEY if set."""
    key = settings.RATELIMIT_IP_META_KEY or "REMOTE_ADDR"
    value = str(request.META.get(key) or request.META.get("REMOTE_ADDR") or "")
    return value.split(",", maxsplit=1)[0].strip()
