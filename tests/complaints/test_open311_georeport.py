"""The PyPI client ``georeport`` as an independent Open311 client, in JSON and XML.

georeport calls ``requests.get``; its requests go through a real ``requests`` session whose
transport adapter hands them to Django's test client, so no socket and no network is used.
"""

from __future__ import annotations

import types
from typing import Any
from urllib.parse import urlsplit

import georeport.georeport
import pytest
import requests
from django.test import Client
from georeport import GeoReport
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from kotacerdas.complaints import services
from kotacerdas.complaints.models import Category, Confidentiality
from kotacerdas.tenants.models import Tenant


class DjangoAdapter(BaseAdapter):
    def __init__(self) -> None:
        super().__init__()
        self.client = Client()

    def send(  # type: ignore[override]
        self, request: requests.PreparedRequest, **kwargs: Any
    ) -> requests.Response:
        assert isinstance(request.url, str) and request.method
        url = urlsplit(request.url)
        path = url.path + (f"?{url.query}" if url.query else "")
        content_type = request.headers.get("Content-Type", "application/octet-stream")
        assert isinstance(content_type, str)
        django_response = self.client.generic(
            request.method, path, data=request.body or b"", content_type=content_type
        )
        response = requests.Response()
        response.status_code = django_response.status_code
        response._content = django_response.content
        response.headers = CaseInsensitiveDict(dict(django_response.items()))
        response.url = request.url
        response.request = request
        response.encoding = "utf-8"
        return response

    def close(self) -> None:
        pass


@pytest.fixture
def via_django(monkeypatch: pytest.MonkeyPatch) -> None:
    session = requests.Session()
    session.mount("http://testserver/", DjangoAdapter())
    monkeypatch.setattr(
        georeport.georeport, "requests", types.SimpleNamespace(get=session.get, post=session.post)
    )


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_client_reads_services_definitions_and_requests(
    via_django: None, fmt: str, kota: Tenant
) -> None:
    category = Category.objects.get(tenant=kota, code="pju")
    first, _ = services.complaint_submit(
        tenant=kota,
        category=category,
        description="Lampu mati di Cipare",
        lat=-6.1235,
        long=106.149,
        reporter_name="Siti Pelapor",
        reporter_phone="081234567890",
    )
    services.complaint_submit(
        tenant=kota,
        category=category,
        description="rahasia",
        address="Jl. X",
        confidentiality=Confidentiality.RAHASIA,
    )
    client = GeoReport(
        "http://testserver/open311/v2", jurisdiction="serangkota.go.id", output_format=fmt
    )

    service_codes = {s["service_code"] for s in client.get_service_list()}
    assert {"pju", "sampah", "jalan-rusak"} <= service_codes

    definition = client.get_service_definition("pju")
    attributes = (
        definition["attributes"] if fmt == "json" else definition["attributes"]["attribute"]
    )
    assert {a["datatype"] for a in attributes} == {
        "string",
        "number",
        "datetime",
        "text",
        "singlevaluelist",
        "multivaluelist",
    }

    found = client.get_service_requests(service_code="pju", status="open")
    found = found if isinstance(found, list) else [found]  # xmltodict gives one item as a dict
    assert [r["service_request_id"] for r in found] == [first.ticket]
    single = client.get_service_request(first.ticket)
    assert single["description"] == "Lampu mati di Cipare"
    assert float(single["lat"]) == -6.1235
    assert "Siti" not in str(single) and "0812" not in str(single)

    with pytest.raises(requests.HTTPError) as error:
        GeoReport("http://testserver/open311/v2", output_format=fmt).get_service_list()
    assert error.value.response is not None and error.value.response.status_code == 400
