"""A visitor's booking from request to rating, who may see it, reminders and retention."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django import Settings

from kotacerdas.accounts.models import User
from kotacerdas.core.errors import DomainError
from kotacerdas.economy import services
from kotacerdas.economy.models import Homestay, RequestStatus, TourismVillage, VisitorRequest
from kotacerdas.notifications.models import Notification


def _homestay(village: TourismVillage) -> Homestay:
    homestay = village.homestays.first()
    assert homestay is not None
    return homestay


def _book(client: Client, homestay: Homestay) -> VisitorRequest:
    start = timezone.localdate() + dt.timedelta(days=10)
    response = client.post(
        f"/kabupaten-serang/wisata/kirim/?homestay={homestay.pk}",
        {
            "visitor_name": "Rina Wisatawan",
            "visitor_email": "rina@contoh.id",
            "visitor_phone": "081234567890",
            "check_in": start.isoformat(),
            "check_out": (start + dt.timedelta(days=2)).isoformat(),
            "guests": 2,
            "message": "Apakah ada sarapan?",
        },
    )
    assert response.status_code == 302, response.content
    return VisitorRequest.objects.get(homestay=homestay)


def test_a_visitor_books_and_the_manager_answers_and_the_visitor_rates(
    client: Client, sikonde: TourismVillage, pokdarwis: User
) -> None:
    homestay = sikonde.homestays.get(name__startswith="Homestay Saung")
    req = _book(client, homestay)
    assert req.status == RequestStatus.NEW
    # the manager is told in the app and by email; the visitor gets a receipt
    assert (
        Notification.objects.filter(
            user=pokdarwis, key__startswith=f"economy:req:{req.pk}:new"
        ).count()
        == 2
    )
    assert Notification.objects.filter(
        email="rina@contoh.id", key=f"economy:req:{req.pk}:receipt"
    ).exists()

    staff = Client()
    staff.force_login(pokdarwis)
    inbox = staff.get("/kabupaten-serang/wisata/kelola/")
    assert "Homestay Saung Bambu" in inbox.text
    detail = staff.get(f"/kabupaten-serang/wisata/kelola/permintaan/{req.pk}/")
    assert "rina@contoh.id" in detail.text and "081234567890" in detail.text
    answered = staff.post(
        f"/kabupaten-serang/wisata/kelola/permintaan/{req.pk}/",
        {"action": "confirm", "reply": "Ada, sarapan nasi uduk. Sampai jumpa!"},
    )
    assert answered.status_code == 302
    req.refresh_from_db()
    assert req.status == RequestStatus.CONFIRMED and req.answered_at is not None
    mail = Notification.objects.filter(
        email="rina@contoh.id", key__startswith="economy:event:"
    ).get()
    assert "nasi uduk" in mail.text

    track = client.get(f"/kabupaten-serang/wisata/permintaan/{req.token}/")
    assert "nasi uduk" in track.text and "Dikonfirmasi" in track.text
    services.request_act(req=req, action="complete", actor=pokdarwis)
    client.post(f"/kabupaten-serang/wisata/permintaan/{req.token}/", {"rating": "5"})
    req.refresh_from_db()
    assert req.rating == 5
    with pytest.raises(DomainError):
        services.request_rate(req=req, rating=4)


def test_only_the_village_concerned_and_the_tourism_office_see_a_request(
    client: Client,
    sikonde: TourismVillage,
    other_manager: User,
    disparpora: User,
    citra: User,
) -> None:
    req = _book(client, _homestay(sikonde))
    url = f"/kabupaten-serang/wisata/kelola/permintaan/{req.pk}/"
    admin_kota = User.objects.get(username="admin-kota")  # another regency's administrator
    for outsider in (other_manager, citra, admin_kota):
        client.force_login(outsider)
        assert client.get(url).status_code == 404, outsider.username
    client.force_login(disparpora)
    assert client.get(url).status_code == 200
    # the visitor's contact never reaches a public page
    client.logout()
    for page in ("/kabupaten-serang/wisata/", "/kabupaten-serang/wisata/desa/cikolelet/"):
        text = client.get(page).text
        assert "rina@contoh.id" not in text and "081234567890" not in text and "Rina" not in text


def test_bad_booking_input_gets_a_clear_400(client: Client, sikonde: TourismVillage) -> None:
    homestay = _homestay(sikonde)
    past = (timezone.localdate() - dt.timedelta(days=3)).isoformat()
    response = client.post(
        f"/kabupaten-serang/wisata/kirim/?homestay={homestay.pk}",
        {"visitor_name": "A", "visitor_email": "bukan-surel", "check_in": past, "check_out": past},
    )
    assert response.status_code == 400
    assert not VisitorRequest.objects.exists()
    assert client.get("/kabupaten-serang/wisata/kirim/?homestay=999999").status_code == 404
    assert client.get("/kabupaten-serang/wisata/kirim/?homestay=%C2%B2").status_code == 404


def test_unanswered_requests_are_reminded_once_and_contacts_purged_after_retention(
    client: Client, sikonde: TourismVillage, pokdarwis: User, settings: Settings
) -> None:
    req = _book(client, _homestay(sikonde))
    later = req.created_at + dt.timedelta(hours=settings.ECONOMY_ANSWER_REMINDER_HOURS + 1)
    assert services.reminders_unanswered(now=req.created_at + dt.timedelta(hours=1)) == 0
    services.reminders_unanswered(now=later)
    services.reminders_unanswered(now=later + dt.timedelta(hours=5))
    assert (
        Notification.objects.filter(
            key__startswith=f"economy:req:{req.pk}:reminder", user=pokdarwis
        ).count()
        == 2
    )
    services.request_act(req=req, action="decline", actor=pokdarwis, reply="Penuh.")
    assert services.contacts_purge(now=later) == 0
    after = req.created_at + dt.timedelta(days=settings.ECONOMY_VISITOR_RETENTION_DAYS + 1)
    assert services.contacts_purge(now=after) == 1
    req.refresh_from_db()
    assert (req.visitor_name, req.visitor_email, req.visitor_phone, req.message) == ("", "", "", "")
