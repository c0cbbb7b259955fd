from __future__ import annotations

from typing import Any

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
