from __future__ import annotations

import datetime as dt
import re
import threading
import uuid
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.utils import timezone

from kotacerdas.accounts.models import User
from kotacerdas.core.errors import Conflict, DomainError
from kotacerdas.services import services
from kotacerdas.services.models import Application, Location, Service, Slot, Status
from kotacerdas.tenants.models import Holiday, Tenant
from tests.conftest import account
from tests.services.conftest import KK_NUMBER, WOMAN_NIK, jpeg_bytes

WIB = ZoneInfo("Asia/Jakarta")
NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=WIB)  # a Monday
BASE = "/kota-serang/layanan"


def make_slot(location: Location, day: dt.date, hour: int = 9, capacity: int = 2) -> Slot:
    start = dt.datetime.combine(day, dt.time(hour), tzinfo=WIB)
    return Slot.objects.create(
        tenant=location.tenant,
        location=location,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        capacity=capacity,
    )


def start_application(user, service: Service) -> Application:  # type: ignore[no-untyped-def]
    """An application past submission (set directly: these tests are about slots, not forms)."""
    application = services.application_start(
        service=service, applicant=user, idempotency_key=uuid.uuid4()
    )
    Application.objects.filter(pk=application.pk).update(status=Status.SUBMITTED)
    return application


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_ktp_replacement_with_a_pickup_appointment_printable_with_a_qr_code(
    client: Client, dewi: User, mpp: Location, catalogue: dict[str, list[Location]]
) -> None:
    tuesday = make_slot(mpp, dt.date(2026, 11, 24))
    wednesday = make_slot(mpp, dt.date(2026, 11, 25), capacity=1)
    client.force_login(dewi)
    client.post(f"{BASE}/katalog/ktp-el-penggantian/ajukan/", {"token": str(uuid.uuid4())})
    application = Application.objects.get(applicant=dewi)
    form = {
        "f_nik": WOMAN_NIK,
        "f_kk": KK_NUMBER,
        "f_nama": "Siti Aminah",
        "f_kelurahan": "36.73.01.1010",
        "f_alasan": "Rusak",
        "f_telepon": "081234567890",
        "fulfilment": "pickup",
    }
    page = client.post(f"{BASE}/permohonan/{application.pk}/isi/", form)
    assert "Pilih lokasi pengambilan" in page.content.decode()
    client.post(f"{BASE}/permohonan/{application.pk}/isi/", {**form, "pickup_location": mpp.pk})
    kk_requirement = application.service.requirements.get(name__startswith="Kartu Keluarga")
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.post(
        f"{BASE}/permohonan/{application.pk}/dokumen/",
        {
            "requirement": kk_requirement.pk,
            "file": SimpleUploadedFile("kk.jpg", jpeg_bytes(), "image/jpeg"),
        },
    )
    client.post(f"{BASE}/permohonan/{application.pk}/periksa/")
    application.refresh_from_db()
    assert application.status == "submitted"

    # A replacement KTP-el is booked once the documents are found complete, and the pages say so.
    detail = client.get(f"{BASE}/permohonan/{application.pk}/").content.decode()
    assert "setelah petugas memeriksa berkas Anda" in detail
    assert "Pilih jadwal datang</a>" not in detail
    closed = client.get(f"{BASE}/permohonan/{application.pk}/janji/").content.decode()
    assert "setelah petugas memeriksa berkas Anda" in closed and 'name="slot"' not in closed
    early = client.post(f"{BASE}/permohonan/{application.pk}/janji/", {"slot": tuesday.pk})
    assert early.status_code == 409 and not application.appointments.exists()
    operator = account("disdukcapil-kota")
    services.application_start_verification(application=application, actor=operator)
    for document in application.documents.all():
        services.document_review(document=document, actor=operator, accepted=True)
    services.application_verify(application=application, actor=operator)

    slots_page = client.get(f"{BASE}/permohonan/{application.pk}/janji/").content.decode()
    assert "2 tempat" in slots_page and "1 tempat" in slots_page
    # The office is named once, above its times; the buttons show only the time.
    assert slots_page.count(f"<h2>{mpp.name}</h2>") == 1
    buttons = re.findall(r"<button[^>]*>(.*?)</button>", slots_page, flags=re.DOTALL)
    assert buttons and not [b for b in buttons if mpp.name in b]
    booked = client.post(f"{BASE}/permohonan/{application.pk}/janji/", {"slot": tuesday.pk})
    assert booked["Location"].endswith("/janji/cetak/")
    printable = client.get(booked["Location"]).content.decode()
    assert "<svg" in printable and "3673**********01" in printable
    # The applicant named in the form, not the account holder who filled it in.
    card = re.search(r'<dl class="facts">(.*?)</dl>', printable, flags=re.DOTALL).group(1)  # type: ignore[union-attr]
    assert 'class="applicant-name">Siti Aminah<' in card and dewi.display_name not in card
    appointment = application.appointments.get()
    assert appointment.code in printable

    # Reschedule to Wednesday: Tuesday's place is given back.
    client.post(f"{BASE}/permohonan/{application.pk}/janji/", {"slot": wednesday.pk})
    tuesday.refresh_from_db()
    wednesday.refresh_from_db()
    assert (tuesday.booked, wednesday.booked) == (0, 1)
    assert application.appointments.filter(cancelled_at__isnull=True).get().slot == wednesday

    client.post(f"{BASE}/permohonan/{application.pk}/janji/batal/")
    wednesday.refresh_from_db()
    assert wednesday.booked == 0
    assert not application.appointments.filter(cancelled_at__isnull=True).exists()


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_a_full_slot_a_past_slot_and_a_holiday_are_refused(
    dewi: User, eko: User, mpp: Location, catalogue: dict[str, list[Location]], kota: Tenant
) -> None:
    service = Service.objects.get(tenant=kota, code="ktp-el-baru")
    slot = make_slot(mpp, dt.date(2026, 11, 24), capacity=1)
    services.appointment_book(
        application=start_application(dewi, service), slot_id=slot.pk, actor=dewi
    )
    with pytest.raises(Conflict, match="penuh"):
        services.appointment_book(
            application=start_application(eko, service), slot_id=slot.pk, actor=eko
        )
    past = make_slot(mpp, dt.date(2026, 11, 23), hour=8)
    with pytest.raises(DomainError, match="lewat"):
        services.appointment_book(
            application=start_application(eko, service), slot_id=past.pk, actor=eko
        )
    Holiday.objects.create(tenant=kota, date=dt.date(2026, 11, 26), name="Hari jadi Kota Serang")
    holiday = make_slot(mpp, dt.date(2026, 11, 26))
    with pytest.raises(DomainError, match="libur"):
        services.appointment_book(
            application=start_application(eko, service), slot_id=holiday.pk, actor=eko
        )


