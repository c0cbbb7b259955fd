"""The desk's migrations keep every existing row: the audit trail moved onto the lifecycle kit
(issue #9.1), incidents given a message key (#11.6)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from kotacerdas.accounts.models import User

BEFORE = [("emergency", "0002_incident_from_sensor_alert")]
AFTER = [("emergency", "0003_desk_event_on_lifecycle_kit")]


@pytest.mark.django_db(transaction=True)
def test_existing_desk_events_keep_their_time_actor_and_states(serang_after_flush: None) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    tenant = old.get_model("tenants", "Tenant").objects.get(region_id="36.73")
    user = old.get_model("accounts", "User").objects.create(username="dispatcher-lama")
    category = old.get_model("emergency", "IncidentCategory").objects.create(
        tenant=tenant, code="kebakaran-lama", name="Kebakaran (lama)"
    )
    at = dt.datetime(2026, 1, 5, 3, 0, tzinfo=dt.UTC)
    incident = old.get_model("emergency", "Incident").objects.create(
        tenant=tenant,
        category=category,
        landmark="Pasar Rau",
        description="Kios terbakar",
        received_at=at,
        created_by=user,
    )
    old.get_model("emergency", "DeskEvent").objects.create(
        tenant=tenant,
        kind="step",
        incident=incident,
        action="dispatch",
        from_state="new",
        to_state="dispatched",
        actor=user,
        at=at,
        note="catatan lama",
        idempotency_key="lama-1",
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    [event] = new.get_model("emergency", "DeskEvent").objects.filter(incident_id=incident.pk)
    assert (event.created_at, event.actor_id, event.tenant_id) == (at, user.pk, tenant.pk)
    assert (event.kind, event.action, event.from_state, event.to_state) == (
        "step",
        "dispatch",
        "new",
        "dispatched",
    )
    assert (event.note, event.idempotency_key, event.public, event.data) == (
        "catatan lama",
        "lama-1",
        False,
        {},
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_alert_incidents_from_before_message_keys_keep_their_stored_text(
    serang_after_flush: None,
) -> None:
    before = [("emergency", "0003_desk_event_on_lifecycle_kit")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    tenant = old.get_model("tenants", "Tenant").objects.get(region_id="36.73")
    category = old.get_model("emergency", "IncidentCategory").objects.create(
        tenant=tenant, code="peringatan-lama", name="Peringatan sensor"
    )
    incident = old.get_model("emergency", "Incident").objects.create(
        tenant=tenant,
        category=category,
        landmark="Peringatan sensor: Pos Cibanten — Siaga II",
        description="Pos Cibanten mencapai Siaga II (nilai 210, puncak 210).",
        received_at=dt.datetime(2026, 1, 5, 3, 0, tzinfo=dt.UTC),
        source_key="sensors:alert:1",
        alert_level="Siaga II",
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    from kotacerdas.emergency.models import Incident

    migrated = Incident.objects.get(pk=incident.pk)
    assert (migrated.message_key, migrated.params) == ("", {})
    assert Incident.objects.filter(tenant_id=tenant.pk).count() == 1
    client = Client()
    client.force_login(User.objects.get(username="dispatcher-kota"))
    client.cookies["django_language"] = "en"
    page = client.get(
        reverse("emergency:incident", args=[tenant.slug, incident.pk])
    ).content.decode()
    assert "Pos Cibanten mencapai Siaga II (nilai 210, puncak 210)." in page
