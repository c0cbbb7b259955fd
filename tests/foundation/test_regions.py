from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kotacerdas.regions.loader import load_regions
from kotacerdas.regions.models import Level, Region

pytestmark = pytest.mark.django_db


def test_a_partial_load_brings_the_ancestors_its_regions_need() -> None:
    result = load_regions(prefix=("51.71.01", "36.73"))
    assert Region.objects.get(code="51.71.01").parent_id == "51.71"
    assert Region.objects.get(code="51.71").parent_id == "51"
    assert not Region.objects.filter(code="51.71.02").exists(), "a sibling is not loaded"
    assert not Region.objects.filter(code="51.03").exists()
    villages = Region.objects.filter(code__startswith="51.71.01.").count()
    assert villages > 0
    assert (result.created, result.unchanged) == (1 + 1 + 1 + villages, 1 + 1 + 6 + 67)


@pytest.mark.parametrize(("code", "districts", "villages"), [("36.73", 6, 67), ("36.04", 29, 326)])
def test_serang_has_its_kecamatan_and_villages(code: Any, districts: Any, villages: Any) -> None:
    assert Region.objects.districts_of(code).count() == districts
    assert Region.objects.villages_of_regency(code).count() == villages


def test_a_load_down_to_kabupaten_kota_stops_there() -> None:
    result = load_regions(prefix="51", down_to=Level.REGENCY)
    assert Region.objects.filter(code__startswith="51.", level=Level.REGENCY).count() == 9
    assert not Region.objects.filter(code__startswith="51.", level__gt=Level.REGENCY).exists()
    assert result.created == 1 + 9, "Bali and its eight kabupaten and one kota"


def test_loading_again_changes_nothing() -> None:
    result = load_regions(prefix="36.73")
    assert (result.created, result.updated) == (0, 0)
    assert result.unchanged == 1 + 1 + 6 + 67, "Banten, Kota Serang, its kecamatan and villages"


def test_names_are_shown_in_title_case_and_kinds_follow_the_code() -> None:
    kota = Region.objects.get(code="36.73")
    assert kota.name == "Kota Serang"
    assert kota.kind == "kota"
    assert Region.objects.get(code="36.04").kind == "kabupaten"
    assert Region.objects.get(code="36.73.01.1002").kind == "kelurahan"
    assert Region.objects.get(code="36.04.05.2001").kind == "desa"
    assert Region.objects.get(code="31").name == "DKI Jakarta"


def test_api_lists_kota_serang_kecamatan_with_villages(client: Client) -> None:
    response = client.get("/api/v1/regions/36.73")
    assert response.status_code == 200
    body = response.json()
    assert (body["code"], body["name"], body["level"]) == ("36.73", "Kota Serang", "regency")
    assert len(body["children"]) == 6
    assert sum(len(c["villages"]) for c in body["children"]) == 67
    serang = next(c for c in body["children"] if c["code"] == "36.73.01")
    assert {"code": "36.73.01.1002", "name": "Cipare"} in serang["villages"]


def test_api_district_lists_villages_as_children(client: Client) -> None:
    body = client.get("/api/v1/regions/36.73.06").json()
    assert body["level"] == "district"
    assert len(body["children"]) == 13
    assert body["children"][0]["villages"] is None


@pytest.mark.parametrize(
    ("code", "status", "error"),
    [
        ("99.99", 404, "region_not_found"),
        ("36.7", 400, "invalid_region_code"),
        ("x" * 300, 400, "invalid_region_code"),
    ],
)
def test_api_rejects_unknown_and_malformed_codes_in_the_single_error_shape(
    client: Client, code: Any, status: Any, error: Any
) -> None:
    response = client.get(f"/api/v1/regions/{code}")
    assert response.status_code == status
    assert response.json()["error"]["code"] == error
    assert response.json()["error"]["message"]


def test_region_detail_query_count_does_not_grow_with_children(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(3):
        client.get("/api/v1/regions/36.04")
