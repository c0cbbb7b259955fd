"""Shared fixtures: the real Serang demo set-up, made once per run and copied for each test
database (``tests/template_db.py``), and personas.

Personas (see HOUSE_STYLE): Ani, an operator at Diskominfo Kota Serang; Budi, an operator
at Dishub in the same city; Citra, an operator in Kabupaten Serang (another tenant);
Dewi, a citizen.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.utils import translation
from pytest_django import DjangoDbBlocker

from kotacerdas.accounts.models import User
from kotacerdas.core import kpis
from kotacerdas.tenants.models import Tenant
from tests import template_db

DEMO_PASSWORD = "kotacerdas-demo"


def pytest_configure(config: pytest.Config) -> None:
    # Password hashing at full strength would dominate the suite's run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Tests that run in one of ``make test``'s two passes only: those that read no database in
# the SQLite pass; the browser and production-server tests (a real server on its own database,
# as deployed) in the PostgreSQL pass.
ONE_PASS = {"once": "sqlite", "browser": "postgresql", "production": "postgresql"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    engine = settings.DATABASES["default"]["ENGINE"]
    vendor = "postgresql" if engine.endswith("postgresql") else "sqlite"
    elsewhere = [
        item
        for item in items
        if any(item.get_closest_marker(mark) and only != vendor for mark, only in ONE_PASS.items())
    ]
    if elsewhere:
        config.hook.pytest_deselected(items=elsewhere)
        gone = set(map(id, elsewhere))
        items[:] = [item for item in items if id(item) not in gone]


# Banten (both Serang tenants) and the regions tests name outside it: DKI Jakarta's name, Kota
# Samarinda (a third tenant, WITA) and Kota Manado. Not the whole country: its 91,592 regions
# took most of each worker's set-up. A test that needs every region loads them itself.
TEST_REGIONS = ("36", "31", "64.72", "71.71")


def load_base(prefix: str | tuple[str, ...] = TEST_REGIONS) -> None:
    """The regions under ``prefix`` (with their ancestors), both Serang tenants and their OPDs,
    as ``kotacerdas setup --demo --regions …`` makes them: the run's template database."""
    from kotacerdas.regions.loader import load_regions
    from kotacerdas.tenants import demo as tenants_demo

    load_regions(prefix=prefix)
    tenants_demo.load_demo(password=DEMO_PASSWORD)


def load_accounts() -> None:
    """The demo accounts, their passwords hashed by this process's (fast) hasher: not in the
    template, whose copies the servers give to ``setup --demo`` with the real hashers."""
    from kotacerdas.accounts import demo as accounts_demo

    accounts_demo.load_demo(password=DEMO_PASSWORD)


def load_serang(prefix: str | tuple[str, ...] = TEST_REGIONS) -> None:
    """The regions under ``prefix`` (with their ancestors), both Serang tenants, their OPDs and
    the demo accounts, as ``kotacerdas setup --demo`` makes them."""
    load_base(prefix)
    load_accounts()


@pytest.fixture(autouse=True)
def _fresh_complaints_config() -> None:
    """Each test starts with empty per-process complaints caches (configuration, feeds): the
    test database rolls back underneath them, so what one test cached may not exist in the next."""
    from kotacerdas.complaints import config, feed_cache

    config.forget()
    feed_cache.forget()


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in the default language: a test client's request in English leaves
    English active in the thread (LocaleMiddleware activates and never deactivates)."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(scope="session")
def django_db_setup(
    request: pytest.FixtureRequest,
    django_test_environment: None,
    django_db_blocker: DjangoDbBlocker,
    django_db_modify_db_settings: None,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[None]:
    """This process's test database (pytest-django's, made once per run and copied for each
    worker: tests/template_db.py), with the demo accounts. pytest-django's ``--reuse-db``,
    ``--create-db`` and ``--no-migrations`` do not apply."""
    shared = template_db.shared_dir(tmp_path_factory, request.config)
    with django_db_blocker.unblock():
        original = template_db.set_up(shared, load=load_base)
        load_accounts()
    yield
    with django_db_blocker.unblock():
        template_db.tear_down(original)


def pytest_sessionfinish(session: pytest.Session) -> None:
    # In the xdist controller (after every worker) or the only process of a run without xdist.
    if not hasattr(session.config, "workerinput"):
        template_db.drop_template()


@pytest.fixture
def serang_after_flush(transactional_db: None) -> None:
    """For transactional tests, whose flush empties the tables: the regions and the demo set-up
    again."""
    load_serang()


@pytest.fixture
def kota(db: None) -> Tenant:
    return Tenant.objects.get(region_id="36.73")


@pytest.fixture
def kab(db: None) -> Tenant:
    return Tenant.objects.get(region_id="36.04")


def account(username: str) -> User:
    return User.objects.select_related("tenant", "opd").get(username=username)


@pytest.fixture
def ani(db: None) -> User:
    return account("diskominfo-kota")


@pytest.fixture
def budi(db: None) -> User:
    return account("dishub-kota")


@pytest.fixture
def citra(db: None) -> User:
    return account("diskominfo-kab")


@pytest.fixture
def dewi(db: None) -> User:
    return account("warga-demo")


@pytest.fixture
def admin_kota(db: None) -> User:
    return account("admin-kota")


@pytest.fixture
def admin_kab(db: None) -> User:
    return account("admin-kab")


@pytest.fixture
def pimpinan_kota(db: None) -> User:
    return account("pimpinan-kota")


def kpi(key: str) -> kpis.Kpi:
    """The registered KPI ``key``: a missing one fails the test where it is named."""
    found = kpis.get(key)
    assert found is not None, key
    return found


def search(pattern: str, text: str) -> re.Match[str]:
    """``re.search`` that fails the test, showing the text, when nothing matches."""
    found = re.search(pattern, text)
    assert found, f"{pattern!r} not in {text[:500]!r}"
    return found
