"""Permit-expiry reminders to the OVOP office, and the ADWI self-assessment carried forward."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone
from time_machine import TimeMachineFixture

from kotacerdas.accounts.models import User
from kotacerdas.economy import services
from kotacerdas.economy.config import ADWI_CATEGORIES
from kotacerdas.economy.models import Permit, TourismVillage, VillageClass
from kotacerdas.notifications.models import Notification


def test_the_ovop_office_is_reminded_once_before_a_halal_certificate_expires(
    sikonde: TourismVillage, ovop_office: User, time_machine: TimeMachineFixture
) -> None:
    halal = Permit.objects.get(kind=Permit.Kind.HALAL, product__slug="ikan-asin")
    halal.expires_on = dt.date(2027, 3, 1)
    halal.save()
    Permit.objects.filter(kind=Permit.Kind.HALAL).exclude(pk=halal.pk).delete()
    time_machine.move_to(dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC), tick=False)
    assert services.permit_reminders() == 0  # 91 days ahead: not yet
    time_machine.move_to(dt.datetime(2027, 1, 5, 2, 0, tzinfo=dt.UTC), tick=False)
    assert services.permit_reminders() == 2  # the DKP operator and the producer's member
    assert services.permit_reminders() == 0  # a rerun sends nothing twice
    mail = Notification.objects.get(user=ovop_office)
    assert "Sertifikat halal" in mail.title and "Ikan asin" in mail.title
    halal.expires_on = dt.date(2027, 2, 1)  # renewed with a new date: a new reminder is due
    halal.save()
    assert services.permit_reminders() == 2


def test_a_new_year_starts_from_last_years_answers_and_the_office_sets_the_class(
    sikonde: TourismVillage, pokdarwis: User, disparpora: User
) -> None:
    first = services.assessment_start(village=sikonde, year=2025)
    answers = {code: {"score": 3, "note": f"catatan {code}"} for code in ADWI_CATEGORIES}
    services.assessment_save(assessment=first, answers=answers)
    services.assessment_submit(assessment=first)
    services.assessment_review(
        assessment=first, village_class=VillageClass.MAJU, today=dt.date(2025, 9, 1)
    )
    sikonde.refresh_from_db()
    assert sikonde.village_class == VillageClass.MAJU
    assert sikonde.class_assessed_on == dt.date(2025, 9, 1)
    second = services.assessment_start(village=sikonde, year=2026)
    assert second.answers["homestay"] == {"score": 3, "note": "catatan homestay", "evidence": ""}
    assert services.assessment_start(village=sikonde, year=2026).pk == second.pk


def test_the_assessment_page_is_the_managers_and_the_offices_only(
    client: Client, sikonde: TourismVillage, pokdarwis: User, other_manager: User, disparpora: User
) -> None:
    year = timezone.localdate().year
    url = f"/kabupaten-serang/wisata/kelola/desa/{sikonde.pk}/penilaian/{year}/"
    client.force_login(other_manager)
    assert client.get(url).status_code == 404
    client.force_login(pokdarwis)
    page = client.get(url)
    assert page.status_code == 200 and "Homestay" in page.text
    data = {f"{code}__score": "4" for code in ADWI_CATEGORIES} | {"submit": "1"}
    assert client.post(url, data).status_code == 302
    client.force_login(disparpora)
    assert client.post(url, {"review": "1", "village_class": "mandiri"}).status_code == 302
    sikonde.refresh_from_db()
    assert sikonde.village_class == VillageClass.MANDIRI
