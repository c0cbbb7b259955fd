"""The superadmin's national view: 514 tenants on one page, ranked, at a fixed query cost."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from kotacerdas.accounts.models import User
from kotacerdas.regions.loader import load_regions
from kotacerdas.regions.models import Level, Region
from kotacerdas.tenants.models import Tenant
from tests.dashboard.fixtures import World

from .conftest import staff
from .fixtures import NOW

pytestmark = pytest.mark.django_db
URL = reverse("dashboard_national")
JUNE = {"periode": "bulan", "acuan": "2026-06-01"}


def every_regency_a_tenant() -> int:
    """A tenant for each kabupaten/kota in the region list that has none yet (the test set-up
    loads only some provinces: the country's kabupaten/kota are loaded here)."""
    load_regions(down_to=Level.REGENCY)
    taken = set(Tenant.objects.values_list("region_id", flat=True))
    Tenant.objects.bulk_create(
        Tenant(
            region=region,
            name=f"Pemerintah {region.name}",
            short_name=region.name,
            slug=f"t-{region.code.replace('.', '-')}",
            jurisdiction_id=f"{region.code}.test",
        )
        for region in Region.objects.filter(level=Level.REGENCY).exclude(code__in=taken)
    )
    return Tenant.objects.count()


@time_machine.travel(NOW, tick=False)
def test_superadmin_compares_514_tenants_at_a_fixed_query_cost(
    world: tuple[Tenant, World], django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    assert every_regency_a_tenant() == 514
    client = Client()
    client.force_login(staff("super-nasional", "superadmin", None))
    # Session, user, the tenants, one grouped query per national KPI, the cache: not per tenant.
    with django_assert_max_num_queries(20):
        response = client.get(URL, {**JUNE, "urut": "complaints.received"})
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("<tr data-tenant=") == 514
    rows = response.context["rows"]
    tangerang = next(r for r in rows if r.code == "36.71")
    assert tangerang.values["complaints.received"] == 4
    assert tangerang.values["emergency.prank_share"] == 40
    ranked = [r.values["complaints.received"] for r in rows if r.rank is not None]
    assert ranked == sorted(ranked, reverse=True)
    assert [r.rank for r in rows[: len(ranked)]] == list(range(1, len(ranked) + 1))
    # Lower is better for prank calls: ranked ascending.
    response = client.get(URL, {**JUNE, "urut": "emergency.prank_share"})
    prank = [r.values["emergency.prank_share"] for r in response.context["rows"] if r.rank]
    assert prank == sorted(prank)


def test_only_the_superadmin_sees_it(
    world: tuple[Tenant, World], leader: User, pimpinan_kota: User
) -> None:
    for user in (leader, pimpinan_kota):
        client = Client()
        client.force_login(user)
        assert client.get(URL).status_code == 404
    assert Client().get(URL).status_code == 302
    client = Client()
    client.force_login(staff("super-2", "superadmin", None))
    assert client.get(URL, {"urut": "tidak.ada"}).status_code == 400
