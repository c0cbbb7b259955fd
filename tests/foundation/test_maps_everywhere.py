"""Every map of a tenant opens at its view and draws its boundary: each is built with
``tenants.maps.map_config`` (issue #9.4)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from kotacerdas.accounts.models import Role, User
from kotacerdas.accounts.services import staff_upsert
from kotacerdas.tenants.models import Tenant
from kotacerdas.tenants.services import tenant_set_map

SQUARE = [[106.14, -6.13], [106.16, -6.13], [106.16, -6.11], [106.14, -6.11], [106.14, -6.13]]

# (page under the tenant, who opens it: None for the public)
MAP_PAGES = [
    ("aduan/lapor/", None),
    ("aduan/daftar/", None),
    ("aduan/kelola/baru/", "operator"),
    ("112/papan/dinding/", "supervisor"),
    ("pusat-komando/", "leader"),
    ("sensor/", None),
    ("sensor/peta/", "operator"),
    ("wifi/", None),
    ("wisata/", None),
    ("wilayah/peta/", "admin"),
]


@pytest.fixture
def outlined(kota: Tenant) -> Tenant:
    return tenant_set_map(
        tenant=kota,
        center_lat=Decimal("-6.12"),
        center_lng=Decimal("106.15"),
        zoom=13,
        boundary={"type": "Polygon", "coordinates": [SQUARE]},
    )


@pytest.mark.parametrize(("page", "who"), MAP_PAGES)
def test_each_map_page_carries_the_tenant_boundary(  # noqa: PLR0917 - personas
    client: Client,
    outlined: Tenant,
    ani: User,
    admin_kota: User,
    pimpinan_kota: User,
    page: str,
    who: str | None,
) -> None:
    users = {
        "operator": ani,
        "admin": admin_kota,
        "leader": pimpinan_kota,
        "supervisor": staff_upsert(
            username="supervisor-peta", role=Role.SUPERVISOR, tenant=outlined
        ),
    }
    if who is not None:
        client.force_login(users[who])
    response = client.get(f"/{outlined.slug}/{page}")
    assert response.status_code == 200, page
    version = outlined.boundary_version
    assert f"/{outlined.slug}/wilayah/batas.geojson?v={version}" in response.content.decode()
