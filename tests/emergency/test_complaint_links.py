"""Issue #5: a complaint escalated to the 112 desk, and a follow-up complaint for an OPD from
a closed incident, both through the pages staff use."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from kotacerdas.accounts.models import User
from kotacerdas.complaints.demo import load_categories
from kotacerdas.complaints.models import Category, Complaint, Confidentiality, Status
from kotacerdas.complaints.services import complaint_submit
from kotacerdas.emergency import demo, services
from kotacerdas.emergency.models import Incident, IncidentCategory, State
from kotacerdas.regions.models import Region
from kotacerdas.tenants.models import Opd, Tenant
from tests.conftest import DEMO_PASSWORD, account
from tests.emergency.conftest import agency, fire_data

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

ADUAN = "/kota-serang/aduan/kelola"
DESK = "/kota-serang/112/insiden"


@pytest.fixture(autouse=True)
def _complaint_categories(db: None) -> None:
    load_categories()


@pytest.fixture
def anonymous_complaint(kota: Tenant) -> Complaint:
    complaint, _ = complaint_submit(
        tenant=kota,
        category=Category.objects.get(tenant=kota, code="jalan-rusak"),
        description="Tiang listrik roboh melintang di jalan, kabel menjuntai.",
        region=Region.objects.get(code="36.73.06.1001"),
        address="Jl. Raya Taktakan depan masjid",
        lat=-6.123456,
        long=106.123456,
        confidentiality=Confidentiality.ANONIM,
        reporter_name="Siti Pelapor",
        reporter_phone="081211112222",
        reporter_email="siti@example.com",
    )
    return complaint


def escalate(client: Client, complaint, category="pohon-tumbang"):  # type: ignore[no-untyped-def]
    category_pk = IncidentCategory.objects.get(tenant=complaint.tenant, code=category).pk
    return client.post(f"{ADUAN}/{complaint.pk}/eskalasi-112/", {"category": category_pk})


def test_region_admin_escalates_a_complaint_once_with_its_place_and_without_the_reporter(
    client: Client, admin_kota: User, anonymous_complaint: Complaint
) -> None:
    client.force_login(admin_kota)
    page = client.get(f"{ADUAN}/{anonymous_complaint.pk}/")
    assert "Eskalasi ke 112" in page.content.decode()
    assert escalate(client, anonymous_complaint).status_code == 302
    assert escalate(client, anonymous_complaint, category="kebakaran").status_code == 302

    incident = Incident.objects.get(source_complaint_id=anonymous_complaint.pk)
    assert incident.category.code == "pohon-tumbang"
    assert incident.kelurahan_id == "36.73.06.1001"
    assert incident.landmark == "Jl. Raya Taktakan depan masjid"
    assert (incident.latitude, incident.longitude) == (Decimal("-6.123456"), Decimal("106.123456"))
    assert incident.description == anonymous_complaint.description  # data, no stored sentence
    assert incident.state == State.NEW
    shown = " ".join([incident.description, incident.people_involved, incident.landmark])
    for secret in ("Siti", "081211112222", "siti@example.com"):
        assert secret not in shown
    assert not incident.calls.exists()

    page = client.get(f"{ADUAN}/{anonymous_complaint.pk}/")
    assert f"/112/insiden/{incident.pk}/" in page.content.decode()
    assert "sudah dieskalasi" in page.content.decode()


def test_desk_sees_which_complaint_an_escalated_incident_came_from(
    client: Client, admin_kota: User, dispatcher: User, anonymous_complaint: Complaint
) -> None:
    client.force_login(admin_kota)
    escalate(client, anonymous_complaint)
    incident = Incident.objects.get(source_complaint_id=anonymous_complaint.pk)
    client.force_login(dispatcher)
    page = client.get(f"{DESK}/{incident.pk}/").content.decode()
    assert f"Eskalasi dari aduan <strong>{anonymous_complaint.ticket}</strong>" in page
    assert "Siti" not in page
    english = client.get(f"{DESK}/{incident.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"Escalated from complaint <strong>{anonymous_complaint.ticket}</strong>" in english
    assert "Eskalasi" not in english


def test_escalation_without_a_kelurahan_is_refused_with_a_message(
    client: Client, admin_kota: User, kota: Tenant
) -> None:
    complaint, _ = complaint_submit(
        tenant=kota,
        category=Category.objects.get(tenant=kota, code="jalan-rusak"),
        description="Jalan amblas",
        address="Dekat alun-alun",
    )
    client.force_login(admin_kota)
    page = escalate(client, complaint)
    assert not Incident.objects.filter(source_complaint_id=complaint.pk).exists()
    page = client.get(page.url)
    assert "tidak dapat dieskalasi" in page.content.decode()


def test_only_the_region_admin_of_the_complaints_region_may_escalate(
    client: Client, admin_kab: User, budi: User, pimpinan_kota: User, anonymous_complaint: Complaint
) -> None:
    for user in (admin_kab, budi, pimpinan_kota):
        client.force_login(user)
        assert escalate(client, anonymous_complaint).status_code == 404
    assert not Incident.objects.filter(source_complaint_id=anonymous_complaint.pk).exists()


def close(incident, dispatcher: User):  # type: ignore[no-untyped-def]
    damkar = agency(incident.tenant, "damkar")
    incident = services.incident_dispatch(
        incident=incident,
        actor=dispatcher,
        assignments=[(damkar, None)],
        expected_version=incident.version,
    )
    for action in ("acknowledge", "depart", "arrive"):
        incident = services.incident_step(
            incident=incident, actor=dispatcher, action=action, agency=damkar
        )
    for action in ("resolve", "close"):
        incident = services.incident_step(
            incident=incident, actor=dispatcher, action=action, expected_version=incident.version
        )
    assert incident.state == State.CLOSED
    return incident


def followup(
    client: Client,
    incident: Incident,
    summary: str = "Pohon tumbang perlu dipotong dan diangkut besok pagi.",
) -> TestResponse:
    tenant = incident.tenant
    return client.post(
        f"{DESK}/{incident.pk}/tindak-lanjut/",
        {
            "category": Category.objects.get(tenant=tenant, code="pju").pk,
            "opd": Opd.objects.get(tenant=tenant, acronym="Dishub").pk,
            "summary": summary,
        },
    )


def test_closed_incident_creates_one_followup_complaint_in_the_opds_inbox(
    client: Client, fire: Incident, dispatcher: User, budi: User
) -> None:
    incident = close(fire, dispatcher)
    client.force_login(dispatcher)
    assert "Buat aduan tindak lanjut" in client.get(f"{DESK}/{incident.pk}/").content.decode()
    assert followup(client, incident).status_code == 302
    assert followup(client, incident, summary="Lagi").status_code == 302

    incident.refresh_from_db()
    complaint = Complaint.objects.get(pk=incident.followup_complaint_id)
    assert Complaint.objects.filter(idempotency_key=f"112-followup-{incident.pk}").count() == 1
    assert complaint.status == Status.DIDISPOSISI
    assert complaint.channel == "phone"
    assert complaint.region_id == incident.kelurahan_id
    assert complaint.address == incident.landmark
    assert "Pohon tumbang perlu dipotong" in complaint.description
    assert list(complaint.dispositions.values_list("opd__acronym", flat=True)) == ["Dishub"]
    page = client.get(f"{DESK}/{incident.pk}/").content.decode()
    assert complaint.ticket in page
    assert "Buat aduan tindak lanjut" not in page

    assert client.get(f"/kota-serang/aduan/tiket/{complaint.ticket}/").status_code == 200

    client.force_login(budi)
    assert complaint.ticket in client.get(f"{ADUAN}/").content.decode()


def test_an_open_incident_refuses_a_followup_complaint(
    client: Client, fire: Incident, dispatcher: User
) -> None:
    client.force_login(dispatcher)
    assert "Buat aduan tindak lanjut" not in client.get(f"{DESK}/{fire.pk}/").content.decode()
    response = followup(client, fire)
    assert response.status_code == 302
    fire.refresh_from_db()
    assert fire.followup_complaint_id is None
    assert not Complaint.objects.filter(idempotency_key=f"112-followup-{fire.pk}").exists()
    assert (
        "hanya dari insiden yang sudah ditutup" in client.get(response["Location"]).content.decode()
    )


def test_followup_is_for_the_incidents_own_desk_only(
    client: Client, fire: Incident, dispatcher: User, dispatcher_kab: User
) -> None:
    incident = close(fire, dispatcher)
    client.force_login(dispatcher_kab)
    assert followup(client, incident).status_code == 404
    incident.refresh_from_db()
    assert incident.followup_complaint_id is None


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_admins_escalating_the_same_complaint_at_once_make_one_incident(
    serang_after_flush: None,
) -> None:
    demo.load_demo(password=DEMO_PASSWORD)
    kota = Tenant.objects.get(region_id="36.73")
    admin, data = account("admin-kota"), fire_data(kota)
    barrier = threading.Barrier(2)

    def escalate_now(_: int) -> int:
        try:
            barrier.wait()
            return services.incident_create_from_complaint(
                tenant=kota,
                actor=admin,
                complaint_id=4242,
                data=data,
                received_at=timezone.now(),
            ).pk
        finally:
            connection.close()

    with ThreadPoolExecutor(2) as pool:
        made = set(pool.map(escalate_now, [1, 2]))
    assert len(made) == 1
    assert Incident.objects.filter(tenant=kota, source_complaint_id=4242).count() == 1


@pytest.mark.parametrize("language", ["en", "id"])
def test_a_followup_of_an_alert_incident_is_filed_in_indonesian_with_its_place(
    client: Client, fire: Incident, dispatcher: User, language: str
) -> None:
    """The complaint is data: its title in Bahasa Indonesia whoever files it, and for an
    incident a sensor alert opened, no rendered alert sentence as the address (#11.6)."""
    Incident.objects.filter(pk=fire.pk).update(
        landmark="",
        message_key="sensors.incident",
        params={"device": "Pos Cibanten", "level": "Siaga II", "value": 210.0, "peak": 215.0},
    )
    fire.refresh_from_db()
    assert "Pos Cibanten" in fire.landmark_text
    incident = close(fire, dispatcher)
    client.force_login(dispatcher)
    client.cookies["django_language"] = language
    assert followup(client, incident).status_code == 302
    incident.refresh_from_db()
    complaint = Complaint.objects.get(pk=incident.followup_complaint_id)
    assert complaint.description.startswith(
        f"Tindak lanjut insiden 112 {incident.number}: Kebakaran\n"
    )
    assert complaint.address == ""
    assert (complaint.region_id, complaint.lat) == (incident.kelurahan_id, incident.latitude)
