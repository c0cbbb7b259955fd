"""Every write to accounts and tokens."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import ApiToken, Role, User
from kotacerdas.accounts.phone import normalize_phone
from kotacerdas.core.errors import DomainError
from kotacerdas.tenants.models import Opd, Tenant

TOKEN_PREFIX = "kc_"  # noqa: S105 - a label, not a secret

# Within `shared_password_hash()`, accounts given the same password share one hash, computed
# once: `setup --demo` creates dozens of accounts with one demo password, and hashing it at
# full strength for each was a third of its run time.
_shared_hashes: ContextVar[dict[str, str] | None] = ContextVar("shared_hashes", default=None)


@contextmanager
def shared_password_hash() -> Iterator[None]:
    """Hash each distinct password once for the accounts created inside this block (demo data;
    never for real users, whose hashes must each have their own salt)."""
    token = _shared_hashes.set({})
    try:
        yield
    finally:
        _shared_hashes.reset(token)


def password_set(*, user: User, password: str) -> None:
    """Sets the password on the (unsaved) user, reusing the shared hash inside
    `shared_password_hash()`."""
    cache = _shared_hashes.get()
    if cache is None:
        user.set_password(password)
        return
    if password not in cache:
        cache[password] = make_password(password)
    user.password = cache[password]


def hash_token(raw: str) -> str:
    # The secret has 256 bits of entropy, so a fast hash is enough (no salt needed).
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def citizen_register(*, full_name: str, contact: str, password: str, language: str = "") -> User:
    """A citizen account from an email address or a phone number; usable at once, no activation.
    ``language``: the one the citizen registered in, for the messages sent to them."""
    contact = contact.strip()
    email, phone = "", None
    if "@" in contact:
        email = User.objects.normalize_email(contact).lower()
        if User.objects.filter(email__iexact=email).exists():
            raise DomainError(_("Surel ini sudah terdaftar. Silakan masuk."), code="email_taken")
    else:
        phone = normalize_phone(contact)
        if phone is None:
            raise DomainError(
                _("Isi alamat surel atau nomor HP Indonesia, misalnya 0812 3456 7890."),
                code="invalid_contact",
            )
        if User.objects.filter(phone=phone).exists():
            raise DomainError(_("Nomor HP ini sudah terdaftar. Silakan masuk."), code="phone_taken")
    user = User(
        username=f"warga-{get_random_string(10).lower()}",
        full_name=full_name.strip(),
        email=email,
        phone=phone,
        role=Role.CITIZEN,
        language=language_code(language),
    )
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def staff_upsert(
    *,
    username: str,
    role: Role,
    tenant: Tenant | None,
    opd: Opd | None = None,
    full_name: str = "",
    email: str = "",
    password: str | None = None,
) -> User:
    """Create a staff account, or bring an existing one to this role. The password is set
    only when the account is created (or when no usable one exists), so reruns change nothing."""
    if opd is not None and tenant is not None and opd.tenant_id != tenant.pk:
        raise DomainError(
            _("OPD harus milik pemerintah daerah yang sama."), code="opd_tenant_mismatch"
        )
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "role": role,
            "tenant": tenant,
            "opd": opd,
            "full_name": full_name,
            "email": email,
        },
    )
    changed = False
    for field, value in {
        "role": role,
        "tenant": tenant,
        "opd": opd,
        "full_name": full_name,
        "email": email,
    }.items():
        if getattr(user, field) != value:
            setattr(user, field, value)
            changed = True
    is_staff = role in (Role.REGION_ADMIN, Role.SUPERADMIN)
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        changed = True
    if role == Role.SUPERADMIN and not user.is_superuser:
        user.is_superuser = True
        changed = True
    if password is not None and (created or not user.has_usable_password()):
        password_set(user=user, password=password)
        changed = True
    if changed:
        user.save()
    return user


@transaction.atomic
def api_token_create(*, user: User, name: str, can_write: bool = True) -> tuple[ApiToken, str]:
    """Returns the token row and the secret, which is shown once and never stored."""
    if not user.is_active:
        raise DomainError(_("Akun tidak aktif."), code="inactive_user")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name[:100], prefix=raw[:10], key_hash=hash_token(raw), can_write=can_write
    )
    return token, raw


def api_token_revoke(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


@transaction.atomic
def citizen_delete_account(*, user: User) -> None:
    """A citizen leaves: the account is anonymised and disabled, their reports stay unattributed."""
    if user.role != Role.CITIZEN:
        raise DomainError(_("Hanya akun warga yang dapat dihapus sendiri."), code="not_citizen")
    user.username = f"dihapus-{user.pk}-{get_random_string(6).lower()}"
    user.full_name = ""
    user.first_name = user.last_name = ""
    user.email = ""
    user.phone = None
    user.is_active = False
    user.set_unusable_password()
    user.save()
    user.api_tokens.all().delete()


def language_code(language: str | None) -> str:
    """One of settings.LANGUAGES ("en-us" -> "en"), or "" when it is none of them."""
    code = (language or "").split("-")[0].lower()
    return code if code in dict(settings.LANGUAGES) else ""


@transaction.atomic
def profile_update(
    *, user: User, full_name: str, email: str, phone: str | None, language: str
) -> User:
    """The user's own name, contact details and message language (validated by the caller's
    form; the database's unique constraints catch a race)."""
    user.full_name = full_name.strip()
    user.email = email
    user.phone = phone
    user.language = language_code(language)
    user.save(update_fields=["full_name", "email", "phone", "language"])
    return user


def user_set_language(*, user: User, language: str) -> None:
    """Remembers the language the user switched the interface to (a conditional UPDATE: a
    switch to the language already stored writes nothing)."""
    code = language_code(language)
    if code:
        User.objects.filter(pk=user.pk).exclude(language=code).update(language=code)
        user.language = code


def api_token_revoke_own(*, user: User, token_id: int) -> bool:
    """Revokes one of the user's own tokens; False when it is not theirs (or already revoked)."""
    return bool(
        ApiToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )
