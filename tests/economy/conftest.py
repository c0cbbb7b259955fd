from __future__ import annotations

import pytest

from kotacerdas.accounts.models import Role, User
from kotacerdas.economy import demo
from kotacerdas.economy.models import TourismVillage
from kotacerdas.tenants.models import Opd, Tenant


@pytest.fixture
def sikonde(kab: Tenant) -> TourismVillage:
    """Kabupaten Serang's example villages and fisheries products, as `setup --demo` makes them."""
    demo.load_demo(password="x")
    return TourismVillage.objects.get(tenant=kab, slug="cikolelet")


@pytest.fixture
def pokdarwis(sikonde: TourismVillage) -> User:
    return User.objects.get(username="pokdarwis-kab")


@pytest.fixture
def other_manager(kab: Tenant, sikonde: TourismVillage) -> User:
    """The manager of Pulau Tunda: another village of the same regency."""
    user = User.objects.create_user(
        username="pokdarwis-tunda", role=Role.VILLAGE_MANAGER, tenant=kab, password="x"
    )
    TourismVillage.objects.get(tenant=kab, slug="pulau-tunda").managers.add(user)
    return user


def _operator(tenant: Tenant, acronym: str, username: str) -> User:
    return User.objects.create_user(
        username=username,
        role=Role.OPD_OPERATOR,
        tenant=tenant,
        opd=Opd.objects.get(tenant=tenant, acronym=acronym),
        email=f"{username}@contoh.id",
        password="x",
    )


@pytest.fixture
def disparpora(kab: Tenant) -> User:
    return _operator(kab, "Disparpora", "disparpora-kab")


@pytest.fixture
def ovop_office(kab: Tenant) -> User:
    return _operator(kab, "DKP", "dkp-kab")
