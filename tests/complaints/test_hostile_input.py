"""Hostile and careless input (issue #10): idempotency keys bound to their client and body,
impossible dates and numbers, control characters in the XML feed, image bombs, and "saya juga"
counted once per account or browser."""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from kotacerdas.accounts.models import User
from kotacerdas.complaints import services
from kotacerdas.complaints.models import Category, Complaint, Supporter
from kotacerdas.complaints.tasks import photos_publish_pending
from kotacerdas.core.errors import DomainError
from kotacerdas.tenants.models import Tenant
from tests.complaints.test_views import login, report_data, url

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

API = "/api/v1/complaints/"
OPEN311 = "/open311/v2"
JUR = "serangkota.go.id"
BODY = {
    "tenant": "36.73",
    "category": "pju",
    "description": "Lampu mati di gang",
    "address": "Gang Mawar",
    "confidentiality": "rahasia",
    "attributes": {"jumlah_lampu": ["1"]},
}


def xml(content: bytes) -> ET.Element:
    """Parses our own server's output; raises ``ParseError`` when it is not well-formed."""
    return ET.fromstring(content)  # noqa: S314 - our own server's output


def post_json(client: Client, body: Mapping[str, object], key: str = "") -> TestResponse:
    headers: dict[str, Any] = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(API, json.dumps(body), content_type="application/json", **headers)


@pytest.fixture
def api_key(kota: Tenant) -> str:
    return services.open311_key_create(tenant=kota, name="test")[1]


def test_idempotency_key_is_bound_to_its_client_and_body(kota: Tenant) -> None:
    owner, stranger = Client(), Client()
    first = post_json(owner, BODY, "k-1")
    assert first.status_code == 201
    secret_url = first.json()["tracking_url"]
    # Another client with the same key (and even the same body) never gets the first
    # complaint's private link: it files its own.
    other = post_json(stranger, BODY, "k-1")
    assert other.status_code == 201 and other.json()["tracking_url"] != secret_url
    assert Complaint.objects.count() == 2
    # The owner's retry is a replay; the owner's changed body under the same key is a 422.
    replay = post_json(owner, BODY, "k-1")
    assert replay.status_code == 200 and replay.json()["tracking_url"] == secret_url
    changed = post_json(owner, {**BODY, "description": "Lain"}, "k-1")
    assert changed.status_code == 422
    assert changed.json()["error"]["code"] == "idempotency_key_reused"
    assert "Idempotency-Key" in changed.json()["error"]["message"]
    assert Complaint.objects.count() == 2


def test_retries_do_not_consume_the_rate_limit(kota: Tenant) -> None:
    client = Client()
    assert post_json(client, BODY, "once").status_code == 201
    for _ in range(25):  # the limit is 20 submissions an hour
        assert post_json(client, BODY, "once").status_code == 200
    assert post_json(client, {**BODY, "description": "Baru"}, "twice").status_code == 201


def test_open311_idempotency_key_is_bound_to_the_api_key(
    client: Client, kota: Tenant, api_key: str
) -> None:
    other_key = services.open311_key_create(tenant=kota, name="other")[1]
    form = {
        "jurisdiction_id": JUR,
        "service_code": "pju",
        "address_string": "Jl. A",
        "attribute[jumlah_lampu]": "1",
    }
    first = client.post(
        f"{OPEN311}/requests.json", {**form, "api_key": api_key}, HTTP_IDEMPOTENCY_KEY="x"
    )
    second = client.post(
        f"{OPEN311}/requests.json", {**form, "api_key": other_key}, HTTP_IDEMPOTENCY_KEY="x"
    )
    assert first.status_code == second.status_code == 200
    assert first.json()[0]["service_request_id"] != second.json()[0]["service_request_id"]


@pytest.mark.parametrize(
    "value",
    [
        "2026-02-30T00:00:00",
        "2026-13-01T00:00:00",
        "2026-03-01T25:00:00",
        "2026-03-01T00:00:00+99:00",
        "0001-01-01",
        "9999-12-31",
        "2026-02-30",
    ],
)
@pytest.mark.parametrize("name", ["start_date", "end_date"])
def test_open311_impossible_dates_are_400_in_open311_shape(
    client: Client, kota: Tenant, name: str, value: str
) -> None:
    for fmt in ("json", "xml"):
        response = client.get(f"{OPEN311}/requests.{fmt}", {"jurisdiction_id": JUR, name: value})
        assert response.status_code == 400, (fmt, value)
        if fmt == "json":
            (error,) = response.json()
            assert error["code"] == 400 and name in error["description"]
        else:
            assert xml(response.content).findtext("error/code") == "400"


@pytest.mark.parametrize("page", ["²", "9223372036854775807", "0", "-1", "1.5", "١"])
def test_open311_page_must_be_a_small_positive_ascii_number(
    client: Client, kota: Tenant, page: str
) -> None:
    response = client.get(f"{OPEN311}/requests.json", {"jurisdiction_id": JUR, "page": page})
    assert response.status_code == 400 and "page" in response.json()[0]["description"]


@pytest.mark.parametrize("number", ["nan", "inf", "-inf", "1e400", "NaN"])
def test_non_finite_number_attribute_is_400_everywhere(
    client: Client, kota: Tenant, pju: Category, api_key: str, number: str
) -> None:
    api = post_json(Client(), {**BODY, "attributes": {"jumlah_lampu": [number]}})
    assert api.status_code == 400 and api.json()["error"]["code"] == "attribute_invalid"
    open311 = client.post(
        f"{OPEN311}/requests.json",
        {
            "jurisdiction_id": JUR,
            "api_key": api_key,
            "service_code": "pju",
            "address_string": "Jl. A",
            "attribute[jumlah_lampu]": number,
        },
    )
    assert open311.status_code == 400
    page = client.post(url("report"), report_data(pju, **{f"attr_{pju.pk}_jumlah_lampu": number}))
    assert page.status_code == 200 and "tidak sah" in page.content.decode()
    for bad_lat in ("nan", "inf"):
        bad = client.post(
            f"{OPEN311}/requests.json",
            {
                "jurisdiction_id": JUR,
                "api_key": api_key,
                "service_code": "pju",
                "lat": bad_lat,
                "long": "106",
            },
        )
        assert bad.status_code == 400
    assert not Complaint.objects.exists()


