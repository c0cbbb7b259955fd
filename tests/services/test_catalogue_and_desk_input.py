"""The application form's pick-up location, the SIAK reference input, booking rules per service
and the catalogue's English forms (issues #11.6, #11.10, #11.14)."""

from __future__ import annotations

import importlib
import re
import uuid

import pytest
from django.apps import apps as global_apps
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from kotacerdas.accounts.models import User
from kotacerdas.services import services
from kotacerdas.services.models import (
    Application,
    FormField,
    Location,
    Requirement,
    Service,
    Status,
)
from kotacerdas.services.selectors import booking_blocker
from kotacerdas.tenants.models import Tenant
from tests.services.test_lifecycle import filled_kk_application

pytestmark = pytest.mark.django_db
BASE = "/kota-serang/layanan"


def label_of(page: str, field_id: str) -> str:
    match = re.search(rf'<label for="{field_id}">(.*?)</label>', page, flags=re.DOTALL)
    assert match, field_id
    return match.group(1)


def test_pickup_location_says_when_it_is_required_and_is_required_only_then(
    client: Client, dewi: User, catalogue: dict[str, list[Location]], mpp: Location
) -> None:
    client.force_login(dewi)
    client.post(f"{BASE}/katalog/ktp-el-penggantian/ajukan/", {"token": str(uuid.uuid4())})
    application = Application.objects.get(applicant=dewi)
    url = f"{BASE}/permohonan/{application.pk}/isi/"
    page = client.get(url).content.decode()
    label = label_of(page, "id_pickup_location")
    assert "wajib bila hasil diambil" in label and "opsional" not in label
    assert "wajib bila hasil diantar" in label_of(page, "id_delivery_address")
    form = {
        "f_nik": "3673015203950001",
        "f_kk": "3673011503200004",
        "f_nama": "Siti Aminah",
        "f_kelurahan": "36.73.01.1010",
        "f_alasan": "Rusak",
        "f_telepon": "081234567890",
    }
    missing = client.post(url, {**form, "fulfilment": "pickup"})
    assert missing.status_code == 200 and "Pilih lokasi pengambilan." in missing.content.decode()
    delivered = client.post(url, {**form, "fulfilment": "delivery", "delivery_address": "Jl. A 1"})
    assert delivered.status_code == 302, "no pick-up location needed for a delivery"
    picked = client.post(url, {**form, "fulfilment": "pickup", "pickup_location": mpp.pk})
    assert picked.status_code == 302
    application.refresh_from_db()
    assert application.pickup_location == mpp and application.delivery_address == ""


def test_each_service_decides_whether_booking_waits_for_verification(
    client: Client, dewi: User, operator: User, catalogue: dict[str, list[Location]], kota: Tenant
) -> None:
    recording = Service.objects.get(tenant=kota, code="ktp-el-baru")
    replacement = Service.objects.get(tenant=kota, code="ktp-el-penggantian")
    assert not recording.booking_after_verification and replacement.booking_after_verification
    client.force_login(dewi)
    assert (
        "segera setelah permohonan diajukan"
        in client.get(f"{BASE}/katalog/ktp-el-baru/").content.decode()
    )
    assert (
        "setelah petugas memeriksa berkas"
        in client.get(f"{BASE}/katalog/ktp-el-penggantian/").content.decode()
    )

    draft = services.application_start(
        service=recording, applicant=dewi, idempotency_key=uuid.uuid4()
    )
    assert booking_blocker(draft)[0] == "not_submitted"  # type: ignore[index]
    Application.objects.filter(pk=draft.pk).update(status=Status.SUBMITTED)
    draft.refresh_from_db()
    assert booking_blocker(draft) is None, "the recording visit is booked right after submission"
    waiting = services.application_start(
        service=replacement, applicant=dewi, idempotency_key=uuid.uuid4()
    )
    Application.objects.filter(pk=waiting.pk).update(status=Status.SUBMITTED, fulfilment="pickup")
    waiting.refresh_from_db()
    assert booking_blocker(waiting)[0] == "not_verified"  # type: ignore[index]
    Application.objects.filter(pk=waiting.pk).update(status=Status.IN_PROCESS)
    waiting.refresh_from_db()
    assert booking_blocker(waiting) is None


