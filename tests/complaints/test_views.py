"""Citizen and staff pages through HTTP: report without an account, duplicates, tracking,
triage, the OPD inbox, reopen, statistics and who may see what."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from kotacerdas.accounts.models import User
from kotacerdas.complaints.models import Category, Channel, Complaint, Confidentiality, Status
from kotacerdas.notifications.services import deliver_due
from kotacerdas.tenants.models import Opd, Tenant
from tests.complaints.conftest import jpeg_with_gps

CIPARE = "36.73.01.1002"


def url(name: str, *args: object) -> str:
    return reverse(f"complaints:{name}", args=["kota-serang", *args])


def report_data(pju: Category, **extra: object) -> dict[str, object]:
    data: dict[str, object] = {
        "category": pju.pk,
        "description": "Lampu PJU mati, jalan gelap.",
        "region": CIPARE,
        "address": "Depan masjid",
        "lat": "-6.1235",
        "long": "106.1490",
        "confidentiality": "biasa",
        "reporter_name": "Siti Pelapor",
        "reporter_phone": "081299990000",
        "idempotency_key": "form-token-1",
        f"attr_{pju.pk}_jumlah_lampu": "2",
        f"attr_{pju.pk}_dampak": ["gelap", "rawan"],
    }
    data.update(extra)
    return data


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_citizen_reports_without_account_and_follows_by_ticket(
    client: Client, pju: Category, kota: Tenant
) -> None:
    page = client.get(url("report"))
    assert page.status_code == 200 and b'name="idempotency_key"' in page.content
    assert b"Cipare" in page.content

    too_long = client.post(url("report"), report_data(pju, description="x" * 4001))
    assert b"maksimal 4.000 karakter" in too_long.content and not Complaint.objects.exists()
    not_image = client.post(
        url("report"), {**report_data(pju), "photos": [jpeg_with_gps(), _fake_image()]}
    )
    assert b"Jenis gambar tidak diterima" in not_image.content and not Complaint.objects.exists()
    no_answer = client.post(url("report"), report_data(pju, **{f"attr_{pju.pk}_jumlah_lampu": ""}))
    assert b"Berapa lampu yang mati?" in no_answer.content and not Complaint.objects.exists()

    form_data = {**report_data(pju), "reporter_email": "siti@example.com"}
    response = client.post(url("report"), {**form_data, "photos": [jpeg_with_gps()]})
    complaint = Complaint.objects.get()
    deliver_due()
    (sent,) = mail.outbox  # the private tracking link, by email when an address is given
    assert sent.to == ["siti@example.com"] and complaint.tracking_token in sent.body
    assert response.status_code == 302 and response["Location"] == url(
        "follow", complaint.tracking_token
    )
    # the browser retries the same form (same hidden token): still one complaint
    retry = client.post(url("report"), {**form_data, "photos": [jpeg_with_gps()]})
    assert retry["Location"] == response["Location"] and Complaint.objects.count() == 1
    # the same token with another body is refused, not replayed
    changed = client.post(url("report"), {**form_data, "description": "Lain"})
    assert changed.status_code == 422 and Complaint.objects.count() == 1
    assert complaint.channel == Channel.WEB and complaint.region_id == CIPARE
    assert complaint.attributes == {"jumlah_lampu": 2, "dampak": ["gelap", "rawan"]}

    follow = client.get(response["Location"])
    assert complaint.ticket.encode() in follow.content
    tracked = client.get(url("track"), {"ticket": complaint.ticket.lower()})
    assert tracked["Location"] == url("ticket", complaint.ticket)
    public = client.get(tracked["Location"])
    assert public.status_code == 200 and b"Laporan diterima" in public.content
    assert b"Siti Pelapor" not in public.content and b"0812" not in public.content
    # The photo is re-encoded after commit by the worker: never shown before (EXIF and all).
    pending = complaint.photos.get()
    assert client.get(url("photo", pending.pk)).status_code == 404
    assert f"/aduan/foto/{pending.pk}/".encode() not in public.content
    call_command("publish_photos", "--once")
    photo = client.get(url("photo", pending.pk))
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    assert f"/aduan/foto/{pending.pk}/".encode() in client.get(tracked["Location"]).content
    assert b"tidak ditemukan" in client.get(url("track"), {"ticket": "SRG-2026-999999"}).content


def _fake_image() -> SimpleUploadedFile:
    return SimpleUploadedFile("lampu.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")


def test_nearby_same_category_reports_are_shown_before_submitting(
    client: Client, pju: Category, kota: Tenant
) -> None:
    client.post(url("report"), report_data(pju))
    first = Complaint.objects.get()
    again = client.post(
        url("report"), report_data(pju, idempotency_key="form-token-2", lat="-6.1236")
    )
    assert again.status_code == 200 and first.ticket.encode() in again.content
    assert b"Saya juga" in again.content and Complaint.objects.count() == 1
    fragment = client.get(
        url("nearby"), {"category": str(pju.pk), "lat": "-6.1236", "long": "106.149"}
    )
    assert first.ticket.encode() in fragment.content
    client.post(url("me_too", first.ticket))
    first.refresh_from_db()
    assert first.me_too_count == 1
    client.post(
        url("report"),
        report_data(pju, idempotency_key="form-token-2", lat="-6.1236", confirm_new="True"),
    )
    assert Complaint.objects.count() == 2


def test_secret_complaint_is_not_public_anywhere(client: Client, pju: Category) -> None:
    client.post(
        url("report"), {**report_data(pju, confidentiality="rahasia"), "photos": [jpeg_with_gps()]}
    )
    complaint = Complaint.objects.get()
    call_command("publish_photos", "--once")
    photo = url("photo", complaint.photos.get().pk)
    assert client.get(photo).status_code == 404
    assert client.get(photo, {"t": complaint.tracking_token}).status_code == 200
    assert complaint.confidentiality == Confidentiality.RAHASIA
    assert client.get(url("ticket", complaint.ticket)).status_code == 404
    assert complaint.ticket.encode() not in client.get(url("public_list")).content
    assert client.get(url("photo", 999)).status_code == 404
    assert (
        client.get(url("follow", complaint.tracking_token)).status_code == 200
    )  # the reporter's own link


def test_triage_inbox_response_reopen_and_access(  # noqa: PLR0917 - pytest fixtures
    client: Client,
    pju: Category,
    kota: Tenant,
    admin_kota: User,
    budi: User,
    ani: User,
    citra: User,
    dewi: User,
) -> None:
    client.post(url("report"), report_data(pju, confidentiality="anonim"))
    complaint = Complaint.objects.get()
    admin = login(admin_kota)
    detail = admin.get(url("staff_detail", complaint.pk))
    assert b"Siti Pelapor" in detail.content  # the region administrator sees an anonymous reporter
    assert (
        b"Berapa lampu yang mati?" in detail.content
        and b"Jalan gelap, Rawan kejahatan" in detail.content
    )
    dishub = Opd.objects.get(tenant=kota, acronym="Dishub")
    admin.post(
        url("staff_detail", complaint.pk),
        {
            "action": "classify",
            "classification": "pengaduan",
            "severity": "berat",
            "confidentiality": "anonim",
        },
    )
    admin.post(
        url("staff_detail", complaint.pk), {"action": "dispose", "opds": [dishub.pk], "note": ""}
    )
    complaint.refresh_from_db()
    assert complaint.status == Status.DIDISPOSISI and complaint.severity == "berat"

    operator = login(budi)
    inbox = operator.get(url("staff_inbox"), {"status": "didisposisi", "severity": "berat"})
    assert complaint.ticket.encode() in inbox.content
    detail = operator.get(url("staff_detail", complaint.pk))
    assert (
        detail.status_code == 200
        and b"Siti Pelapor" not in detail.content
        and b"0812" not in detail.content
    )
    # Budi cannot use the administrator's actions
    assert (
        operator.post(url("staff_detail", complaint.pk), {"action": "archive"}).status_code == 404
    )
    operator.post(
        url("staff_detail", complaint.pk),
        {"action": "respond", "body": "Petugas menuju lokasi", "is_public": "on"},
    )
    operator.post(url("staff_detail", complaint.pk), {"action": "resolve", "note": "Lampu diganti"})
    complaint.refresh_from_db()
    assert complaint.status == Status.SELESAI

    # Ani (Diskominfo), Citra (another tenant), Dewi (citizen) and visitors learn nothing
    for other in (ani, citra, dewi):
        assert login(other).get(url("staff_detail", complaint.pk)).status_code == 404
    assert client.get(url("staff_detail", complaint.pk)).status_code == 302

    follow = url("follow", complaint.tracking_token)
    assert b"Petugas menuju lokasi" in client.get(follow).content
    client.post(follow, {"action": "reopen", "reason": "Lampu mati lagi"})
    complaint.refresh_from_db()
    assert complaint.status == Status.DIDISPOSISI and complaint.reopen_count == 1
    assert (
        complaint.ticket.encode()
        in operator.get(url("staff_inbox"), {"status": "didisposisi"}).content
    )
    operator.post(url("staff_detail", complaint.pk), {"action": "resolve", "note": "Kabel diganti"})
    client.post(follow, {"action": "confirm"})
    client.post(follow, {"action": "rate", "rating": "4"})
    complaint.refresh_from_db()
    assert complaint.status == Status.DITUTUP and complaint.rating == 4

    stats = admin.get(url("statistics"), {"tahun": str(complaint.created_at.year)})
    assert stats.status_code == 200 and b"Dishub" in stats.content
    csv = admin.get(url("statistics"), {"tahun": str(complaint.created_at.year), "format": "csv"})
    text = csv.content.decode()
    assert "Dishub" in text and "Siti" not in text and "0812" not in text
    assert admin.get(url("statistics"), {"format": "xlsx"})["Content-Type"].startswith(
        "application/vnd.openxml"
    )
    assert login(citra).get(url("statistics")).status_code == 404


def test_staff_records_complaint_from_phone_with_channel(pju: Category, admin_kota: User) -> None:
    admin = login(admin_kota)
    response = admin.post(url("staff_new"), {**report_data(pju), "channel": "phone"})
    complaint = Complaint.objects.get()
    assert response["Location"] == url("staff_detail", complaint.pk)
    assert complaint.channel == Channel.PHONE and complaint.reporter_id is None
    assert complaint.events.get(action="submit").actor == admin_kota


def test_overdue_items_are_prominent_in_the_inbox(
    pju: Category, admin_kota: User, kota: Tenant
) -> None:
    import time_machine

    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        Client().post(url("report"), report_data(pju))
    page = login(admin_kota).get(url("staff_inbox"))
    assert b"melewati batas waktu SLA" in page.content and b'class="overdue"' in page.content


def test_anonymous_submission_is_rate_limited_per_ip(client: Client, pju: Category) -> None:
    for i in range(20):
        client.post(
            url("report"),
            report_data(pju, idempotency_key=f"k{i}", address=f"Jl. {i}", lat="", long=""),
        )
    assert client.post(url("report"), report_data(pju, idempotency_key="k-last")).status_code == 429
    assert Complaint.objects.count() == 20