@pytest.mark.django_db
def test_slot_generation_skips_weekends_and_holidays(mpp: Location, kota: Tenant) -> None:
    Holiday.objects.create(tenant=kota, date=dt.date(2026, 11, 26), name="Hari jadi")
    made = services.slots_generate(
        location=mpp,
        first_day=dt.date(2026, 11, 23),
        days=7,
        times=[dt.time(8), dt.time(13)],
        minutes=60,
        capacity=4,
    )
    days = sorted(
        {s.starts_at.astimezone(WIB).date().day for s in Slot.objects.filter(location=mpp)}
    )
    assert (made, days) == (8, [23, 24, 25, 27])
    assert (
        services.slots_generate(
            location=mpp,
            first_day=dt.date(2026, 11, 23),
            days=7,
            times=[dt.time(8), dt.time(13)],
            minutes=60,
            capacity=4,
        )
        == 0
    )


@pytest.mark.postgres
def test_two_citizens_racing_for_the_last_place_cannot_both_get_it(
    serang_after_flush: None,
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locking")
    from kotacerdas.services.demo import load_catalogue

    kota = Tenant.objects.get(region_id="36.73")
    load_catalogue(kota)
    mpp = Location.objects.get(tenant=kota, kind="mpp")
    service = Service.objects.get(tenant=kota, code="ktp-el-baru")
    day = timezone.localdate() + dt.timedelta(days=30)
    while day.weekday() > 4 or Holiday.objects.filter(date=day).exists():
        day += dt.timedelta(days=1)
    slot = make_slot(mpp, day, capacity=1)
    citizens = [account("warga-demo")]
    citizens.append(
        account("warga-demo").__class__.objects.create_user(username="rival", password="x")
    )
    applications = [start_application(c, service) for c in citizens]
    barrier = threading.Barrier(len(citizens))
    outcomes: list[str] = []

    def book(application: Application, citizen) -> None:  # type: ignore[no-untyped-def]
        try:
            barrier.wait()
            services.appointment_book(application=application, slot_id=slot.pk, actor=citizen)
            outcomes.append("booked")
        except Conflict:
            outcomes.append("full")
        finally:
            connection.close()  # this thread's own connection, or the test database cannot be dropped

    threads = [
        threading.Thread(target=book, args=pair)
        for pair in zip(applications, citizens, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    slot.refresh_from_db()
    assert sorted(outcomes) == ["booked", "full"]
    assert slot.booked == 1


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_the_nightly_command_opens_slots_on_working_days_only(mpp: Location, kota: Tenant) -> None:
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command(
        "generate_service_slots",
        "--tenant",
        "kota-serang",
        "--days",
        "7",
        "--times",
        "08:00",
        stdout=out,
    )
    days = sorted(
        {s.starts_at.astimezone(WIB).date().day for s in Slot.objects.filter(location=mpp)}
    )
    assert days == [24, 25, 26, 27, 30]
    assert Slot.objects.get(location=mpp, starts_at__day=24).capacity == 10
    again = io.StringIO()
    call_command(
        "generate_service_slots",
        "--tenant",
        "kota-serang",
        "--days",
        "7",
        "--times",
        "08:00",
        stdout=again,
    )
    assert again.getvalue().startswith("0 slot baru")
