"""List endpoints read a bounded number of queries, whatever the number of datasets."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django import DjangoAssertNumQueries

from kotacerdas.tenants.models import Tenant
from tests.opendata.conftest import publish_table

pytestmark = pytest.mark.django_db


def _count(client: Client, url: str, params: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url,params",
    [
        (
            "/kota-serang/api/3/action/package_search",
            {"rows": "100", "facet.field": '["organization","groups","tags","res_format"]'},
        ),
        ("/kota-serang/api/3/action/current_package_list_with_resources", {"limit": "100"}),
        ("/kota-serang/data/", {}),
    ],
)
def test_list_queries_do_not_grow_with_the_datasets(
    client: Client,
    kota: Tenant,
    url: str,
    params: dict[str, str],
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    for i in range(2):
        publish_table(
            kota, title=f"A{i}", header=["a"], rows=[[i]], tags=[f"t{i}"], groups=["kependudukan"]
        )
    few = _count(client, url, params)
    for i in range(2, 8):
        publish_table(
            kota, title=f"A{i}", header=["a"], rows=[[i]], tags=[f"t{i}"], groups=["smart-living"]
        )
    many = _count(client, url, params)
    assert many == few
    with django_assert_max_num_queries(20):
        client.get(url, params)
