"""Fixtures for the 112 desk: its demo set-up (categories, agencies, units, agency accounts)
is loaded once per test database, on top of the shared Serang set-up."""

from __future__ import annotations

import datetime as dt

import pytest
from pytest_django import DjangoDbBlocker

from kotacerdas.accounts.models import User
from kotacerdas.emergency import demo, services
from kotacerdas.emergency.models import Agency, Incident, IncidentCategory
from kotacerdas.regions.models import Region
from kotacerdas.tenants.models import Tenant
from tests.conftest import DEMO_PASSWORD, account


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> None:
    with django_db_blocker.unblock():
        demo.load_demo(password=DEMO_PASSWORD)


@pytest.fixture
def calltaker(db: None) -> User:
    return account("calltaker-kota")


@pytest.fixture
def dispatcher(db: None) -> User:
    return account("dispatcher-kota")


@pytest.fixture
def supervisor(db: None) -> User:
    return account("supervisor-kota")


@pytest.fixture
def damkar_system(db: None) -> User:
    return account("damkar-kota")


@pytest.fixture
def dispatcher_kab(db: None) -> User:
    return account("dispatcher-kab")


def agency(tenant: Tenant, code: str) -> Agency:
    return Agency.objects.get(tenant=tenant, code=code)


def fire_data(tenant: Tenant) -> services.IncidentData:
    return services.IncidentData(
        category=IncidentCategory.objects.get(tenant=tenant, code="kebakaran"),
        kelurahan=Region.objects.get(code="36.73.06.1001"),
        landmark="Gang Mawar dekat SDN Taktakan 1",
        description="Rumah terbakar, api membesar.",
        people_involved="1 lansia di dalam",
    )


@pytest.fixture
def fire(kota: Tenant, calltaker: User) -> Incident:
    result = services.call_log(
        tenant=kota,
        taker=calltaker,
        caller_number="081299990001",
        call_type="normal",
        incident=fire_data(kota),
    )
    assert result.incident is not None
    return result.incident


def minutes(n: float) -> dt.timedelta:
    return dt.timedelta(minutes=n)
