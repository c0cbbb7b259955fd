from __future__ import annotations

import json
import re

import pytest
from asgiref.sync import async_to_sync
from django.http import StreamingHttpResponse
from django.test import AsyncClient, Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from kotacerdas.accounts.models import User
from kotacerdas.emergency import services
from kotacerdas.emergency.models import Call, Incident, NumberBlock, State
from kotacerdas.emergency.views import event_stream
from kotacerdas.tenants.models import Tenant
from tests.emergency.conftest import agency, fire_data

BASE = "/kota-serang/112"


def intake_post(client: Client, **extra):  # type: ignore[no-untyped-def]
    data = {
        "caller_number": "081233334444",
        "call_type": "normal",
        "category": "kebakaran",
        "kelurahan": "36.73.06.1001",
        "landmark": "Pasar Taktakan",
        "description": "Kios terbakar",
        "idempotency_key": "form-1",
        **extra,
    }
    return client.post(f"{BASE}/", data)


def test_calltaker_logs_a_fire_on_the_intake_screen(client: Client, calltaker: User) -> None:
    client.force_login(calltaker)
    page = client.get(f"{BASE}/")
    assert b"autofocus" in page.content
    assert intake_post(client).status_code == 302
    assert intake_post(client).status_code == 302  # a double submit logs one call
    call = Call.objects.get(idempotency_key="form-1")
    assert call.incident is not None
    assert call.incident.kelurahan and call.incident.kelurahan.parent
    assert call.incident.kelurahan.parent.name == "Taktakan"


def test_intake_rejects_a_normal_call_without_its_incident(client: Client, calltaker: User) -> None:
    client.force_login(calltaker)
    response = intake_post(client, category="", landmark="")
    assert response.status_code == 200
    assert "Pilih kategori kejadian." in response.content.decode()
    assert not Call.objects.filter(idempotency_key="form-1").exists()


def test_prank_needs_no_incident_fields(client: Client, calltaker: User) -> None:
    client.force_login(calltaker)
    assert (
        intake_post(
            client, call_type="prank", category="", kelurahan="", landmark="", description=""
        ).status_code
        == 302
    )
    assert Call.objects.get(idempotency_key="form-1").incident is None


def test_known_caller_history_and_block_warning(
    client: Client, kota: Tenant, calltaker: User
) -> None:
    for _ in range(6):
        services.call_log(
            tenant=kota, taker=calltaker, caller_number="081288880000", call_type="prank"
        )
    client.force_login(calltaker)
    html = client.get(f"{BASE}/penelepon/", {"nomor": "0812-8888-0000"}).content.decode()
    assert "sedang diblokir" in html
    assert html.count("Prank") == 6


def test_only_desk_staff_of_the_tenant_see_the_desk(
    client: Client, ani: User, citra: User, dispatcher: User
) -> None:
    for user, path in ((ani, "/"), (citra, "/papan/"), (dispatcher, "/"), (dispatcher, "/blokir/")):
        client.force_login(user)
        assert client.get(BASE + path).status_code == 404


def test_board_shows_open_incidents_and_breaches(
    client: Client, fire: Incident, dispatcher: User
) -> None:
    Incident.objects.filter(pk=fire.pk).update(received_at=fire.received_at.replace(year=2025))
    client.force_login(dispatcher)
    html = client.get(f"{BASE}/papan/").content.decode()
    assert fire.number in html
    assert "Lewat target diteruskan" in html
    assert fire.number in client.get(f"{BASE}/papan/isi/").content.decode()
    assert client.get(f"{BASE}/papan/?layar=dinding")["Location"].endswith("/papan/dinding/")
    assert 'data-panel="units" open' in client.get(f"{BASE}/papan/dinding/").content.decode()
    assert (
        'data-panel="units" open' in client.get(f"{BASE}/papan/isi/?layar=dinding").content.decode()
    )


def test_dispatcher_sends_agencies_and_walks_the_incident_to_closed(
    client: Client, kota: Tenant, fire: Incident, dispatcher: User
) -> None:
    client.force_login(dispatcher)
    damkar, psc = agency(kota, "damkar"), agency(kota, "psc119")
    url = f"{BASE}/insiden/{fire.pk}/"
    assert "Damkar" in client.get(url).content.decode()
    client.post(url + "teruskan/", {"version": 1, "agency": [damkar.pk, psc.pk]})
    version = 2
    for action, agency_pk in (
        ("acknowledge", damkar.pk),
        ("depart", damkar.pk),
        ("arrive", damkar.pk),
        ("resolve", ""),
        ("close", ""),
    ):
        client.post(url + "langkah/", {"version": version, "action": action, "agency": agency_pk})
        version += 1
    fire.refresh_from_db()
    assert fire.state == State.CLOSED
    assert set(fire.dispatches.values_list("agency__code", flat=True)) == {"damkar", "psc119"}


