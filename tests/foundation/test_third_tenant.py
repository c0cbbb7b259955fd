"""A third tenant far from Serang (Kota Samarinda, 64.72, in WITA) sees its own geography
everywhere: the complaint maps, the 112 wall map and the 112 report's range of years."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from kotacerdas.accounts.models import Role, User
from kotacerdas.emergency.models import Call, CallType
from kotacerdas.tenants.models import Tenant
from kotacerdas.tenants.services import tenant_create, tenant_set_map

SAMARINDA = [-0.502106, 117.153709]  # the Islamic Center, on the Mahakam


@pytest.fixture
def samarinda(db: object) -> Tenant:
    tenant, _created = tenant_create(
        code="64.72",
        jurisdiction_id="samarindakota.go.id",
        slug="samarinda",
        name="Pemerintah Kota Samarinda",
    )
    tenant.time_zone = "Asia/Makassar"
    tenant.save(update_fields=["time_zone"])
    return tenant_set_map(
        tenant=tenant,
        center_lat=Decimal(str(SAMARINDA[0])),
        center_lng=Decimal(str(SAMARINDA[1])),
        zoom=13,
    )


@pytest.fixture
def supervisor(samarinda: Tenant) -> User:
    return User.objects.create_user(
        username="supervisor-samarinda",
        password="x" * 12,
        role=Role.SUPERVISOR,
        tenant=samarinda,
    )


def _json_script(html: str, element_id: str) -> dict[str, object]:
    found = re.search(
        rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S
    )
    assert found, element_id
    data: dict[str, object] = json.loads(found.group(1))
    return data


def test_the_complaint_maps_open_on_the_tenants_own_centre(
    client: Client, samarinda: Tenant, kota: Tenant
) -> None:
    listing = client.get("/samarinda/aduan/daftar/")
    assert listing.status_code == 200
    config = _json_script(listing.content.decode(), "list-map")
    assert (config["center"], config["zoom"]) == (SAMARINDA, 13)
    report = client.get("/samarinda/aduan/lapor/")
    assert report.status_code == 200
    assert _json_script(report.content.decode(), "report-map")["center"] == SAMARINDA
    # Serang keeps its own.
    serang = _json_script(client.get(f"/{kota.slug}/aduan/daftar/").content.decode(), "list-map")
    assert serang["center"] == kota.map_view["center"] != SAMARINDA


def test_the_112_wall_map_opens_on_the_tenants_own_centre(
    client: Client, samarinda: Tenant, supervisor: User
) -> None:
    client.force_login(supervisor)
    wall = client.get("/samarinda/112/papan/dinding/")
    assert wall.status_code == 200
    found = re.search(r'<script id="map-conf" type="application/json">(.*?)</script>', wall.text)
    assert found is not None
    assert json.loads(found.group(1))["center"] == pytest.approx(list(SAMARINDA))


def test_the_112_report_years_start_at_the_tenants_own_first_call(
    client: Client, samarinda: Tenant, supervisor: User
) -> None:
    client.force_login(supervisor)
    this_year = timezone.localdate().year
    assert client.get(f"/samarinda/112/laporan/?bulan={this_year}-01").status_code == 200
    # No call yet: last year is before this tenant's records begin.
    assert client.get(f"/samarinda/112/laporan/?bulan={this_year - 1}-12").status_code == 404
    Call.objects.create(
        tenant=samarinda,
        caller_number="+6281100000001",
        caller_number_raw="081100000001",
        call_type=CallType.INFORMASI,
        taker=supervisor,
        received_at=dt.datetime(2022, 3, 1, 9, tzinfo=dt.UTC),
    )
    assert client.get("/samarinda/112/laporan/?bulan=2022-03").status_code == 200
    assert client.get("/samarinda/112/laporan/?bulan=2021-12").status_code == 404