def test_impossible_datetime_attribute_is_400(client: Client, kota: Tenant, pju: Category) -> None:
    response = post_json(
        Client(), {**BODY, "attributes": {"jumlah_lampu": ["1"], "sejak": ["2026-02-30T10:00"]}}
    )
    assert response.status_code == 400 and "sejak" in response.json()["error"]["message"]
    page = client.post(
        url("report"), report_data(pju, **{f"attr_{pju.pk}_sejak": "2026-02-30T10:00"})
    )
    assert page.status_code == 200 and not Complaint.objects.exists()


@pytest.mark.parametrize("year", ["99999", "0", "²⁰²⁶", "1999", "abc"])
def test_statistics_year_out_of_range_is_400(admin_kota: User, year: str) -> None:
    response = login(admin_kota).get(url("statistics"), {"tahun": year})
    assert response.status_code == 400 and "Tahun" in response.content.decode()


def test_every_c0_control_character_leaves_the_xml_feed_well_formed(
    client: Client, kota: Tenant, api_key: str
) -> None:
    # NUL never gets this far: the platform's request filter refuses it with a 400 (and the
    # service drops it for callers inside, as PostgreSQL cannot store it).
    controls = "".join(chr(c) for c in range(1, 32))
    response = client.post(
        f"{OPEN311}/requests.json",
        {
            "jurisdiction_id": JUR,
            "api_key": api_key,
            "service_code": "pju",
            "address_string": f"Jl.{controls}A",
            "description": f"Lampu{controls}mati",
            "attribute[jumlah_lampu]": "1",
        },
    )
    assert response.status_code == 200
    stored = Complaint.objects.get()
    assert stored.description == f"Lampu{controls}mati"
    for params in ({}, {"extensions": "true"}):
        feed = client.get(f"{OPEN311}/requests.xml", {"jurisdiction_id": JUR, **params})
        assert feed.status_code == 200
        (item,) = xml(feed.content).findall("request")
        # XML keeps tab and line breaks (a parser reads a carriage return as a line feed).
        assert item.findtext("description") == "Lampu\t\n\nmati"
    detail = client.get(f"{OPEN311}/requests/{stored.ticket}.xml", {"jurisdiction_id": JUR})
    xml(detail.content)
    as_json = client.get(f"{OPEN311}/requests.json", {"jurisdiction_id": JUR})
    assert as_json.json()[0]["description"] == stored.description  # JSON escapes, loses nothing


def _png(width: int, height: int) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("1", (width, height)).save(buffer, format="PNG", optimize=True)
    return SimpleUploadedFile("bom.png", buffer.getvalue(), content_type="image/png")


def test_image_bomb_is_refused_from_its_header(kota: Tenant, pju: Category) -> None:
    bomb = _png(9000, 9000)
    assert (
        bomb.size is not None and bomb.size < 100_000
    )  # a small file that would decode to hundreds of megabytes
    with pytest.raises(DomainError) as err:
        services.complaint_submit(
            tenant=kota, category=pju, description="x", address="Jl. A", photos=[bomb]
        )
    assert err.value.code == "file_too_many_pixels"
    assert not Complaint.objects.exists()


def test_large_jpeg_is_decoded_reduced_and_stored_at_public_size(
    kota: Tenant, pju: Category
) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (4800, 3600), (10, 120, 30)).save(buffer, format="JPEG", quality=50)
    photo = SimpleUploadedFile("besar.jpg", buffer.getvalue(), content_type="image/jpeg")
    complaint, _ = services.complaint_submit(
        tenant=kota, category=pju, description="x", address="Jl. A", photos=[photo]
    )
    photos_publish_pending()
    stored = complaint.photos.get()
    assert max(stored.width, stored.height) == 1600


def test_me_too_counts_once_per_browser_and_once_per_account(
    kota: Tenant, pju: Category, dewi: User
) -> None:
    complaint, _ = services.complaint_submit(
        tenant=kota, category=pju, description="x", address="Jl. A", lat=-6.12, long=106.15
    )
    me_too = url("me_too", complaint.ticket)
    browser = Client()
    for _ in range(12):
        assert browser.post(me_too).status_code == 302
    account = login(dewi)
    account.post(me_too)
    account.post(me_too)
    # Dewi signs in on the browser that already supported it anonymously: still counted once
    # for that browser, and her account has already supported it too.
    browser.force_login(dewi)
    browser.post(me_too)
    complaint.refresh_from_db()
    assert complaint.me_too_count == 2 == Supporter.objects.filter(complaint=complaint).count()
    assert complaint.events.filter(action="me_too").count() == 2
    assert Complaint.objects.count() == 1
    page = Client().get(url("ticket", complaint.ticket))
    assert "Me_too" not in page.content.decode()


def test_nul_is_dropped_by_the_service(kota: Tenant, pju: Category) -> None:
    complaint, _ = services.complaint_submit(
        tenant=kota, category=pju, description="Lampu\x00mati", address="Jl.\x00A"
    )
    complaint.refresh_from_db()
    assert (complaint.description, complaint.address) == ("Lampumati", "Jl.A")