@pytest.mark.parametrize(
    ("reference", "status"),
    [
        ("", 400),
        ("ab", 400),
        ("SIAK 3673 0042", 400),
        ("<script>alert(1)</script>", 400),
        ("-SIAK-1", 400),
        ("A" * 61, 400),
        ("SIAK-3673-20261123-0042", 302),
        ("  3673/2026/0042  ", 302),
    ],
)
def test_the_siak_reference_input_is_validated(  # noqa: PLR0917 - fixtures
    client: Client, dewi: User, operator: User, kk_service: Service, reference: str, status: int
) -> None:
    application = filled_kk_application(dewi, kk_service)
    services.application_submit(application=application, actor=dewi)
    services.application_start_verification(application=application, actor=operator)
    for document in application.documents.all():
        services.document_review(document=document, actor=operator, accepted=True)
    services.application_verify(application=application, actor=operator)
    client.force_login(operator)
    response = client.post(
        f"{BASE}/meja/{application.pk}/siak/", {"reference": reference}, follow=False
    )
    assert response.status_code == status
    application.refresh_from_db()
    if status == 400:
        assert re.search(r'<p class="error" role="alert">[^<]+</p>', response.content.decode())
        assert application.siak_reference == ""
        assert "<script>alert" not in response.content.decode()
    else:
        assert application.siak_reference == reference.strip()


def test_the_catalogue_has_english_names_labels_and_choices(
    client: Client, dewi: User, kk_service: Service
) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": f"{BASE}/"})
    home = client.get(f"{BASE}/").content.decode()
    assert "New or amended family card (KK)" in home and "Kartu Keluarga baru" not in home
    detail = client.get(f"{BASE}/katalog/kk-baru/").content.decode()
    assert "Marriage book or certificate" in detail
    client.force_login(dewi)
    client.post("/i18n/setlang/", {"language": "en", "next": f"{BASE}/"})
    client.post(f"{BASE}/katalog/kk-baru/ajukan/", {"token": str(uuid.uuid4())})
    application = Application.objects.get(applicant=dewi)
    form = client.get(f"{BASE}/permohonan/{application.pk}/isi/").content.decode()
    assert "Full name as on the family card" in form
    assert '<option value="Menikah">Marriage</option>' in form, "stored Indonesian, shown English"
    catalogue = client.get("/api/v1/services/kota-serang/catalogue").json()
    kk = next(s for s in catalogue if s["code"] == "kk-baru")
    assert kk["name"] == "Kartu Keluarga baru / perubahan"
    assert kk["name_en"] == "New or amended family card (KK)" and kk["description_en"]


def test_english_set_by_the_administrator_is_kept_and_indonesian_is_the_fallback(
    client: Client, kk_service: Service
) -> None:
    Service.objects.filter(pk=kk_service.pk).update(name_en="Family card (custom)")
    FormField.objects.filter(service=kk_service, name="telepon").update(label_en="")
    services.catalogue_translate(
        service=kk_service, english={"Kartu Keluarga baru / perubahan": "Overwritten?"}
    )
    kk_service.refresh_from_db()
    assert kk_service.name_en == "Family card (custom)"
    client.post("/i18n/setlang/", {"language": "en", "next": f"{BASE}/"})
    form_field = FormField.objects.get(service=kk_service, name="telepon")
    from django.utils import translation

    with translation.override("en"):
        assert form_field.local_label == "Nomor HP yang dapat dihubungi"


def test_the_data_migration_fills_english_for_seeded_rows(kk_service: Service) -> None:
    Service.objects.filter(pk=kk_service.pk).update(name_en="", description_en="")
    Requirement.objects.filter(service=kk_service).update(name_en="")
    FormField.objects.filter(service=kk_service).update(label_en="", choices_en="")
    FormField.objects.filter(service=kk_service, name="nama").update(kind="text")
    migration = importlib.import_module(
        "kotacerdas.services.migrations.0003_fill_seeded_english_forms"
    )
    migration.fill_english(global_apps, None)
    kk_service.refresh_from_db()
    assert kk_service.name_en == "New or amended family card (KK)"
    assert kk_service.requirements.get(name="KK lama").name_en == "Old family card"
    name = kk_service.fields.get(name="nama")
    assert name.kind == "name" and name.label_en == "Full name as on the family card"
    assert kk_service.fields.get(name="alasan").choices_en.startswith("Marriage;Divorce")


def test_laporan_saya_lists_the_citizens_own_applications_only(
    client: Client,
    dewi: User,
    eko: User,
    kk_service: Service,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    from kotacerdas.services.selectors import citizen_applications

    mine = filled_kk_application(dewi, kk_service)
    services.application_submit(application=mine, actor=dewi)
    theirs = filled_kk_application(eko, kk_service)
    with django_assert_max_num_queries(1):
        items = citizen_applications(dewi)
    mine.refresh_from_db()
    assert [i["url"] for i in items] == [f"{BASE}/permohonan/{mine.pk}/"]
    assert items[0]["status"] == "Diajukan" and mine.number in items[0]["title"]
    client.force_login(dewi)
    page = client.get("/akun/laporan-saya/").content.decode()
    assert mine.number in page and f"/permohonan/{theirs.pk}/" not in page
