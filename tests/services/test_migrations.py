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
