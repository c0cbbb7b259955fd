from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from importlib import import_module
from typing import Any

import pytest
from django.apps import apps

from kotacerdas.planning.models import Dimension, Element, Masterplan, Programme
from kotacerdas.planning.services import BudgetIn, KpiIn, PartnerIn, masterplan_save, programme_save
from kotacerdas.tenants.models import Opd, Tenant


def ensure_national_dimensions() -> None:
    """Put back the dimensions that migration 0002 seeds: a transactional test (of any app)
    flushes every table, and the foundation's ``serang_after_flush`` does not reload them."""
    if not Dimension.objects.exists():
        seed = import_module("kotacerdas.planning.migrations.0002_seed_national_dimensions").seed
        seed(apps, None)


@pytest.fixture(autouse=True)
def national_dimensions(request: pytest.FixtureRequest) -> None:
    marker = request.node.get_closest_marker("django_db")
    if marker is not None:
        request.getfixturevalue("transactional_db" if marker.kwargs.get("transaction") else "db")
        ensure_national_dimensions()


def make_programme(
    tenant: Tenant,
    *,
    name: str = "Rabeg",
    lead: str = "Diskominfo",
    term: str = "quick_win",
    **extra: Any,
) -> Programme:
    dimension = Dimension.objects.get(code="governance")
    defaults: dict[str, Any] = {
        "dimension": dimension,
        "element": Element.objects.get(code="governance-public-services"),
        "term": term,
        "lead_opd": Opd.objects.get(tenant=tenant, acronym=lead),
        "start_year": 2026,
        "end_year": 2027,
        "status": "ongoing",
        "reporting_from": dt.date(2026, 1, 1),
        "budget": [
            BudgetIn(2026, "apbd", Decimal(400_000_000)),
            BudgetIn(2026, "csr", Decimal(100_000_000)),
        ],
        "kpis": [
            KpiIn(
                "Aduan ditindaklanjuti",
                "%",
                Decimal(60),
                targets={2026: Decimal(80), 2027: Decimal(90)},
            )
        ],
        "partners": [PartnerIn("academia", "Universitas Sultan Ageng Tirtayasa")],
    }
    defaults.update(extra)
    return programme_save(tenant=tenant, actor=None, name=name, **defaults)


@pytest.fixture
def masterplan(kota: Tenant) -> Masterplan:
    return masterplan_save(
        tenant=kota,
        actor=None,
        title="Masterplan Smart City Kota Serang 2023–2032",
        vision="Kota Serang cerdas",
        mission="Layanan publik digital\nEkonomi kreatif",
        strategy="Quick win hemat anggaran",
        start_year=2023,
        short_term_end=2024,
        medium_term_end=2027,
    )


@pytest.fixture
def programme(kota: Tenant, masterplan: Masterplan) -> Programme:
    return make_programme(kota)


@pytest.fixture(autouse=True)
def indonesian_by_default() -> Iterator[None]:
    """Each test starts in Bahasa Indonesia: a page requested in English earlier in the same
    worker leaves its language active in the thread."""
    from django.utils import translation

    with translation.override("id"):
        yield
