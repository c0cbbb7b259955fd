"""Open311 api_keys: issued once, only their hash kept."""

from __future__ import annotations

import hashlib
import secrets

from kotacerdas.complaints.models import Open311Key
from kotacerdas.tenants.models import Tenant


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def open311_key_create(*, tenant: Tenant, name: str) -> tuple[Open311Key, str]:
    """Issues an Open311 api_key; the raw key is returned once and only its hash is stored."""
    raw = "o311_" + secrets.token_urlsafe(32)
    key = Open311Key.objects.create(
        tenant=tenant, name=name, prefix=raw[:12], key_hash=hash_key(raw)
    )
    return key, raw


def open311_key_find(*, tenant: Tenant, raw: str) -> Open311Key | None:
    """The tenant's unrevoked key ``raw``, or None."""
    if not raw:
        return None
    return Open311Key.objects.filter(
        tenant=tenant, key_hash=hash_key(raw), revoked_at__isnull=True
    ).first()


def open311_key_check(*, tenant: Tenant, raw: str) -> bool:
    return open311_key_find(tenant=tenant, raw=raw) is not None
