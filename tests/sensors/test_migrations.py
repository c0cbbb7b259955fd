"""Migration 0004 (#11.6): alerts that stored the default name of an unnamed rate-of-rise
level, in whichever language ingestion ran, store none; every other alert keeps its name."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("sensors", "0003_alertevent_on_the_lifecycle_kit")]


@pytest.mark.django_db(transaction=True)
def test_stored_default_level_names_are_emptied_and_named_levels_kept(
    serang_after_flush: None,
) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    tenant = old.get_model("tenants", "Tenant").objects.get(region_id="36.73")
    device = old.get_model("sensors", "Device").objects.create(
        tenant=tenant,
        uid="pos-uji-migrasi",
        name="Pos uji",
        kind="water_level",
        token_hash="x" * 64,
        token_prefix="uji",
    )
    rule_model = old.get_model("sensors", "AlertRule")
    alert_model = old.get_model("sensors", "Alert")
    unnamed = rule_model.objects.create(
        tenant=tenant,
        name="Naik",
        kind="water_level",
        quantity="water_level",
        rule_type="rate_of_rise",
        levels=[],
    )
    named = rule_model.objects.create(
        tenant=tenant,
        name="Naik cepat",
        kind="water_level",
        quantity="water_level",
        rule_type="rate_of_rise",
        levels=[{"code": "naik", "name": "Kenaikan cepat"}],
    )
    at = dt.datetime(2026, 1, 5, 3, 0, tzinfo=dt.UTC)
    rows = [(unnamed, "Kenaikan cepat"), (unnamed, "Rapid rise"), (named, "Kenaikan cepat")]
    ids = []
    for i, (rule, name) in enumerate(rows):
        ids.append(
            alert_model.objects.create(
                tenant=tenant,
                rule=rule,
                device=device,
                status="closed",
                level=f"rate{i}",
                level_name=name,
                value=1,
                peak=1,
                opened_at=at,
            ).pk
        )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    from kotacerdas.sensors.models import Alert

    names = dict(Alert.objects.filter(pk__in=ids).values_list("pk", "level_name"))
    assert [names[pk] for pk in ids] == ["", "", "Kenaikan cepat"]
