"""Fixtures for the command centre: a tenant of its own with hand-counted data (see
fixtures.py), its leader, region administrator and an OPD operator."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from kotacerdas.accounts.models import Role, User
from kotacerdas.tenants.models import Tenant
from tests.conftest import account

from .fixtures import World, build, fresh_tenant


@pytest.fixture(autouse=True)
def _empty_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db: None) -> tuple[Tenant, World]:
    tenant = fresh_tenant("36.71", "kpi-tangerang")
    return tenant, build(tenant, account("warga-demo"), account("calltaker-kota"))


def staff(username: str, role: str, tenant: Tenant | None, **kw: Any) -> User:
    return User.objects.create_user(
        username=username, password="rahasia-sekali-123", role=role, tenant=tenant, **kw
    )


@pytest.fixture
def leader(world: tuple[Tenant, World]) -> User:
    return staff("walikota-tgr", Role.LEADER, world[0])


@pytest.fixture
def opd_operator(world: tuple[Tenant, World]) -> User:
    return staff("operator-dpu-tgr", Role.OPD_OPERATOR, world[0], opd=world[1].opd_x)
