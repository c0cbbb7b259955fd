from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from kotacerdas.accounts.models import User
from kotacerdas.accounts.services import api_token_create
from kotacerdas.emergency import services
from kotacerdas.emergency.models import Call, Incident, Unit, UnitStatus
from kotacerdas.tenants.models import Tenant
from tests.emergency.conftest import agency, fire_data

URL = "/api/v1/emergency"


def bearer(user: User) -> dict[str, Any]:  # extra WSGI environ for the test client
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user, name='test')[1]}"}


def post(client: Client, path, body, auth):  # type: ignore[no-untyped-def]
    return client.post(URL + path, body, content_type="application/json", **auth)


def test_calltaker_token_logs_calls_and_learns_when_the_caller_gets_blocked(
    client: Client, calltaker: User
) -> None:
    auth = bearer(calltaker)
    for _ in range(5):
        response = post(
            client, "/calls", {"caller_number": "0857 1111 0000", "call_type": "prank"}, auth
        )
        assert response.status_code == 201
        assert response.json()["caller_blocked"] is False
    sixth = post(
        client, "/calls", {"caller_number": "0857 1111 0000", "call_type": "prank"}, auth
    ).json()
    assert sixth["caller_blocked"] is True
    assert sixth["blocked_until"] is not None


def test_normal_call_with_incident_and_idempotent_retry(client: Client, calltaker: User) -> None:
    body = {
        "caller_number": "081311112222",
        "call_type": "normal",
        "idempotency_key": "cti-1",
        "incident": {
            "category": "kebakaran",
            "kelurahan": "36.73.06.1001",
            "landmark": "Pasar Taktakan",
            "description": "Kios terbakar",
            "latitude": "-6.1301",
            "longitude": "106.1102",
        },
    }
    first = post(client, "/calls", body, bearer(calltaker)).json()
    second = post(client, "/calls", body, bearer(calltaker)).json()
    assert first["incident_id"] == second["incident_id"] is not None
    assert Call.objects.filter(idempotency_key="cti-1").count() == 1


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"caller_number": "0812", "call_type": "iseng"}, "invalid_call_type"),
        ({"call_type": "prank"}, "validation_error"),
        (
            {"caller_number": "0812", "call_type": "prank", "received_at": "2026-03-02T08:00:00"},
            "received_without_timezone",
        ),
        (
            {
                "caller_number": "0812",
                "call_type": "normal",
                "incident": {
                    "category": "gempa",
                    "kelurahan": "36.73.06.1001",
                    "landmark": "x",
                    "description": "y",
                },
            },
            "invalid_category",
        ),
        (
            {
                "caller_number": "0812",
                "call_type": "normal",
                "incident": {
                    "category": "kebakaran",
                    "kelurahan": "36.04.05.2001",
                    "landmark": "x",
                    "description": "y",
                },
            },
            "invalid_kelurahan",
        ),
    ],
)
def test_bad_calls_are_rejected_clearly(client: Client, calltaker: User, body, code: str) -> None:  # type: ignore[no-untyped-def]
    response = post(client, "/calls", body, bearer(calltaker))
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code


def test_dispatcher_and_other_staff_cannot_log_calls(
    client: Client, dispatcher: User, ani: User
) -> None:
    for user in (dispatcher, ani):
        assert (
            post(
                client, "/calls", {"caller_number": "0812", "call_type": "prank"}, bearer(user)
            ).status_code
            == 404
        )


def test_dispatch_over_api_with_optimistic_locking(
    client: Client, kota: Tenant, fire: Incident, dispatcher: User, supervisor: User
) -> None:
    body = {"version": 1, "assignments": [{"agency": "damkar"}, {"agency": "psc119"}]}
    response = post(client, f"/incidents/{fire.pk}/dispatches", body, bearer(dispatcher))
    assert response.status_code == 200
    assert response.json()["state"] == "dispatched"
    stale = post(
        client,
        f"/incidents/{fire.pk}/dispatches",
        {"version": 1, "assignments": [{"agency": "polres"}]},
        bearer(supervisor),
    )
    assert stale.status_code == 409
    assert "muat ulang" in stale.json()["error"]["message"]


