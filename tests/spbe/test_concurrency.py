"""Two people at once: the assessment row lock makes a level change wait for a concurrent
finalization, which then refuses it (PostgreSQL: SQLite serialises writers anyway)."""

from __future__ import annotations

import importlib
import threading

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.db import connection, transaction

from kotacerdas.core.errors import Conflict
from kotacerdas.spbe import services
from kotacerdas.spbe.models import Assessment
from kotacerdas.tenants.models import Tenant
from tests.conftest import account
from tests.spbe.conftest import vector

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="row locks need PostgreSQL",
    ),
]


def _wait_until_a_backend_waits_for_a_lock() -> None:
    """Proves the level change is blocked on the row lock before finalization goes on."""
    with connection.cursor() as cursor:
        for _attempt in range(200):
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                return
            threading.Event().wait(0.05)
    pytest.fail("the level change never waited for the assessment lock")


def _reseed_framework() -> None:
    # A transactional test's flush also empties the national data the migration seeded.
    seed = importlib.import_module("kotacerdas.spbe.migrations.0002_seed_spbe_2020").seed
    seed(django_apps, None)


def test_a_level_change_waits_for_a_concurrent_finalization_and_is_refused(
    serang_after_flush: None,
) -> None:
    _reseed_framework()
    admin = account("admin-kab")
    kab = Tenant.objects.get(region_id="36.04")
    assessment = services.assessment_create(tenant=kab, year=2025, actor=admin)
    services.assessment_set_levels(assessment=assessment, levels=vector(3), actor=admin)

    locked = threading.Event()
    release = threading.Event()
    outcome: list[object] = []

    def finalize() -> None:
        try:
            with transaction.atomic():
                row = Assessment.objects.select_for_update().get(pk=assessment.pk)
                locked.set()
                release.wait(timeout=10)
                services.assessment_transition(assessment=row, action="finalize", actor=admin)
        finally:
            connection.close()

    def change_level() -> None:
        try:
            locked.wait(timeout=10)
            services.score_update(
                assessment=assessment, number=1, level=5, justification="", actor=admin
            )
            outcome.append("saved")
        except Conflict as exc:
            outcome.append(exc.code)
        finally:
            connection.close()

    first = threading.Thread(target=finalize)
    second = threading.Thread(target=change_level)
    first.start()
    second.start()
    locked.wait(timeout=10)
    _wait_until_a_backend_waits_for_a_lock()
    release.set()
    first.join(timeout=20)
    second.join(timeout=20)
    assert outcome == ["assessment_final"]
    assert assessment.scores.get(indicator__number=1).level == 3


def test_a_locked_assessment_does_not_hold_up_another_tenant_on_the_same_framework(
    serang_after_flush: None,
) -> None:
    """Every tenant's assessment points at the one national framework: locking an assessment
    must lock only its own row, or each tenant's edits queue behind every other tenant's."""
    _reseed_framework()
    kab = Tenant.objects.get(region_id="36.04")
    kota = Tenant.objects.get(region_id="36.73")
    held = services.assessment_create(tenant=kab, year=2025, actor=account("admin-kab"))
    other = services.assessment_create(tenant=kota, year=2025, actor=account("admin-kota"))
    locked = threading.Event()
    release = threading.Event()

    def hold_kab_lock() -> None:
        try:
            with transaction.atomic():
                services.score_update(
                    assessment=held, number=1, level=2, justification="", actor=account("admin-kab")
                )  # takes the row lock and keeps it until the transaction ends
                locked.set()
                release.wait(timeout=10)
        finally:
            connection.close()

    thread = threading.Thread(target=hold_kab_lock)
    thread.start()
    try:
        assert locked.wait(timeout=10)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")  # a wait fails instead of hanging
            services.score_update(
                assessment=other, number=1, level=4, justification="", actor=account("admin-kota")
            )
            services.assessment_create(tenant=kota, year=2026, actor=account("admin-kota"))
    finally:
        release.set()
        thread.join()
    assert other.scores.get(indicator__number=1).level == 4
