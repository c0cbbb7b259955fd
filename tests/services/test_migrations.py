"""The audit trail's move onto the lifecycle kit keeps every existing row (issue #9.1)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("services", "0003_fill_seeded_english_forms")]
AFTER = [("services", "0005_event_lifecycle_fields")]


@pytest.mark.django_db(transaction=True)
def test_existing_events_survive_with_their_tenant_time_and_states(
    serang_after_flush: None,
) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    tenant = old.get_model("tenants", "Tenant").objects.get(region_id="36.73")
    opd = old.get_model("tenants", "Opd").objects.filter(tenant=tenant).first()
    user = old.get_model("accounts", "User").objects.create(username="pemohon-lama")
    service = old.get_model("services", "Service").objects.create(
        tenant=tenant, opd=opd, code="lama", name="Layanan lama", description="-"
    )
    application = old.get_model("services", "Application").objects.create(
        tenant=tenant, service=service, applicant=user, status="submitted", number="LAMA-1"
    )
    at = dt.datetime(2026, 1, 5, 3, 0, tzinfo=dt.UTC)
    old.get_model("services", "Event").objects.create(
        application=application,
        at=at,
        action="submit",
        from_status="draft",
        to_status="submitted",
        note="catatan lama",
        public=True,
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    [event] = new.get_model("services", "Event").objects.filter(application_id=application.pk)
    assert event.tenant_id == tenant.pk
    assert (event.created_at, event.from_state, event.to_state) == (at, "draft", "submitted")
    assert (event.action, event.note, event.public, event.data) == (
        "submit",
        "catatan lama",
        True,
        {},
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_stored_notice_sentences_become_keys_read_in_the_readers_language(
    serang_after_flush: None,
) -> None:
    from django.utils import translation

    before = [("services", "0009_status_labels_being_verified_result_ready")]
    after = [("services", "0010_notice_message_key_and_params")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    tenant = old.get_model("tenants", "Tenant").objects.get(region_id="36.73")
    opd = old.get_model("tenants", "Opd").objects.filter(tenant=tenant).first()
    user = old.get_model("accounts", "User").objects.create(username="pemohon-lama")
    service = old.get_model("services", "Service").objects.create(
        tenant=tenant, opd=opd, code="lama", name="Layanan lama", description="-"
    )
    application = old.get_model("services", "Application").objects.create(
        tenant=tenant, service=service, applicant=user, status="rejected", number="LAMA-2"
    )
    notices = old.get_model("services", "Notice").objects
    at = dt.datetime(2026, 1, 5, 3, 0, tzinfo=dt.UTC)
    for message in (
        "Permohonan Anda ditolak. Alasan: NIK tidak cocok",
        "Permohonan Anda perlu diperbaiki:\nFoto buram\nbaris dua\nPerbaiki lalu ajukan ulang.",
        "Pesan lain yang tidak dikenal",
    ):
        notices.create(user=user, application=application, message=message, created_at=at)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    from kotacerdas.services.models import Notice

    rows = {n.message_key: n for n in Notice.objects.filter(user_id=user.pk)}
    assert rows["reject"].params == {"reason": "NIK tidak cocok"}
    assert rows["request_revision"].params == {"reason": "Foto buram\nbaris dua"}
    assert rows["text"].text == "Pesan lain yang tidak dikenal"
    with translation.override("en"):
        assert rows["reject"].text.startswith("Your application was rejected")
