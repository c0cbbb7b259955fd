"""Alert rules under frozen time: levels with hysteresis and minimum duration, rate of rise,
the 112 incident (opened once, escalated in place) and closing after normal readings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from kotacerdas.emergency.models import DeskEvent, Incident
from kotacerdas.sensors.ingestion import RawReading, ingest
from kotacerdas.sensors.models import Alert, AlertEvent, AlertRule, RuleType
from kotacerdas.sensors.services import Registered, rule_save, rules_export, rules_import
from kotacerdas.tenants.models import Tenant
from tests.conftest import account
from tests.sensors.conftest import NOW

pytestmark = pytest.mark.django_db


def feed(device, *points: tuple[int, float]) -> None:  # type: ignore[no-untyped-def]
    """Readings at NOW + minutes."""
    ingest(
        [RawReading(device.pk, "water_level", v, NOW + dt.timedelta(minutes=m)) for m, v in points],
        now=NOW + dt.timedelta(hours=3),
    )


def test_one_noisy_reading_raises_nothing(
    post: Registered, siaga_rule: AlertRule, frozen: dt.datetime
) -> None:
    feed(post.device, (0, 100), (5, 240), (10, 100), (15, 110))
    assert not Alert.objects.exists()


def test_sustained_level_opens_after_minimum_duration(
    post: Registered, siaga_rule: AlertRule, frozen: dt.datetime
) -> None:
    feed(post.device, (0, 160), (5, 165))
    assert not Alert.objects.exists()  # 5 minutes < 10 minutes minimum
    feed(post.device, (10, 170))
    alert = Alert.objects.get()
    assert (alert.level, alert.opened_at, alert.incident_id) == (
        "siaga3",
        NOW + dt.timedelta(minutes=10),
        None,
    )
    assert not Incident.objects.filter(source_key__startswith="sensors:").exists()


def test_siaga_two_opens_one_incident_and_siaga_one_escalates_it(
    post: Registered, siaga_rule: AlertRule, frozen: dt.datetime
) -> None:
    feed(post.device, (0, 210), (10, 215))
    alert = Alert.objects.get()
    assert alert.level == "siaga2"
    assert alert.incident_id is not None
    incident = Incident.objects.get(pk=alert.incident_id)
    assert incident.tenant_id == post.device.tenant_id
    assert "Siaga II" in incident.description_text
    feed(post.device, (20, 260), (30, 270))
    alert.refresh_from_db()
    assert (alert.level, alert.incident_id) == ("siaga1", incident.pk)
    assert Incident.objects.filter(source_key=f"sensors:alert:{alert.pk}").count() == 1
    assert list(AlertEvent.objects.filter(subject=alert).values_list("action", flat=True)) == [
        "opened",
        "escalated",
    ]
    # replaying the same readings (a retry) changes nothing
    feed(post.device, (20, 260), (30, 270))
    assert Incident.objects.filter(source_key=f"sensors:alert:{alert.pk}").count() == 1
    assert AlertEvent.objects.filter(subject=alert).count() == 2


def test_an_alert_incident_reads_in_the_language_of_whoever_reads_it(
    client: Client, post: Registered, siaga_rule: AlertRule, frozen: dt.datetime
) -> None:
    feed(post.device, (0, 210.5), (10, 215.5))
    feed(post.device, (20, 100), (60, 100))  # normal for 40 minutes: the alert closes
    alert = Alert.objects.get()
    incident = Incident.objects.get(source_key=f"sensors:alert:{alert.pk}")
    # Stored as a key and its parameters, not as a sentence in one language.
    assert (incident.landmark, incident.description) == ("", "")
    assert incident.message_key == "sensors.incident"
    ended = DeskEvent.objects.get(incident=incident, action="alert_ended")
    assert ended.note == "" and ended.data["message"] == "sensors.incident_ended"

    client.force_login(account("dispatcher-kota"))
    url = reverse("emergency:incident", args=[post.device.tenant.slug, incident.pk])
    indonesian = client.get(url).content.decode()
    assert "Peringatan sensor: Pos Cibanten Kaujon — Siaga II" in indonesian
    assert "Pos Cibanten Kaujon mencapai Siaga II (nilai 215,5, puncak 215,5)." in indonesian
    assert "Peringatan sensor selesai: bacaan normal kembali (nilai 100)." in indonesian
    client.cookies["django_language"] = "en"
    english = client.get(url).content.decode()
    assert "Sensor alert: Pos Cibanten Kaujon — Siaga II" in english
    assert "Pos Cibanten Kaujon reached Siaga II (value 215.5, peak 215.5)." in english
    assert "Sensor alert over: readings are back to normal (value 100)." in english
    assert "mencapai" not in english and "bacaan normal" not in english
    board = client.get(reverse("emergency:board_fragment", args=[post.device.tenant.slug]))
    assert "Sensor alert: Pos Cibanten Kaujon — Siaga II" in board.content.decode()


def test_hysteresis_holds_the_level_and_close_needs_the_full_normal_duration(
    post: Registered, siaga_rule: AlertRule, frozen: dt.datetime
) -> None:
    feed(post.device, (0, 160), (10, 160))
    alert = Alert.objects.get()
    feed(post.device, (20, 145))  # below 150 but within the 10 cm hysteresis: still siaga3
    feed(post.device, (30, 135), (50, 130))  # normal for 20 minutes: not yet
    alert.refresh_from_db()
    assert alert.status == "open"
    feed(post.device, (55, 160), (60, 120), (89, 120))  # a relapse restarts the normal clock
    alert.refresh_from_db()
    assert alert.status == "open"
    feed(post.device, (90, 120))
    alert.refresh_from_db()
    assert (alert.status, alert.closed_at) == ("closed", NOW + dt.timedelta(minutes=90))
    assert list(AlertEvent.objects.filter(subject=alert).values_list("action", flat=True)) == [
        "opened",
        "closed",
    ]


def rate_of_rise_rule(tenant: Tenant, levels: list[dict[str, object]]) -> None:
    """+30 cm within 30 minutes, for every water-level post of ``tenant``."""
    rule_save(
        tenant=tenant,
        device=None,
        data={
            "name": "Naik cepat",
            "kind": "water_level",
            "quantity": "water_level",
            "rule_type": RuleType.RATE_OF_RISE,
            "rise": 30,
            "window": 1800,
            "levels": levels,
            "clear_duration": 600,
        },
    )


def test_rate_of_rise(kota: Tenant, post: Registered, frozen: dt.datetime) -> None:
    rate_of_rise_rule(kota, [{"code": "naik", "name": "Naik cepat", "incident": False}])
    feed(post.device, (0, 100), (10, 110), (20, 125))
    assert not Alert.objects.exists()  # +25 cm in 20 minutes
    feed(post.device, (25, 131))
    assert Alert.objects.get().level == "naik"  # +31 cm within 30 minutes


def test_rules_round_trip_as_json(
    kota: Tenant, kab: Tenant, post: Registered, siaga_rule: AlertRule
) -> None:
    exported = rules_export(tenant=kota)
    assert exported["rules"][0]["device"] == post.device.uid
    siaga_rule.levels = []
    siaga_rule.save()
    assert rules_import(tenant=kota, data=exported) == 1
    siaga_rule.refresh_from_db()
    assert [lvl["code"] for lvl in siaga_rule.levels] == ["siaga3", "siaga2", "siaga1"]
    from kotacerdas.core.errors import DomainError

    with pytest.raises(DomainError):
        rules_import(tenant=kab, data=exported)  # that device is not Kabupaten Serang's


def test_owner_opd_staff_are_notified_once_per_alert_event(
    kota: Tenant, post: Registered, siaga_rule: AlertRule, frozen: dt.datetime
) -> None:
    from kotacerdas.accounts.models import Role, User
    from kotacerdas.notifications.models import Notification

    officer = User.objects.create_user(
        username="bpbd-uji", password="x", role=Role.OPD_OPERATOR, tenant=kota, opd=post.device.opd
    )
    feed(post.device, (0, 210), (10, 215))
    feed(post.device, (0, 210), (10, 215))  # a retried batch
    notes = Notification.objects.filter(user=officer)
    assert notes.count() == 1
    assert "Pos Cibanten Kaujon" in notes.get().title


def test_an_unnamed_rate_of_rise_level_is_named_when_read(
    kota: Tenant, post: Registered, frozen: dt.datetime
) -> None:
    """A rate-of-rise rule without levels: ingested while English is active, the alert stores
    no name of its own, and each reader sees the default name in their language, on the
    alert and in the owner OPD's notice (#11.6)."""
    from django.utils import translation

    from kotacerdas.accounts.models import Role, User
    from kotacerdas.notifications.models import Notification

    officer = User.objects.create_user(
        username="bpbd-uji", password="x", role=Role.OPD_OPERATOR, tenant=kota, opd=post.device.opd
    )
    rate_of_rise_rule(kota, [])
    with translation.override("en"):
        feed(post.device, (0, 100), (10, 110), (20, 125), (25, 131))
    alert = Alert.objects.get()
    assert (alert.level, alert.level_name) == ("rate", "")
    notice = Notification.objects.get(user=officer)
    for language, name in (("id", "Kenaikan cepat"), ("en", "Rapid rise")):
        with translation.override(language):
            assert alert.level_label == name
            assert str(alert).endswith(name)
            assert notice.title.endswith(name)