def test_agency_system_updates_its_own_steps_and_units_only(
    client: Client, kota: Tenant, fire: Incident, dispatcher: User, damkar_system: User
) -> None:
    auth = bearer(damkar_system)
    assert client.get(f"{URL}/incidents/{fire.pk}", **auth).status_code == 404  # not sent yet
    services.incident_dispatch(
        incident=fire, actor=dispatcher, assignments=[(agency(kota, "damkar"), None)]
    )
    assert [i["id"] for i in client.get(f"{URL}/incidents", **auth).json()] == [fire.pk]
    moved = post(
        client, f"/incidents/{fire.pk}/steps", {"action": "depart", "idempotency_key": "d1"}, auth
    )
    assert moved.json()["state"] == "en_route"
    again = post(
        client, f"/incidents/{fire.pk}/steps", {"action": "depart", "idempotency_key": "d1"}, auth
    )
    assert again.json()["version"] == moved.json()["version"]
    closing = post(client, f"/incidents/{fire.pk}/steps", {"action": "close"}, auth)
    assert closing.status_code == 403
    own = agency(kota, "damkar").units.first()
    other = agency(kota, "polres").units.first()
    assert own is not None and other is not None
    assert (
        post(client, f"/units/{own.pk}/status", {"status": "out_of_service"}, auth).status_code
        == 200
    )
    assert Unit.objects.get(pk=own.pk).status == UnitStatus.OUT_OF_SERVICE
    assert (
        post(client, f"/units/{other.pk}/status", {"status": "out_of_service"}, auth).status_code
        == 404
    )
    assert {u["agency"] for u in client.get(f"{URL}/units", **auth).json()} == {"damkar"}


def test_dispatcher_must_send_the_version_it_saw(
    client: Client, fire: Incident, dispatcher: User
) -> None:
    response = post(
        client, f"/incidents/{fire.pk}/steps", {"action": "resolve"}, bearer(dispatcher)
    )
    assert response.json()["error"]["code"] == "version_required"


def test_other_tenant_cannot_see_the_incident(
    client: Client, fire: Incident, dispatcher_kab: User, citra: User
) -> None:
    for user in (dispatcher_kab, citra):
        assert client.get(f"{URL}/incidents/{fire.pk}", **bearer(user)).status_code == 404
    listed = client.get(f"{URL}/incidents", **bearer(dispatcher_kab)).json()
    assert fire.pk not in {i["id"] for i in listed}


def test_incident_list_query_count_does_not_grow_with_incidents(  # noqa: PLR0917 - fixtures
    client: Client,
    kota: Tenant,
    fire: Incident,
    calltaker: User,
    dispatcher: User,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    auth = bearer(dispatcher)
    for i in range(5):
        incident = services.call_log(
            tenant=kota,
            taker=calltaker,
            caller_number=f"08120000{i:04d}",
            call_type="normal",
            incident=fire_data(kota),
        ).incident
        assert incident is not None
        services.incident_dispatch(
            incident=incident,
            actor=dispatcher,
            assignments=[(agency(kota, "damkar"), None), (agency(kota, "psc119"), None)],
        )
    with django_assert_max_num_queries(6):
        assert len(client.get(f"{URL}/incidents", **auth).json()) >= 6


def test_open_incidents_are_paged_by_keyset(
    client: Client, kota: Tenant, calltaker: User, dispatcher: User
) -> None:
    for i in range(5):
        services.call_log(
            tenant=kota,
            taker=calltaker,
            caller_number=f"08123000{i:04d}",
            call_type="normal",
            incident=fire_data(kota),
        )
    auth = bearer(dispatcher)
    everything = [i["id"] for i in client.get(f"{URL}/incidents", **auth).json()]
    seen: list[int] = []
    url = f"{URL}/incidents?limit=2"
    while url:
        response = client.get(url, **auth)
        assert response.status_code == 200
        seen += [i["id"] for i in response.json()]
        link = response.headers.get("Link", "")
        url = link[1 : link.index(">")] if link else ""
    assert seen == everything and len(seen) >= 6
    bad = client.get(f"{URL}/incidents?after=999999999", **auth)
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_cursor"
    assert client.get(f"{URL}/incidents?limit=0", **auth).status_code in (400, 422)