def test_second_dispatcher_with_a_stale_page_gets_a_clear_message(
    client: Client, kota: Tenant, fire: Incident, dispatcher: User, supervisor: User
) -> None:
    services.incident_dispatch(
        incident=fire, actor=supervisor, assignments=[(agency(kota, "damkar"), None)]
    )
    client.force_login(dispatcher)
    response = client.post(
        f"{BASE}/insiden/{fire.pk}/teruskan/",
        {"version": 1, "agency": [agency(kota, "polres").pk]},
        follow=True,
    )
    assert "baru saja diubah oleh Supervisor 112" in response.content.decode()
    assert not fire.dispatches.filter(agency__code="polres").exists()


def test_supervisor_lifts_a_block_with_a_reason(
    client: Client, kota: Tenant, calltaker: User, supervisor: User
) -> None:
    for _ in range(6):
        services.call_log(
            tenant=kota, taker=calltaker, caller_number="081299998888", call_type="ghost"
        )
    block = NumberBlock.objects.get(number="+6281299998888")
    client.force_login(supervisor)
    assert "+6281299998888" in client.get(f"{BASE}/blokir/").content.decode()
    client.post(f"{BASE}/blokir/{block.pk}/buka/", {"reason": ""})
    assert NumberBlock.objects.active().filter(pk=block.pk).exists()
    client.post(
        f"{BASE}/blokir/{block.pk}/buka/", {"reason": "Penelepon anak, orang tua sudah dihubungi"}
    )
    assert not NumberBlock.objects.active().filter(pk=block.pk).exists()


def collect(tenant_id: int, last_id: int) -> list[str]:
    async def run() -> list[str]:
        return [chunk async for chunk in event_stream(tenant_id, last_id, max_seconds=0)]

    return async_to_sync(run)()


def test_event_stream_catches_up_from_the_last_event_id(
    kota: Tenant, fire: Incident, dispatcher: User
) -> None:
    first_event = fire.events.order_by("pk").first()
    assert first_event is not None
    start = first_event.pk
    services.incident_dispatch(
        incident=fire, actor=dispatcher, assignments=[(agency(kota, "damkar"), None)]
    )
    chunks = collect(kota.pk, start)
    assert chunks[0] == "retry: 1000\n\n"
    events = [json.loads(c.split("data: ", 1)[1]) for c in chunks[1:]]
    assert [e["kind"] for e in events] == ["dispatched", "step"]
    assert events[-1]["state"] == "dispatched"
    last = int(chunks[-1].split("\n", 1)[0].removeprefix("id: "))
    assert collect(kota.pk, last) == ["retry: 1000\n\n"]


def test_event_stream_is_for_desk_staff_only(client: Client, ani: User) -> None:
    client.force_login(ani)
    assert client.get(f"{BASE}/papan/stream/?max_seconds=0").status_code == 404


def test_event_stream_over_http_resumes_from_last_event_id(
    async_client: AsyncClient, kota: Tenant, fire: Incident, dispatcher: User
) -> None:
    first_event = fire.events.order_by("pk").first()
    assert first_event is not None
    start = first_event.pk
    services.incident_dispatch(
        incident=fire, actor=dispatcher, assignments=[(agency(kota, "psc119"), None)]
    )

    async def fetch() -> tuple[str, str]:
        await async_client.aforce_login(dispatcher)
        response = await async_client.get(
            f"{BASE}/papan/stream/?max_seconds=0", headers={"Last-Event-ID": str(start)}
        )
        assert isinstance(response, StreamingHttpResponse)
        body = "".join([chunk.decode() async for chunk in response.streaming_content])
        return response["Content-Type"], body

    content_type, body = async_to_sync(fetch)()
    assert content_type == "text/event-stream"
    assert body.count("event: desk") == 2
    assert '"state": "dispatched"' in body


def test_board_fragment_query_count_does_not_grow_with_incidents(  # noqa: PLR0917 - fixtures
    client: Client,
    kota: Tenant,
    fire: Incident,
    calltaker: User,
    dispatcher: User,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
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
            incident=incident, actor=dispatcher, assignments=[(agency(kota, "damkar"), None)]
        )
    client.force_login(dispatcher)
    with django_assert_max_num_queries(12):
        assert client.get(f"{BASE}/papan/isi/").content.decode().count("incident-card") >= 6


