"""GET /api/v1/dashboard/kpis: the platform's JSON and Smart Data Models entities."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.test import Client

from kotacerdas.accounts.models import User
from kotacerdas.accounts.services import api_token_create
from kotacerdas.tenants.models import Tenant
from tests.dashboard.fixtures import World

from .fixtures import NOW

pytestmark = pytest.mark.django_db
URL = "/api/v1/dashboard/kpis"
JUNE = {"periode": "bulan", "acuan": "2026-06-01"}


def bearer(user: User) -> dict[str, Any]:  # extra WSGI environ for the test client
    _token, raw = api_token_create(user=user, name="dasbor", can_write=False)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@time_machine.travel(NOW, tick=False)
def test_read_only_token_gets_every_kpi(world: tuple[Tenant, World], leader: User) -> None:
    response = Client().get(URL, JUNE, **bearer(leader))
    assert response.status_code == 200
    data = response.json()
    assert data["tenant"] == "36.71" and data["period"]["label"] == "Jun 2026"
    kpis = {f"{k['app']}.{k['code']}": k for k in data["kpis"]}
    received = kpis["complaints.received"]
    assert received["value"] == 4 and received["unit"] == "aduan"
    assert received["computed_at"] == data["computed_at"]
    assert kpis["emergency.calls"]["previous"] == 1
    entity = next(e for e in data["entities"] if ":complaints.received:" in e["id"])
    assert entity["type"] == "KeyPerformanceIndicator"
    assert entity["kpiValue"] == 4
    assert entity["calculationFrequency"] == "monthly"
    assert entity["calculationPeriod"]["from"].startswith("2026-06-01T00:00:00+07:00")
    assert entity["organization"]["legalId"] == "36.71"
    assert len(data["entities"]) == len(data["kpis"])


@time_machine.travel(NOW, tick=False)
def test_kecamatan_and_tenant_by_code(world: tuple[Tenant, World], leader: User) -> None:
    _tenant, w = world
    data = (
        Client()
        .get(URL, {**JUNE, "tenant": "36.71", "kecamatan": w.kecamatan_a}, **bearer(leader))
        .json()
    )
    kpis = {f"{k['app']}.{k['code']}": k["value"] for k in data["kpis"]}
    assert kpis["complaints.received"] == 2
    assert data["kecamatan"] == w.kecamatan_a


def test_errors_in_the_platform_shape(
    world: tuple[Tenant, World], leader: User, pimpinan_kota: User
) -> None:
    tenant, _w = world
    headers = bearer(leader)
    assert Client().get(URL).status_code == 401
    bad = Client().get(URL, {"periode": "abad"}, **headers)
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_period"
    assert Client().get(URL, {"kecamatan": "99.99.99"}, **headers).status_code == 400
    # Another tenant's leader: 404, by slug or by code.
    other = bearer(pimpinan_kota)
    assert Client().get(URL, {"tenant": tenant.slug}, **other).status_code == 404
    assert Client().get(URL, {"tenant": "36.71"}, **other).status_code == 404
    assert Client().get(URL, {"tenant": "tidak-ada"}, **headers).status_code == 404
