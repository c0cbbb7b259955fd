"""Health rules, state changes, notifications once each way, outage tickets and uptime."""

from __future__ import annotations

import datetime as dt

import pytest

from kotacerdas.notifications.models import Notification
from kotacerdas.tenants.models import Opd, Tenant
from kotacerdas.wifi import selectors
from kotacerdas.wifi.models import Check, Health, HealthRule, Hotspot, OutageTicket
from kotacerdas.wifi.services import (
    CheckResult,
    check_record,
    evaluate,
    rules_for,
    settings_for,
    tickets_open_due,
)

ANSWERS = CheckResult(loss_pct=0.0, rtt_ms=12.0, tcp_ok=True, http_status=200)
SILENT = CheckResult(
    loss_pct=100.0, rtt_ms=None, tcp_ok=False, http_status=None, error="http: ConnectTimeout"
)
LOSSY = CheckResult(loss_pct=40.0, rtt_ms=30.0, tcp_ok=True, http_status=200)


def test_default_rules_grade_a_check(kota: Tenant) -> None:
    rules = rules_for(kota)
    assert evaluate(ANSWERS, 0, rules) == Health.OK
    assert evaluate(LOSSY, 0, rules) == Health.PROBLEM
    assert evaluate(SILENT, 1, rules) == Health.PROBLEM
    assert evaluate(SILENT, 3, rules) == Health.CRITICAL
    slow = CheckResult(loss_pct=0.0, rtt_ms=750.0, tcp_ok=True, http_status=200)
    assert evaluate(slow, 0, rules) == Health.PROBLEM
    broken_portal = CheckResult(loss_pct=0.0, rtt_ms=10.0, tcp_ok=True, http_status=503)
    assert evaluate(broken_portal, 0, rules) == Health.PROBLEM


def test_a_tenant_rule_replaces_the_default_for_its_metric(kota: Tenant, kab: Tenant) -> None:
    HealthRule.objects.create(tenant=kota, metric="down_streak", threshold=2, health="CRITICAL")
    assert evaluate(SILENT, 2, rules_for(kota)) == Health.CRITICAL
    assert evaluate(SILENT, 2, rules_for(kab)) == Health.PROBLEM


def _keys(hotspot: Hotspot) -> list[str]:
    return list(
        Notification.objects.filter(key__startswith="wifi:event:").values_list("key", flat=True)
    )


def test_going_down_and_back_notify_the_responsible_staff_once_each(
    kota: Tenant, alun: Hotspot, frozen: dt.datetime
) -> None:
    alun.opd = Opd.objects.get(tenant=kota, acronym="Diskominfo")
    alun.save()
    at = frozen
    check_record(hotspot_id=alun.pk, result=ANSWERS, now=at)
    for minute in (5, 10, 15, 20):  # three silent checks make it CRITICAL; the fourth repeats
        at = frozen + dt.timedelta(minutes=minute)
        hotspot = check_record(hotspot_id=alun.pk, result=SILENT, now=at)
    assert hotspot.health == Health.CRITICAL
    down = Notification.objects.filter(message_key="wifi.point_down", key__startswith="wifi:event:")
    # the operator of Diskominfo Kota Serang, by email and in the app: once, not per check
    assert down.count() == 2
    assert {n.user.username for n in down if n.user} == {"diskominfo-kota"}
    check_record(hotspot_id=alun.pk, result=ANSWERS, now=at + dt.timedelta(minutes=5))
    check_record(hotspot_id=alun.pk, result=ANSWERS, now=at + dt.timedelta(minutes=10))
    back = Notification.objects.filter(message_key="wifi.point_up")
    assert back.count() == 2
    states = list(alun.events.exclude(to_state="").values_list("from_state", "to_state"))
    assert states == [
        ("UNKNOWN", "OK"),
        ("OK", "PROBLEM"),
        ("PROBLEM", "CRITICAL"),
        ("CRITICAL", "OK"),
    ]
    assert Check.objects.filter(hotspot=alun).count() == 7


def test_a_point_critical_too_long_gets_one_ticket_to_its_provider_closed_on_recovery(
    kota: Tenant, alun: Hotspot, frozen: dt.datetime
) -> None:
    settings = settings_for(kota)
    settings.ticket_after_minutes = 60
    settings.save()
    for minute in (0, 5, 10):
        check_record(hotspot_id=alun.pk, result=SILENT, now=frozen + dt.timedelta(minutes=minute))
    assert tickets_open_due(now=frozen + dt.timedelta(minutes=30)) == []
    later = frozen + dt.timedelta(minutes=75)
    opened = tickets_open_due(now=later)
    assert len(opened) == 1
    assert tickets_open_due(now=later + dt.timedelta(minutes=5)) == []  # no second ticket
    mail = Notification.objects.get(key=f"wifi:ticket:{opened[0].pk}:opened")
    assert mail.email == "noc@jaringan-uji.example"
    assert "Alun-alun Uji" in mail.title
    check_record(hotspot_id=alun.pk, result=ANSWERS, now=later + dt.timedelta(minutes=10))
    ticket = OutageTicket.objects.get(pk=opened[0].pk)
    assert ticket.closed_at == later + dt.timedelta(minutes=10)
    assert Notification.objects.filter(key=f"wifi:ticket:{ticket.pk}:closed").exists()


def test_uptime_is_the_share_of_a_months_checks_that_answered(
    kota: Tenant, alun: Hotspot, frozen: dt.datetime
) -> None:
    start, end = selectors.month_bounds(2026, 11)
    # 8 checks in November, 6 answered; one in October and one in December do not count
    for i in range(8):
        result = SILENT if i in (2, 3) else ANSWERS
        check_record(hotspot_id=alun.pk, result=result, now=start + dt.timedelta(hours=i))
    check_record(hotspot_id=alun.pk, result=SILENT, now=start - dt.timedelta(minutes=1))
    check_record(hotspot_id=alun.pk, result=SILENT, now=end)
    rows = selectors.figures_by_point(kota, start, end, target_pct=95.0)
    row = next(r for r in rows if r.hotspot.pk == alun.pk)
    assert row.checks == 8
    assert row.uptime_pct == pytest.approx(75.0)
    assert row.below_target
    assert selectors.uptime_share(kota, start, end) == pytest.approx(75.0)
    empty_start, empty_end = selectors.month_bounds(2026, 6)
    assert selectors.uptime_share(kota, empty_start, empty_end) is None