def test_leaders_watch_the_board_read_only(
    client: Client, kota: Tenant, fire: Incident, pimpinan_kota: User
) -> None:
    client.force_login(pimpinan_kota)
    board = client.get(f"{BASE}/papan/").content.decode()
    assert fire.number in board
    assert "/112/blokir/" not in board and 'href="/kota-serang/112/"' not in board
    assert client.get(f"{BASE}/papan/dinding/").status_code == 200
    detail = client.get(f"{BASE}/insiden/{fire.pk}/").content.decode()
    assert "Teruskan" not in detail  # no dispatch form
    assert "+6281299990001" not in detail  # nor the caller's number
    assert client.post(f"{BASE}/insiden/{fire.pk}/teruskan/", {"agency": "1"}).status_code == 404
    assert client.get(f"{BASE}/").status_code == 404  # no intake


def test_regulator_list_is_for_supervisors_only(
    client: Client, supervisor: User, pimpinan_kota: User
) -> None:
    url = f"{BASE}/laporan/unduh/regulator.csv"
    client.force_login(pimpinan_kota)
    assert client.get(url).status_code == 404
    assert "regulator.csv" not in client.get(f"{BASE}/laporan/").content.decode()
    client.force_login(supervisor)
    assert client.get(url).status_code == 200
    assert "regulator.csv" in client.get(f"{BASE}/laporan/").content.decode()


def test_staff_land_on_their_desk_entries(
    kota: Tenant, calltaker: User, dispatcher: User, supervisor: User, pimpinan_kota: User
) -> None:
    from django.apps import apps

    from kotacerdas.core.views import staff_entries

    entries = apps.get_app_config("emergency").staff_entries  # type: ignore[attr-defined]

    def landing(user: User) -> str:
        url: str = next(e["url"] for e in entries if e.get("landing") and user.role in e["roles"])
        return url

    assert landing(calltaker) == "emergency:intake"
    assert landing(dispatcher) == landing(supervisor) == "emergency:board"
    assert not any(e.get("landing") and pimpinan_kota.role in e["roles"] for e in entries)

    def urls(user: User) -> set[str]:
        return {e["url"] for e in staff_entries(user, kota) if e["app"] == "emergency"}

    assert urls(calltaker) == {"emergency:intake"}
    assert urls(dispatcher) == {"emergency:board", "emergency:wall"}
    assert urls(supervisor) == {
        "emergency:board",
        "emergency:intake",
        "emergency:wall",
        "emergency:blocks",
        "emergency:reports",
        "emergency:incident_list",
        "emergency:call_list",
    }
    assert urls(pimpinan_kota) == {
        "emergency:board",
        "emergency:wall",
        "emergency:reports",
        "emergency:incident_list",
        "emergency:call_list",
    }
    for user in (calltaker, dispatcher, supervisor, pimpinan_kota):
        client = Client()
        client.force_login(user)
        for url in urls(user):
            assert client.get(reverse(url, args=[kota.slug])).status_code == 200, (user, url)


def test_a_tenant_outside_serang_gets_its_own_map_and_report_years(
    client: Client, db: None
) -> None:
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from kotacerdas.accounts.models import Role
    from kotacerdas.accounts.services import staff_upsert
    from kotacerdas.regions.models import Region
    from kotacerdas.tenants.models import Tenant

    manado = Tenant.objects.create(
        region=Region.objects.get(code="71.71"),
        name="Pemerintah Kota Manado",
        short_name="Kota Manado",
        slug="kota-manado",
        jurisdiction_id="manadokota.go.id",
        time_zone="Asia/Makassar",
        map_center_lat=Decimal("1.474830"),
        map_center_lng=Decimal("124.842079"),
        map_zoom=13,
    )
    supervisor = staff_upsert(username="supervisor-manado", role=Role.SUPERVISOR, tenant=manado)
    client.force_login(supervisor)
    wall = client.get("/kota-manado/112/papan/dinding/").content.decode()
    found = re.search(r'<script id="map-conf" type="application/json">(.*?)</script>', wall)
    assert found is not None
    conf = json.loads(found.group(1))
    assert conf["center"] == pytest.approx([1.47483, 124.842079]) and conf["zoom"] == 13
    assert "-6.12" not in wall and "106.15" not in wall
    this_year = timezone.localdate().year
    assert client.get("/kota-manado/112/laporan/", {"bulan": f"{this_year}-01"}).status_code == 200
    # no Serang constant: before its first call the tenant has no report years
    assert client.get("/kota-manado/112/laporan/", {"bulan": "2019-03"}).status_code == 404
    services.call_log(
        tenant=manado,
        taker=supervisor,
        caller_number="081300001111",
        call_type="informasi",
        received_at=dt.datetime(2021, 3, 4, 2, 0, tzinfo=dt.UTC),
    )
    assert client.get("/kota-manado/112/laporan/", {"bulan": "2021-03"}).status_code == 200
    assert client.get("/kota-manado/112/laporan/", {"bulan": "2020-12"}).status_code == 404
