"""``/api/v1/complaints``: anonymous submission with Idempotency-Key, public status, staff inbox."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.test import Client

from kotacerdas.accounts.models import User
from kotacerdas.accounts.services import api_token_create
from kotacerdas.complaints import services
from kotacerdas.complaints.models import Channel, Complaint
from kotacerdas.tenants.models import Opd, Tenant

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

BASE = "/api/v1/complaints"


def post_json(client: Client, path: str, body: object, **headers: Any) -> TestResponse:
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


def test_api_submission_is_idempotent_and_public_status_hides_reporter(
    client: Client, kota: Tenant
) -> None:
    body = {
        "tenant": "36.73",
        "category": "pju",
        "description": "Lampu mati",
        "lat": -6.12,
        "long": 106.15,
        "region": "36.73.01.1002",
        "reporter_name": "Siti Pelapor",
        "attributes": {"jumlah_lampu": ["1"]},
    }
    first = post_json(client, f"{BASE}/", body, HTTP_IDEMPOTENCY_KEY="app-1")
    assert first.status_code == 201, first.content
    again = post_json(client, f"{BASE}/", body, HTTP_IDEMPOTENCY_KEY="app-1")
    assert again.status_code == 200 and again.json()["ticket"] == first.json()["ticket"]
    assert Complaint.objects.count() == 1 and Complaint.objects.get().channel == Channel.API
    assert "/pantau/" in first.json()["tracking_url"]

    status = client.get(f"{BASE}/public/36.73/{first.json()['ticket']}")
    assert status.status_code == 200 and status.json()["status"] == "baru"
    assert "Siti" not in status.content.decode()

    too_long = post_json(client, f"{BASE}/", {**body, "description": "x" * 4001})
    assert too_long.status_code == 400 and too_long.json()["error"]["code"] == "validation_error"
    missing = post_json(client, f"{BASE}/", {**body, "attributes": {}})
    assert missing.status_code == 400 and "jumlah_lampu" in missing.json()["error"]["message"]
    unknown = post_json(client, f"{BASE}/", {**body, "tenant": "99.99"})
    assert unknown.status_code == 404


def test_api_inbox_for_operator_and_response(
    kota: Tenant, admin_kota: User, budi: User, citra: User
) -> None:
    category = kota.complaint_categories.get(code="pju")
    complaint, _ = services.complaint_submit(
        tenant=kota, category=category, description="x", address="Jl. A"
    )
    services.complaint_dispose(
        complaint=complaint, actor=admin_kota, opds=[Opd.objects.get(tenant=kota, acronym="Dishub")]
    )
    _, raw = api_token_create(user=budi, name="test")
    auth: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    client = Client()
    rows = client.get(f"{BASE}/inbox", {"tenant": "36.73"}, **auth).json()
    assert [r["ticket"] for r in rows] == [complaint.ticket]
    created = post_json(
        client, f"{BASE}/36.73/{complaint.pk}/responses", {"body": "Segera"}, **auth
    )
    assert created.status_code == 201
    _, other = api_token_create(user=citra, name="test")
    assert (
        client.get(f"{BASE}/36.73/{complaint.pk}", HTTP_AUTHORIZATION=f"Bearer {other}").status_code
        == 404
    )
    assert client.get(f"{BASE}/inbox", {"tenant": "36.73"}).status_code == 401


def test_api_anonymous_submission_is_rate_limited(client: Client, kota: Tenant) -> None:
    body = {"tenant": "36.73", "category": "sampah", "description": "Sampah", "address": "Pasar"}
    codes = [post_json(client, f"{BASE}/", body).status_code for _ in range(21)]
    assert codes[:20] == [201] * 20 and codes[20] == 429
