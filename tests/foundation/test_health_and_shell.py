from __future__ import annotations

from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_when_the_database_answers(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "static": "ok"}


def test_healthz_answers_503_when_the_database_is_down(client: Client) -> None:
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("down")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503


def test_platform_home_lists_both_serang_tenants(client: Client) -> None:
    page = client.get("/").content.decode()
    assert "Pemerintah Kota Serang" in page
    assert "Pemerintah Kabupaten Serang" in page


def test_tenant_home_is_in_indonesian_by_default_and_english_on_request(client: Client) -> None:
    page = client.get("/kota-serang/").content.decode()
    assert "Satu pintu layanan Pemerintah Kota Serang" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/kota-serang/"})
    page = client.get("/kota-serang/").content.decode()
    assert "One-stop services of Pemerintah Kota Serang" in page


def test_unknown_tenant_is_a_404(client: Client) -> None:
    assert client.get("/kota-antah/").status_code == 404


def test_openapi_document_is_served(client: Client) -> None:
    doc = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/regions/{code}" in doc["paths"]


def test_no_page_loads_assets_from_a_cdn(client: Client) -> None:
    for url in ("/", "/kota-serang/", "/akun/masuk/", "/akun/daftar/", "/api/v1/docs"):
        page = client.get(url).content.decode()
        assert "cdn." not in page and "unpkg" not in page and "jsdelivr" not in page, url


def test_malformed_json_body_gets_a_clear_indonesian_error(client: Client) -> None:
    response = client.post(
        "/api/v1/planning/evaluation/score", data="{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed_body"
    assert "bukan JSON yang sah" in response.json()["error"]["message"]
