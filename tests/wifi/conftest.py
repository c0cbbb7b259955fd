from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from time_machine import TimeMachineFixture

from kotacerdas.accounts.models import Role, User
from kotacerdas.tenants.models import Tenant
from kotacerdas.wifi.models import Hotspot, Provider
from kotacerdas.wifi.services import hotspot_create, provider_upsert

NOW = dt.datetime(2026, 11, 30, 3, 0, tzinfo=dt.UTC)


@pytest.fixture
def frozen(time_machine: TimeMachineFixture) -> dt.datetime:
    time_machine.move_to(NOW, tick=False)
    return NOW


@pytest.fixture
def provider(kota: Tenant) -> Provider:
    return provider_upsert(
        tenant=kota, name="PT Jaringan Uji", contact_email="noc@jaringan-uji.example"
    )


@pytest.fixture
def provider_user(kota: Tenant, provider: Provider) -> User:
    user = User.objects.create_user(
        username="noc-uji",
        role=Role.PROVIDER,
        tenant=kota,
        password="x",
    )
    provider.members.add(user)
    return user


@pytest.fixture
def alun(kota: Tenant, provider: Provider) -> Hotspot:
    return hotspot_create(
        tenant=kota,
        actor=None,
        name="Alun-alun Uji",
        lat=Decimal("-6.120950"),
        lng=Decimal("106.150530"),
        ssid="SerangUji",
        provider=provider,
        monthly_cost=Decimal(9_000_000),
        check_host="127.0.0.9",
        nas_identifier="ap-alun",
    )
