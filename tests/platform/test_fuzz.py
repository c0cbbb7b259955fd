"""Property-based tests: arbitrary strings, numbers and dates in every query parameter the
code reads and every field of the public forms, on the public pages and Open311; and a bounded
schemathesis run against /api/v1/openapi.json. None may give a 500.

Known 500s in other apps are listed in KNOWN with their owner (and in /work/team/REQUESTS.md);
remove an entry when it is fixed."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from kotacerdas.api import api

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "kotacerdas"
FUZZ = settings(
    max_examples=15,
    phases=[Phase.explicit, Phase.generate],
    deadline=None,
    derandomize=True,  # the same examples every run: a failure reproduces, no flakiness
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _query_parameters() -> list[str]:
    """Every query parameter name any view reads (request.GET.get / [] / getlist)."""
    names: set[str] = set()
    for path in SRC.glob("*/*.py"):
        names.update(re.findall(r"GET(?:\.get|\.getlist)?\(?\[?\"([a-z_]+)\"", path.read_text()))
    return sorted(names)


PARAMETERS = _query_parameters()
PUBLIC_PAGES = [
    "/",
    "/kota-serang/",
    "/kota-serang/aduan/",
    "/kota-serang/aduan/daftar/",
    "/kota-serang/aduan/sekitar/",
    "/kota-serang/aduan/lacak/",
    "/kota-serang/aduan/lapor/",
    "/kota-serang/layanan/",
    "/open311/v2/discovery.json",
    "/open311/v2/services.json",
    "/open311/v2/requests.json",
    "/open311/v2/requests.xml",
    "/akun/masuk/",
]
PUBLIC_FORMS = ["/kota-serang/aduan/lapor/", "/kota-serang/aduan/lacak/", "/akun/daftar/"]
# (path regex, parameter, owner) for 500s reported to their owners.
KNOWN: list[tuple[str, str, str]] = []
# (path regex, statuses, owner): statuses an operation answers with but does not declare yet.
UNDECLARED: list[tuple[str, set[str], str]] = []

hostile_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "²",
            "٣",
            "9223372036854775807",
            "-1",
            "0",
            "nan",
            "inf",
            "-inf",
            "1e400",
            "2026-02-30T00:00:00",
            "2026-13-01",
            "2026-01-01T25:00:00",
            "2026-01-01T00:00:00+99:00",
            "0001-01-01",
            "9999-12-31",
            "99999",
            "' OR 1=1 --",
            "<script>",
            "%",
            "",
        ]
    ),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.dates().map(str),
    st.datetimes().map(lambda d: d.isoformat()),
)


def _known(path: str, parameter: str) -> bool:
    return any(re.search(p, path) and parameter in (name, "*") for p, name, _ in KNOWN)


def _undeclared(path: str, status: str) -> bool:
    return any(re.search(p, path) and status in codes for p, codes, _ in UNDECLARED)


@pytest.fixture
def quiet_client() -> Client:
    client = Client(raise_request_exception=False)
    return client


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_no_query_parameter_value_gives_a_500(quiet_client: Client, url: str) -> None:
    @FUZZ
    @given(st.dictionaries(st.sampled_from(PARAMETERS), hostile_text, min_size=1, max_size=4))
    def check(params: dict[str, str]) -> None:
        response = quiet_client.get(url, params)
        if response.status_code >= 500:
            assert all(_known(url, name) for name in params), (url, params)

    check()


def _form_fields(client: Client, url: str) -> list[str]:
    page = client.get(url).content.decode()
    names = re.findall(r"<(?:input|select|textarea)\b[^>]*\bname=\"([^\"]+)\"", page)
    return sorted({n for n in names if n != "csrfmiddlewaretoken"})


@pytest.mark.parametrize("url", PUBLIC_FORMS)
def test_no_form_field_value_gives_a_500(quiet_client: Client, url: str) -> None:
    fields = _form_fields(quiet_client, url)
    assert fields, url

    @FUZZ
    @given(st.dictionaries(st.sampled_from(fields), hostile_text, min_size=1))
    def check(data: dict[str, str]) -> None:
        response = quiet_client.post(url, data, REMOTE_ADDR="10.20.30.40")
        if response.status_code >= 500:
            assert all(_known(url, name) for name in data), (url, data)

    check()


schema = schemathesis.openapi.from_dict(api.get_openapi_schema())


@schema.parametrize()
@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure is reported as found
    suppress_health_check=list(HealthCheck),
)
def test_api_gives_no_500_for_any_request_the_schema_allows(case: Any, db: Any) -> None:
    client = Client(raise_request_exception=False)
    kwargs = case.as_transport_kwargs()
    query = urlencode(kwargs.get("params") or {}, doseq=True)
    path = kwargs["url"] + (f"?{query}" if query else "")
    headers = {
        k: v
        for k, v in (kwargs.get("headers") or {}).items()
        if k.lower() not in ("user-agent", "connection", "content-type")
    }
    body = kwargs.get("json")
    response = client.generic(
        kwargs["method"].upper(),
        path,
        json.dumps(body) if body is not None else "",
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code < 500 or _known(path, "*"), (kwargs["method"], path, body)
    # The OpenAPI document declares every status the API answers with.
    declared = {str(code) for code in case.operation.definition.raw.get("responses", {})}
    status = str(response.status_code)
    if status not in declared and "default" not in declared and response.status_code != 405:
        assert _undeclared(path, status), (kwargs["method"], path, status, sorted(declared))
