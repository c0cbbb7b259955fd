"""The assessment audit trail's move onto the lifecycle kit keeps every row (issue #9.1)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("spbe", "0002_seed_spbe_2020")]
AFTER = [("spbe", "0004_assessmentevent_lifecycle_fields")]


@pytest.mark.django_db(transaction=True)
def test_existing_assessment_events_survive_with_their_tenant(serang_after_flush: None) -> None:
    importlib.import_module("kotacerdas.spbe.migrations.0002_seed_spbe_2020").seed(
        django_apps, None
    )
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    tenant = old.get_model("tenants", "Tenant").objects.get(region_id="36.04")
    user = old.get_model("accounts", "User").objects.create(username="penilai-lama")
    framework = old.get_model("spbe", "Framework").objects.first()
    assessment = old.get_model("spbe", "Assessment").objects.create(
        tenant=tenant, framework=framework, year=2024
    )
    old.get_model("spbe", "AssessmentEvent").objects.create(
        assessment=assessment, actor=user, action="score", note="42: 3 -> 4"
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    [event] = new.get_model("spbe", "AssessmentEvent").objects.filter(assessment_id=assessment.pk)
    assert (event.tenant_id, event.actor_id, event.action) == (tenant.pk, user.pk, "score")
    assert event.note == "42: 3 -> 4" and event.created_at is not None and event.data == {}
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
