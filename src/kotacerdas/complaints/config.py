"""A tenant's complaint configuration, cached in each process.

Filing a complaint needs the tenant, its Open311 api_keys, the category with its extra
questions, the SLA policy and the holidays (and the web form, the tenant's kelurahan/desa). They change a few times a year and are read on
every submission, so each process keeps them in memory (issue #12: six round trips less per
Open311 POST).

Invalidation, across processes and hosts: every save or delete of a ``Tenant``,
``ComplaintPolicy``, ``Category``, ``CategoryAttribute``, ``Open311Key`` or ``Holiday`` raises
the one row of ``ConfigVersion`` in the same transaction (signal handlers, wired in
``apps.py``) and empties this process's cache at once. Each process compares the version with
its own at most every ``COMPLAINTS_CONFIG_RECHECK_SECONDS`` (one indexed one-row read), so
another process sees a change (a revoked key, a deactivated category) within that time.
``QuerySet.update`` and ``bulk_create`` send no signals: call ``config_changed`` after them.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Prefetch
from django.utils import timezone

from kotacerdas.complaints.models import (
    Category,
    CategoryAttribute,
    ComplaintPolicy,
    ConfigVersion,
    Open311Key,
)
from kotacerdas.regions.models import Region
from kotacerdas.tenants.calendar import WorkCalendar
from kotacerdas.tenants.models import Tenant


@dataclass(frozen=True)
class ComplaintConfig:
    """What filing a complaint in ``tenant`` reads. Shared between requests: read-only."""

    tenant: Tenant
    policy: ComplaintPolicy
    # Active categories in display order, their extra questions prefetched.
    categories: tuple[Category, ...]
    key_ids: dict[str, int]  # hash of each unrevoked api_key -> its id
    calendar: WorkCalendar  # holidays of the year before to two years after ``year``
    year: int
    by_code: dict[str, Category] = field(init=False)
    by_pk: dict[int, Category] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_code", {c.code: c for c in self.categories})
        object.__setattr__(self, "by_pk", {c.pk: c for c in self.categories})

    @cached_property
    def villages(self) -> tuple[tuple[str, str, str], ...]:
        """(code, name, kecamatan name) of every kelurahan/desa, by kecamatan and name."""
        return tuple(
            Region.objects.villages_of_regency(self.tenant.code)
            .order_by("parent__name", "name")
            .values_list("code", "name", "parent__name")
        )

    def open311_key_id(self, raw: str) -> int | None:
        """The id of the tenant's unrevoked api_key ``raw``, or None."""
        # Imported here: the services import this module.
        from kotacerdas.complaints.services.keys import hash_key

        return self.key_ids.get(hash_key(raw)) if raw else None


class _Cache:
    """This process's cache: the configurations, and the version they were read at."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.by_tenant: dict[int, ComplaintConfig] = {}
        self.by_jurisdiction: dict[str, int] = {}
        self.version = -1
        self.checked_at = -1e9

    def clear(self) -> None:
        self.by_tenant.clear()
        self.by_jurisdiction.clear()


_cache = _Cache()


def _current_version() -> int:
    return ConfigVersion.objects.filter(pk=1).values_list("version", flat=True).first() or 0


def _recheck() -> int:
    """Forgets everything when another process (or host) changed a configuration; returns the
    version that what is cached now belongs to."""
    now = time.monotonic()
    if now - _cache.checked_at < settings.COMPLAINTS_CONFIG_RECHECK_SECONDS:
        return _cache.version
    version = _current_version()
    with _cache.lock:
        if version != _cache.version:
            _cache.clear()
            _cache.version = version
        _cache.checked_at = now
    return version


def _load(tenant: Tenant, year: int) -> ComplaintConfig:
    # Read only (a page's GET writes nothing): a tenant without its own policy row uses the
    # defaults, unsaved; storing one (policy_for, the back office) raises the version.
    policy = ComplaintPolicy.objects.filter(tenant=tenant).first() or ComplaintPolicy(tenant=tenant)
    categories = Category.objects.filter(tenant=tenant, is_active=True).prefetch_related(
        Prefetch("attributes", queryset=CategoryAttribute.objects.order_by("order"))
    )
    keys = Open311Key.objects.filter(tenant=tenant, revoked_at__isnull=True)
    now = timezone.now()
    return ComplaintConfig(
        tenant=tenant,
        policy=policy,
        categories=tuple(categories),
        key_ids=dict(keys.values_list("key_hash", "pk")),
        calendar=WorkCalendar.for_tenant(tenant, around=now),
        year=year,
    )


def _remember(config: ComplaintConfig, version: int) -> ComplaintConfig:
    with _cache.lock:
        if version == _cache.version:  # not if a change came in while loading
            _cache.by_tenant[config.tenant.pk] = config
            if config.tenant.jurisdiction_id:
                _cache.by_jurisdiction[config.tenant.jurisdiction_id] = config.tenant.pk
    return config


def config_for(tenant: Tenant) -> ComplaintConfig:
    """The configuration of ``tenant`` (as cached; ``tenant`` itself is only its key)."""
    version = _recheck()
    year = timezone.localtime().year
    config = _cache.by_tenant.get(tenant.pk)
    if config is not None and config.year == year:
        return config
    fresh = Tenant.objects.filter(pk=tenant.pk).first() or tenant
    return _remember(_load(fresh, year), version)


def config_for_jurisdiction(code: str) -> ComplaintConfig | None:
    """The configuration of the active tenant whose Open311 ``jurisdiction_id`` is ``code``."""
    version = _recheck()
    pk = _cache.by_jurisdiction.get(code)
    config = _cache.by_tenant.get(pk) if pk is not None else None
    year = timezone.localtime().year
    if config is not None and config.year == year:
        return config
    tenant = Tenant.objects.filter(jurisdiction_id=code, is_active=True).first()
    if tenant is None:
        return None
    return _remember(_load(tenant, year), version)


def forget() -> None:
    """Empties this process's cache (the next read reloads)."""
    with _cache.lock:
        _cache.clear()
        _cache.checked_at = -1e9


def config_changed() -> None:
    """Call after a configuration changed: every process reloads (this one at once, the others
    within ``COMPLAINTS_CONFIG_RECHECK_SECONDS`` of the commit). Raises the version in the
    caller's transaction, so no process can see the new version before the change."""
    forget()
    with transaction.atomic(savepoint=False):
        if not ConfigVersion.objects.filter(pk=1).update(version=F("version") + 1):
            try:
                with transaction.atomic():
                    ConfigVersion.objects.create(pk=1, version=1)
            except IntegrityError:  # created meanwhile by another change
                ConfigVersion.objects.filter(pk=1).update(version=F("version") + 1)
    # Forget again once committed: a read between the bump and the commit saw the old rows.
    transaction.on_commit(forget)
