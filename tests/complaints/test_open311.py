"""Open311 GeoReport v2 conformance: every rule of the domain note, in JSON and in XML."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree as ET
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from kotacerdas.accounts.models import User
from kotacerdas.complaints import services
from kotacerdas.complaints.models import (
    Category,
    Channel,
    Complaint,
    Confidentiality,
    Open311Key,
    Status,
)
from kotacerdas.complaints.tasks import photos_publish_pending
from kotacerdas.tenants.models import Opd, Tenant
from tests.complaints.conftest import jpeg_with_gps

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

WIB = ZoneInfo("Asia/Jakarta")
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=WIB)
BASE = "/open311/v2"
JUR = "serangkota.go.id"
FORMATS = ["json", "xml"]


def parse(response: TestResponse) -> Any:
    """The body as Python data: JSON as is; XML as nested dicts/lists of text (None when empty).
    Any: the tests index JSON and XML elements alike."""
    if response["Content-Type"] == "application/json; charset=utf-8":
        return json.loads(response.content)
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)  # noqa: S314 - our own server's output


def xml_items(root: ET.Element) -> list[dict[str, str | None]]:
    return [{child.tag: child.text for child in item} for item in root]


@pytest.fixture
def api_key(kota: Tenant) -> str:
    out = io.StringIO()
    call_command("create_open311_key", "--tenant", "36.73", stdout=out)
    return out.getvalue().strip().splitlines()[-1]


@pytest.fixture
def client() -> Client:
    return Client(enforce_csrf_checks=True)


def post(client: Client, fmt: str, **data: str) -> TestResponse:
    data.setdefault("jurisdiction_id", JUR)
    return client.post(f"{BASE}/requests.{fmt}", data)


def test_create_open311_key_prints_key_last_and_stores_only_its_hash(
    api_key: str, kota: Tenant
) -> None:
    key = Open311Key.objects.get(tenant=kota)
    assert api_key not in (key.key_hash, key.prefix) and key.key_hash == services.hash_key(api_key)
    assert services.open311_key_check(tenant=kota, raw=api_key)


@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery(client: Client, fmt: str) -> None:
    response = client.get(f"{BASE}/discovery.{fmt}")
    assert response.status_code == 200
    body = parse(response)
    if fmt == "json":
        assert {"changeset", "contact", "key_service", "endpoints"} <= body.keys()
        endpoint = body["endpoints"][0]
        assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
        assert endpoint["type"] in ("production", "test")
        assert endpoint["formats"] == ["text/xml", "application/json"]
        assert endpoint["url"].endswith("/open311/v2/")
        assert dt.datetime.fromisoformat(body["changeset"]) < dt.datetime.now(dt.UTC)
    else:
        assert body.tag == "discovery"
        endpoint = body.find("endpoints/endpoint")
        assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
        assert [f.text for f in endpoint.findall("formats/format")] == [
            "text/xml",
            "application/json",
        ]
        assert body.findtext("changeset").endswith("+07:00")


@pytest.mark.parametrize("fmt", FORMATS)
def test_services_and_service_definition_with_all_six_datatypes(client: Client, fmt: str) -> None:
    response = client.get(f"{BASE}/services.{fmt}", {"jurisdiction_id": JUR})
    assert response.status_code == 200
    body = parse(response)
    items = body if fmt == "json" else xml_items(body)
    pju = next(s for s in items if s["service_code"] == "pju")
    assert set(pju) == {
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    }
    assert (
        pju["metadata"] in (True, "true")
        and pju["type"] == "realtime"
        and pju["group"] == "Infrastruktur"
    )
    keywords = pju["keywords"] or ""
    assert "," in keywords and ", " not in keywords
    sampah = next(s for s in items if s["service_code"] == "sampah")
    assert sampah["metadata"] in (False, "false")

    response = client.get(f"{BASE}/services/pju.{fmt}", {"jurisdiction_id": JUR})
    assert response.status_code == 200
    body = parse(response)
    if fmt == "json":
        assert body["service_code"] == "pju"
        attributes = body["attributes"]
        for attribute in attributes:
            assert attribute["variable"] is True and isinstance(attribute["required"], bool)
            assert isinstance(attribute["order"], int) and attribute["order"] > 0
        multi = next(a for a in attributes if a["datatype"] == "multivaluelist")
        assert multi["values"][0] == {"key": "gelap", "name": "Jalan gelap"}
    else:
        assert body.tag == "service_definition" and body.findtext("service_code") == "pju"
        attributes = [
            {
                **{c.tag: c.text for c in a if c.tag != "values"},
                "values": [
                    {v.findtext("key"): v.findtext("name")} for v in a.findall("values/value")
                ],
            }
            for a in body.findall("attributes/attribute")
        ]
        assert attributes[0]["variable"] == "true"
    assert {a["datatype"] for a in attributes} == {
        "string",
        "number",
        "datetime",
        "text",
        "singlevaluelist",
        "multivaluelist",
    }
    orders = [int(a["order"]) for a in attributes]
    assert len(set(orders)) == len(orders)
    assert all(a["description"] and a["datatype_description"] for a in attributes)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "path", ["services", "services/pju", "requests", "requests/SRG-2026-000001", "tokens/x"]
)
def test_jurisdiction_id_missing_is_400_and_unknown_is_404_both_naming_it(
    client: Client, fmt: str, path: str
) -> None:
    for params, status in (
        ({}, 400),
        ({"jurisdiction_id": ""}, 400),
        ({"jurisdiction_id": "bogus.go.id"}, 404),
    ):
        response = client.get(f"{BASE}/{path}.{fmt}", params)
        assert response.status_code == status
        errors = parse(response)
        if fmt == "json":
            assert errors == [{"code": status, "description": errors[0]["description"]}]
            description = errors[0]["description"]
        else:
            assert errors.tag == "errors"
            assert errors.findtext("error/code") == str(status)
            description = errors.findtext("error/description")
        assert "jurisdiction_id" in description
    response = client.post(f"{BASE}/requests.{fmt}", {"service_code": "pju"})
    assert response.status_code == 400 and b"jurisdiction_id" in response.content


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_service_request_and_token_give_404(client: Client, fmt: str) -> None:
    for path in ("services/nope", "requests/SRG-2026-999999", "tokens/abc"):
        response = client.get(f"{BASE}/{path}.{fmt}", {"jurisdiction_id": JUR})
        assert response.status_code == 404, path
        errors = parse(response)
        code = errors[0]["code"] if fmt == "json" else errors.findtext("error/code")
        assert str(code) == "404"


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_request_errors(client: Client, fmt: str, api_key: str) -> None:
    good = {
        "api_key": api_key,
        "service_code": "pju",
        "lat": "-6.12",
        "long": "106.15",
        "attribute[jumlah_lampu]": "2",
    }
    cases = [
        ({**good, "api_key": ""}, 403, "api_key"),
        ({k: v for k, v in good.items() if k != "api_key"}, 403, "api_key"),
        ({**good, "api_key": "salah"}, 403, "api_key"),
        ({**good, "service_code": ""}, 400, "service_code"),
        ({**good, "service_code": "tidak-ada"}, 404, "service_code"),
        ({**good, "lat": "", "long": ""}, 400, "address_string"),
        ({**good, "long": ""}, 400, "long"),
        ({**good, "lat": "utara"}, 400, "lat"),
        ({**good, "description": "x" * 4001}, 400, "4.000"),
        ({**good, "email": "bukan-surel"}, 400, "email"),
        ({**good, "attribute[jumlah_lampu]": ""}, 400, "jumlah_lampu"),
        ({**good, "attribute[jumlah_lampu]": "dua"}, 400, "jumlah_lampu"),
        ({**good, "attribute[jenis_kerusakan]": "meledak"}, 400, "jenis_kerusakan"),
        ({**good, "media_url": "javascript:alert(1)"}, 400, "media_url"),
    ]
    for data, status, word in cases:
        response = post(client, fmt, **data)
        assert response.status_code == status, (data, response.content)
        assert word.encode() in response.content
    assert not Complaint.objects.exists()


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("fmt", FORMATS)
def test_post_request_creates_complaint_and_get_never_shows_reporter(
    client: Client, fmt: str, api_key: str, kota: Tenant
) -> None:
    sent = {
        "jurisdiction_id": JUR,
        "api_key": api_key,
        "service_code": "pju",
        "lat": "-6.1235",
        "long": "106.149",
        "description": "Lampu mati",
        "email": "siti@example.com",
        "first_name": "Siti",
        "last_name": "Aminah",
        "phone": "081234567890",
        "device_id": "dev-1",
        "account_id": "acc-9",
        "attribute[jumlah_lampu]": "3",
        "attribute[dampak][]": ["gelap", "rawan"],
        "attribute[jenis_kerusakan]": "mati",
        "attribute[sejak]": "2026-03-01T20:00:00+07:00",
        "media_url": ["https://example.com/a.jpg", "https://example.com/b.jpg"],
    }
    response = client.post(f"{BASE}/requests.{fmt}", sent, HTTP_IDEMPOTENCY_KEY="retry-1")
    assert response.status_code == 200, response.content
    body = parse(response)
    item = body[0] if fmt == "json" else xml_items(body)[0]
    assert fmt == "json" or body.tag == "service_requests"
    assert item["service_request_id"] == "SRG-2026-000001" and "token" not in item
    assert "SRG-2026-000001" in (item["service_notice"] or "")
    complaint = Complaint.objects.get()
    assert complaint.channel == Channel.OPEN311 and complaint.reporter_name == "Siti Aminah"
    assert (
        complaint.attributes["dampak"] == ["gelap", "rawan"]
        and complaint.attributes["jumlah_lampu"] == 3
    )
    assert complaint.media_url == "https://example.com/a.jpg"
    # a retry of the same request with the same Idempotency-Key creates nothing new
    again = client.post(f"{BASE}/requests.{fmt}", sent, HTTP_IDEMPOTENCY_KEY="retry-1")
    assert again.status_code == 200 and Complaint.objects.count() == 1
    assert again.content == response.content
    # the same key with another body is refused, not replayed
    other = client.post(
        f"{BASE}/requests.{fmt}", {**sent, "lat": "-6.1"}, HTTP_IDEMPOTENCY_KEY="retry-1"
    )
    assert other.status_code == 422 and Complaint.objects.count() == 1
    assert b"Idempotency-Key" in other.content

    for path in ("requests", "requests/SRG-2026-000001"):
        response = client.get(f"{BASE}/{path}.{fmt}", {"jurisdiction_id": JUR})
        assert response.status_code == 200
        for secret in (
            b"Siti",
            b"Aminah",
            b"siti@example.com",
            b"081234567890",
            b"dev-1",
            b"acc-9",
            b"None",
        ):
            assert secret not in response.content
        body = parse(response)
        if fmt == "json":
            assert len(body) == 1
            item = body[0]
            assert item["lat"] == -6.1235 and item["long"] == 106.149
            assert item["address_id"] is None and item["zipcode"] is None
        else:
            assert body.tag == "service_requests" and len(body) == 1
            item = xml_items(body)[0]
            assert item["address_id"] is None and body.find("request/zipcode") is not None
        assert item["service_request_id"] == "SRG-2026-000001" and item["status"] == "open"
        assert item["service_code"] == "pju" and item["agency_responsible"] == "Dinas Perhubungan"
        assert item["requested_datetime"] == "2026-03-02T09:00:00+07:00"
        # expected_datetime: the verification clock of 3 working days
        assert item["expected_datetime"] == "2026-03-05T09:00:00+07:00"
        assert item["media_url"] == "https://example.com/a.jpg"


def make(kota: Tenant, code: str = "pju", **kwargs: Any) -> Complaint:
    category = Category.objects.get(tenant=kota, code=code)
    complaint, _ = services.complaint_submit(
        tenant=kota,
        category=category,
        description=kwargs.pop("description", "x"),
        address="Jl. Contoh",
        **kwargs,
    )
    return complaint


@pytest.mark.parametrize("fmt", FORMATS)
def test_get_requests_filters_dates_status_and_pagination(
    client: Client, fmt: str, kota: Tenant, admin_kota: User
) -> None:
    def ids(response: TestResponse) -> list[str]:
        if fmt == "json":
            return [i["service_request_id"] for i in parse(response)]
        return [i.findtext("service_request_id") for i in parse(response)]

    with time_machine.travel(NOW - dt.timedelta(days=120), tick=False):
        old = make(kota)
    with time_machine.travel(NOW - dt.timedelta(days=10), tick=False):
        done = make(kota, code="sampah")
        services.complaint_dispose(
            complaint=done, actor=admin_kota, opds=[Opd.objects.get(tenant=kota, acronym="DLH")]
        )
    with time_machine.travel(NOW - dt.timedelta(days=9), tick=False):
        services.complaint_resolve(complaint=done, actor=admin_kota, note="Diangkut")
    with time_machine.travel(NOW - dt.timedelta(days=5), tick=False):
        pju = make(kota)
        secret = make(kota, confidentiality=Confidentiality.RAHASIA)
    with time_machine.travel(NOW, tick=False):

        def get(**p: str) -> TestResponse:
            return client.get(f"{BASE}/requests.{fmt}", {"jurisdiction_id": JUR, **p})

        assert ids(get()) == [pju.ticket, done.ticket]  # last 90 days, newest first, no secret one
        assert ids(get(status="open")) == [pju.ticket]
        assert ids(get(status="closed")) == [done.ticket]
        assert ids(get(status="open,closed")) == [pju.ticket, done.ticket]
        assert ids(get(service_code="sampah")) == [done.ticket]
        assert ids(get(service_code="sampah,pju")) == [pju.ticket, done.ticket]
        assert ids(get(service_code="")) == ids(get())  # empty optional = absent
        assert ids(
            get(start_date="2025-10-01T00:00:00+07:00", end_date="2025-12-01T00:00:00+07:00")
        ) == [old.ticket]
        assert ids(get(start_date="2025-10-01T00:00:00Z")) == [
            old.ticket
        ]  # start alone: 90 days from it
        assert ids(get(end_date="2026-02-25T00:00:00+07:00")) == [
            done.ticket
        ]  # end alone: 90 days before it
        # service_request_id overrides every other filter, but secret ones stay hidden
        assert ids(
            get(
                service_request_id=f"{old.ticket},{secret.ticket}",
                status="open",
                service_code="sampah",
            )
        ) == [old.ticket]
        assert ids(get(page_size="1")) == [pju.ticket]
        assert ids(get(page_size="1", page="2")) == [done.ticket]
        assert ids(get(page_size="1", page="3")) == []
        closed_item = parse(get(status="closed"))
        updated = (
            closed_item[0]["updated_datetime"]
            if fmt == "json"
            else closed_item.findtext("request/updated_datetime")
        )
        assert updated == (NOW - dt.timedelta(days=9)).isoformat()
        expected = (
            closed_item[0]["expected_datetime"]
            if fmt == "json"
            else closed_item.findtext("request/expected_datetime")
        )
        assert expected in (None, "")  # JSON null, XML empty element
        for bad in (
            {"start_date": "2025-01-01T00:00:00Z", "end_date": "2025-06-01T00:00:00Z"},
            {"start_date": "2026-03-01T00:00:00Z", "end_date": "2026-02-01T00:00:00Z"},
            {"start_date": "kemarin"},
            {"status": "pending"},
            {"page": "0"},
            {"page_size": "1001"},
        ):
            response = get(**bad)
            assert response.status_code == 400, bad
            assert (
                str(
                    parse(response)[0]["code"]
                    if fmt == "json"
                    else parse(response).findtext("error/code")
                )
                == "400"
            )


def test_get_requests_without_dates_returns_at_most_1000(client: Client, kota: Tenant) -> None:
    category = Category.objects.get(tenant=kota, code="pju")
    now = dt.datetime.now(dt.UTC)
    Complaint.objects.bulk_create(
        Complaint(
            tenant=kota,
            ticket=f"SRG-2026-{i:06d}",
            category=category,
            description="x",
            address="a",
            verify_due=now,
            created_at=now - dt.timedelta(seconds=i),
        )
        for i in range(1, 1003)
    )
    body = json.loads(client.get(f"{BASE}/requests.json", {"jurisdiction_id": JUR}).content)
    assert len(body) == 1000 and body[0]["service_request_id"] == "SRG-2026-000001"


@pytest.mark.parametrize("fmt", FORMATS)
def test_request_by_id_secret_is_404_and_token_maps_to_id(
    client: Client, fmt: str, kota: Tenant
) -> None:
    public = make(kota)
    secret = make(kota, confidentiality=Confidentiality.RAHASIA)
    assert (
        client.get(f"{BASE}/requests/{secret.ticket}.{fmt}", {"jurisdiction_id": JUR}).status_code
        == 404
    )
    response = client.get(f"{BASE}/tokens/{public.open311_token}.{fmt}", {"jurisdiction_id": JUR})
    assert response.status_code == 200
    body = parse(response)
    item = body[0] if fmt == "json" else xml_items(body)[0]
    assert item == {"service_request_id": public.ticket, "token": str(public.open311_token)}
    assert (
        client.get(
            f"{BASE}/tokens/{secret.open311_token}.{fmt}", {"jurisdiction_id": JUR}
        ).status_code
        == 404
    )
    # another jurisdiction does not see Kota Serang's request
    assert (
        client.get(
            f"{BASE}/requests/{public.ticket}.{fmt}", {"jurisdiction_id": "serangkab.go.id"}
        ).status_code
        == 404
    )


def test_anonymous_reporter_and_status_notes_in_open311(
    client: Client, kota: Tenant, admin_kota: User
) -> None:
    complaint = make(kota, reporter_name="Budi Rahasia", confidentiality=Confidentiality.ANONIM)
    services.complaint_decline(complaint=complaint, actor=admin_kota, reason="Jalan nasional")
    item = json.loads(
        client.get(f"{BASE}/requests/{complaint.ticket}.json", {"jurisdiction_id": JUR}).content
    )[0]
    assert item["status"] == "closed" and item["status_notes"] == "Bukan wewenang: Jalan nasional"
    assert "Budi Rahasia" not in json.dumps(item)
    assert Complaint.objects.get().status == Status.BUKAN_WEWENANG


def test_unsupported_format_is_an_error(client: Client) -> None:
    response = client.get(f"{BASE}/services.html", {"jurisdiction_id": JUR})
    assert response.status_code == 400 and response["Content-Type"].startswith("text/xml")


@pytest.mark.parametrize("fmt", FORMATS)
def test_extensions_true_adds_public_notes_and_the_list_query_count_is_fixed(
    client: Client,
    fmt: str,
    kota: Tenant,
    admin_kota: User,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    complaints = [make(kota, reporter_name="Siti") for _ in range(3)]
    services.complaint_dispose(
        complaint=complaints[0],
        actor=admin_kota,
        opds=[Opd.objects.get(tenant=kota, acronym="Dishub")],
    )
    services.complaint_hold(
        complaint=complaints[1], actor=admin_kota, note="catatan internal admin"
    )
    # requests, dispositions, photos (the tenant is in the process's configuration cache since
    # the submissions): no query per request item; on PostgreSQL the JSON page is one statement
    with django_assert_num_queries(1 if fmt == "json" and connection.vendor == "postgresql" else 3):
        client.get(f"{BASE}/requests.{fmt}", {"jurisdiction_id": JUR})
    with django_assert_num_queries(4):
        response = client.get(
            f"{BASE}/requests.{fmt}", {"jurisdiction_id": JUR, "extensions": "true"}
        )
    assert b"catatan internal admin" not in response.content and b"Siti" not in response.content
    body = parse(response)
    if fmt == "json":
        notes = next(i["notes"] for i in body if i["service_request_id"] == complaints[0].ticket)
        assert [n["type"] for n in notes] == ["submit", "dispose"]
        assert notes[1]["status"] == "open"
        assert notes[1]["summary"] == "Terverifikasi, menunggu OPD"
        plain = json.loads(client.get(f"{BASE}/requests.json", {"jurisdiction_id": JUR}).content)
        assert all("notes" not in i for i in plain)
    else:
        request = next(r for r in body if r.findtext("service_request_id") == complaints[0].ticket)
        assert [n.findtext("type") for n in request.findall("notes/note")] == ["submit", "dispose"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_list_shows_every_agency_responsible_and_the_public_photo_as_media_url(
    client: Client, fmt: str, kota: Tenant, admin_kota: User
) -> None:
    """The list endpoint builds items from plain rows: check the joined fields it assembles."""
    photographed, _created = services.complaint_submit(
        tenant=kota,
        category=Category.objects.get(tenant=kota, code="pju"),
        description="Lampu mati",
        address="Jl. Contoh",
        photos=[jpeg_with_gps()],
    )
    services.complaint_dispose(
        complaint=photographed,
        actor=admin_kota,
        opds=[Opd.objects.get(tenant=kota, acronym=a) for a in ("Dishub", "DPUPR")],
    )
    plain = make(kota, media_url="https://example.com/b.jpg")
    # Until the worker has re-encoded it, the photo is not offered (another query: another
    # cached feed).
    before = client.get(f"{BASE}/requests.json", {"jurisdiction_id": JUR, "status": "open"})
    assert {i["service_request_id"]: i for i in parse(before)}[photographed.ticket][
        "media_url"
    ] is None
    photos_publish_pending()
    response = client.get(f"{BASE}/requests.{fmt}", {"jurisdiction_id": JUR})
    assert response.status_code == 200
    if fmt == "json":
        items = {i["service_request_id"]: i for i in parse(response)}
    else:
        items = {i["service_request_id"]: i for i in xml_items(parse(response))}
    first, second = items[photographed.ticket], items[plain.ticket]
    assert set(first["agency_responsible"].split(", ")) == {
        "Dinas Perhubungan",
        "Dinas Pekerjaan Umum dan Penataan Ruang",
    }
    photo = photographed.photos.get()
    assert first["media_url"] == f"http://testserver/kota-serang/aduan/foto/{photo.pk}/"
    assert second["media_url"] == "https://example.com/b.jpg"
