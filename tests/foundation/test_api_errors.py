"""API error messages follow the request's language; the codes stay the same."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("id", "Wilayah dengan kode 99.99 tidak ditemukan."),
        ("en", "There is no region with code 99.99."),
    ],
)
def test_a_404_speaks_the_callers_language(client: Client, language: str, message: str) -> None:
    response = client.get("/api/v1/regions/99.99", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "region_not_found", "message": message}}


@pytest.mark.django_db
def test_a_malformed_body_is_explained_in_english_on_request(client: Client, ani: Any) -> None:
    client.force_login(ani)
    response = client.post(
        "/api/v1/complaints/",
        data="{oops",
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    body = response.json()["error"]
    assert body["code"] == "malformed_body"
    assert body["message"].startswith("The request body is not valid JSON")
