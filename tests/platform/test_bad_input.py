"""Hostile input that no view can use is a 400 in the platform's error shape, never a 500;
and /healthz fails fast and says why."""

from __future__ import annotations

import time
from pathlib import Path
from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.test import Client, override_settings
from pytest_django import Settings

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/kota-serang/aduan/tiket/%00/",
        "/kota-serang/aduan/daftar/?kategori=%00",
        "/open311/v2/requests.json?jurisdiction_id=%00",
        "/api/v1/regions/%00",
    ],
)
def test_nul_byte_in_path_or_query_is_a_400(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 400


def test_nul_byte_in_api_query_has_the_json_error_shape(client: Client) -> None:
    response = client.get("/open311/v2/requests.json?jurisdiction_id=%00")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_character"


def test_nul_byte_in_a_form_field_is_a_400(client: Client) -> None:
    response = client.post("/akun/masuk/", {"username": "a\x00b", "password": "x"})
    assert response.status_code == 400
    response = client.post(
        "/akun/masuk/",
        "username=a%00b&password=x",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400


def test_form_body_in_utf16_is_a_400(client: Client) -> None:
    # The test client encodes the string in the declared charset.
    response = client.post(
        "/akun/masuk/",
        data="username=dewi&password=rahasia",
        content_type="application/x-www-form-urlencoded; charset=utf-16",
    )
    assert response.status_code == 400
    assert "UTF-8" in response.content.decode()


def test_nul_reaching_postgresql_through_json_is_a_400(client: Client, settings: Settings) -> None:
    from kotacerdas.core.middleware import NUL_MESSAGE, RejectBadInput

    middleware = RejectBadInput(lambda request: None)  # type: ignore[arg-type,return-value]
    request = client.get("/api/v1/").wsgi_request
    response = middleware.process_exception(request, ValueError(f"A string literal {NUL_MESSAGE}."))
    assert response is not None and response.status_code == 400


def test_healthz_answers_within_its_timeout_when_the_database_hangs(client: Client) -> None:
    def hang(*args: object, **kwargs: object) -> None:
        time.sleep(5)

    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=hang):
        start = time.monotonic()
        response = client.get("/healthz")
        elapsed = time.monotonic() - start
    assert response.status_code == 503
    assert response.json()["database"] == "timeout"
    assert elapsed < 4.5  # bounded by HEALTH_TIMEOUT (2 s), not by the hanging database


def test_healthz_reports_an_unusable_static_manifest(client: Client, tmp_path: Path) -> None:
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STORAGES=storages, STATIC_ROOT=tmp_path):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert "collectstatic" in response.json()["static"]


def test_healthz_database_down_is_a_503(client: Client) -> None:
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("down")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_favicon_is_served(client: Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    icon.close()
