"""Incident categories have an English name (#11.6): every page, export and figure that names
an incident's kind shows it in the reader's language; open data keeps the Indonesian one."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from kotacerdas.accounts.models import User
from kotacerdas.emergency import reports
from kotacerdas.emergency.models import Incident, IncidentCategory
from kotacerdas.tenants.models import Tenant
from tests.emergency.test_alerts import open_alert


def reader(user: User, language: str) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


@pytest.mark.parametrize(("language", "name"), [("en", "Fire"), ("id", "Kebakaran")])
def test_the_desk_pages_name_the_kind_in_the_readers_language(
    kota: Tenant, fire: Incident, supervisor: User, language: str, name: str
) -> None:
    Incident.objects.filter(pk=fire.pk).update(latitude="-6.12", longitude="106.15")
    client = reader(supervisor, language)
    args = [kota.slug]
    listed = client.get(reverse("emergency:incident_list", args=args), {"jenis": "kebakaran"})
    assert listed.status_code == 200
    assert listed.content.decode().count(name) == 2  # the filter and the row
    calls = client.get(reverse("emergency:call_list", args=args)).content.decode()
    assert f"#{fire.pk}</a> · {name}</td>" in calls
    detail = client.get(reverse("emergency:incident", args=[kota.slug, fire.pk])).content.decode()
    assert f"{fire.number} · {name}" in detail
    board = client.get(reverse("emergency:board_map", args=args)).json()
    assert [i["category"] for i in board["incidents"] if i["id"] == fire.pk] == [name]
    local = timezone.localtime(fire.received_at)
    with translation.override(language):
        report = reports.build(kota, reports.Period.month(kota, local.year, local.month))
    assert (name, 1) in report.by_category


def test_a_category_without_an_english_name_reads_in_indonesian(
    kota: Tenant, fire: Incident, supervisor: User
) -> None:
    IncidentCategory.objects.filter(pk=fire.category_id).update(name_en="")
    local = timezone.localtime(fire.received_at)
    with translation.override("en"):
        report = reports.build(kota, reports.Period.month(kota, local.year, local.month))
        assert str(IncidentCategory.objects.get(pk=fire.category_id)) == "Kebakaran"
    assert ("Kebakaran", 1) in report.by_category


def test_the_sensor_alert_category_has_its_english_name(kota: Tenant) -> None:
    IncidentCategory.objects.filter(tenant=kota, code="peringatan-sensor").delete()
    incident = open_alert(kota, kind="unknown-kind")
    with translation.override("en"):
        assert str(incident.category) == "Sensor alert"
    with translation.override("id"):
        assert str(incident.category) == "Peringatan sensor"


@pytest.mark.django_db(transaction=True)
def test_the_migration_names_the_known_defaults_in_english_and_keeps_every_row(
    serang_after_flush: None,
) -> None:
    before = [("emergency", "0004_incident_message_key")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    tenant = old.get_model("tenants", "Tenant").objects.get(region_id="36.73")
    category_model = old.get_model("emergency", "IncidentCategory")
    rows = [
        ("peringatan-sensor", "Peringatan sensor"),  # the default: named
        ("kebakaran", "Kebakaran"),  # the default: named
        ("medis", "Gawat darurat medis"),  # renamed by the region: left alone
        ("rob", "Banjir rob"),  # the region's own: left alone
    ]
    for code, name in rows:
        category_model.objects.update_or_create(tenant=tenant, code=code, defaults={"name": name})
    count = category_model.objects.count()

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert IncidentCategory.objects.count() == count
    found = IncidentCategory.objects.filter(tenant_id=tenant.pk, code__in=[c for c, _n in rows])
    assert sorted(found.values_list("code", "name", "name_en")) == [
        ("kebakaran", "Kebakaran", "Fire"),
        ("medis", "Gawat darurat medis", ""),
        ("peringatan-sensor", "Peringatan sensor", "Sensor alert"),
        ("rob", "Banjir rob", ""),
    ]
