"""A tenant's portal and CKAN API on a host of its own (OPENDATA_HOSTS)."""

from __future__ import annotations

import pytest
from django.test import Client
from pytest_django import Settings

from kotacerdas.tenants.models import Tenant
from tests.opendata.conftest import publish_table

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_host(settings: Settings) -> str:
    settings.OPENDATA_HOSTS = {"data.serangkota.go.id": "kota-serang"}
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "data.serangkota.go.id", "testserver"]
    return "data.serangkota.go.id"


def test_the_ckan_api_dcat_and_portal_answer_at_the_hosts_root(
    client: Client, kota: Tenant, data_host: str
) -> None:
    dataset, _r = publish_table(kota, title="Penduduk", header=["a"], rows=[[1]])
    api = client.get("/api/3/action/package_show", {"id": dataset.name}, HTTP_HOST=data_host)
    assert api.status_code == 200 and api.json()["result"]["name"] == dataset.name
    assert client.get("/api/action/site_read", HTTP_HOST=data_host).json()["result"] is True
    assert client.get("/catalog.ttl", HTTP_HOST=data_host).status_code == 200
    assert client.get(f"/dataset/{dataset.name}.jsonld", HTTP_HOST=data_host).status_code == 200
    portal = client.get("/", HTTP_HOST=data_host)
    assert portal.status_code == 200 and "Penduduk" in portal.text
    # Links the pages build (with the slug) keep working on that host.
    assert (
        client.get(f"/kota-serang/data/dataset/{dataset.name}/", HTTP_HOST=data_host).status_code
        == 200
    )
    # Another host is untouched: there /api/3/… is not a tenant's path.
    assert client.get("/api/3/action/site_read").status_code == 404
