"""Planning's migrations keep every row: the audit trail moved onto the lifecycle kit (issue
#9.1), reports labelled from their dates when read (#11.6)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

BEFORE = [("planning", "0002_seed_national_dimensions")]
AFTER = [("planning", "0005_auditevent_lifecycle_fields")]


def _migrate(target: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


def _old_rows(old: Any) -> dict[str, Any]:
    tenant = old.get_model("tenants", "Tenant").objects.get(region_id="36.73")
    user = old.get_model("accounts", "User").objects.create(username="perencana-lama")
    opd = old.get_model("tenants", "Opd").objects.filter(tenant=tenant).first()
    dimension = old.get_model("planning", "Dimension").objects.create(code="uji", name="Uji")
    element = old.get_model("planning", "Element").objects.create(
        dimension=dimension, code="uji-satu", name="Uji satu"
    )
    programme = old.get_model("planning", "Programme").objects.create(
        tenant=tenant,
        name="Program lama",
        dimension=dimension,
        element=element,
        term="short",
        lead_opd=opd,
        start_year=2024,
        end_year=2026,
        reporting_from=dt.date(2024, 1, 1),
    )
    report = old.get_model("planning", "ProgressReport").objects.create(
        tenant=tenant,
        programme=programme,
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2024, 3, 31),
        period_label="2024-T1",
        physical_progress=10,
        budget_realised=0,
        achievements="Mulai",
        created_by=user,
    )
    evidence = old.get_model("planning", "Evidence").objects.create(
        pk=report.pk + 1000,  # no file shares its report's id, as in a used database
        report=report,
        file="planning/evidence/bukti.pdf",
        original_name="bukti.pdf",
        content_type="application/pdf",
        size=10,
        uploaded_by=user,
    )
    events = old.get_model("planning", "AuditEvent").objects

    def event(verb: str, obj_type: str, obj_id: int, **fields: Any) -> int:
        row = events.create(
            tenant=tenant, actor=user, verb=verb, object_type=obj_type, object_id=obj_id, **fields
        )
        return int(row.pk)

    return {
        "tenant": tenant.pk,
        "user": user.pk,
        "programme": programme.pk,
        "report": report.pk,
        "evidence": evidence.pk,
        "created": event("programme_create", "programme", programme.pk),
        "submitted": event(
            "report_submit",
            "progressreport",
            report.pk,
            from_state="draft",
            to_state="submitted",
            note="Siap",
        ),
        "evidence_added": event("evidence_add", "evidence", evidence.pk, note="bukti.pdf"),
        "evidence_gone": event("evidence_add", "evidence", 999_999, note="hilang.pdf"),
    }


@pytest.mark.django_db(transaction=True)
def test_audit_rows_move_onto_the_kit_and_back(serang_after_flush: None) -> None:
    old = _migrate(BEFORE)
    ids = _old_rows(old)
    old_rows = sorted(
        old.get_model("planning", "AuditEvent").objects.values_list(
            "pk", "verb", "object_type", "object_id", "from_state", "to_state", "note", "at"
        )
    )

    new = _migrate(AFTER)
    types = new.get_model("contenttypes", "ContentType").objects.filter(app_label="planning")
    report_type = types.get(model="progressreport").pk
    events = new.get_model("planning", "AuditEvent").objects
    assert events.count() == 4
    submitted = events.get(pk=ids["submitted"])
    assert (submitted.action, submitted.from_state, submitted.to_state, submitted.note) == (
        "submit",
        "draft",
        "submitted",
        "Siap",
    )
    assert (submitted.subject_type_id, submitted.subject_id) == (report_type, ids["report"])
    assert (submitted.tenant_id, submitted.actor_id) == (ids["tenant"], ids["user"])
    created = events.get(pk=ids["created"])
    assert created.subject_type_id == types.get(model="programme").pk
    assert (created.action, created.subject_id) == ("programme_create", ids["programme"])
    # An evidence file's row now belongs to its report, with the file's id in data.
    added = events.get(pk=ids["evidence_added"])
    assert (added.subject_type_id, added.subject_id) == (report_type, ids["report"])
    assert added.data == {"evidence": ids["evidence"]}
    # A row about a file that no longer exists stays about it.
    gone = events.get(pk=ids["evidence_gone"])
    assert (gone.subject_type_id, gone.subject_id) == (types.get(model="evidence").pk, 999_999)
    assert [e.pk for e in events.filter(subject_type_id=report_type, subject_id=ids["report"])] == [
        ids["submitted"],
        ids["evidence_added"],
    ]

    back = _migrate(BEFORE)
    assert (
        sorted(
            back.get_model("planning", "AuditEvent").objects.values_list(
                "pk", "verb", "object_type", "object_id", "from_state", "to_state", "note", "at"
            )
        )
        == old_rows
    )
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_reports_keep_their_rows_when_the_period_label_is_made_when_read(
    serang_after_flush: None,
) -> None:
    before = [("planning", "0007_english_descriptions_and_kpi_names")]
    after = [("planning", "0008_report_period_label_when_read")]
    old = _migrate(before)
    tenant = old.get_model("tenants", "Tenant").objects.get(region_id="36.73")
    user = old.get_model("accounts", "User").objects.create(username="perencana-lama")
    dimension = old.get_model("planning", "Dimension").objects.get(code="governance")
    programme = old.get_model("planning", "Programme").objects.create(
        tenant=tenant,
        name="Program lama",
        dimension=dimension,
        element=dimension.elements.first(),
        term="short",
        lead_opd=old.get_model("tenants", "Opd").objects.filter(tenant=tenant).first(),
        start_year=2024,
        end_year=2026,
        reporting_from=dt.date(2024, 1, 1),
    )
    reports = old.get_model("planning", "ProgressReport").objects
    for start, end, label in [
        (dt.date(2024, 1, 1), dt.date(2024, 3, 31), "2024-T1"),
        (dt.date(2024, 4, 1), dt.date(2024, 4, 30), "2024-04"),
    ]:
        reports.create(
            tenant=tenant,
            programme=programme,
            period_start=start,
            period_end=end,
            period_label=label,
            physical_progress=10,
            budget_realised=0,
            achievements="Mulai",
            created_by=user,
        )

    _migrate(after)
    from kotacerdas.planning.models import ProgressReport

    kept = ProgressReport.objects.filter(programme_id=programme.pk).order_by("period_start")
    with translation.override("en"):
        assert [r.period_label for r in kept] == ["Quarter 1 2024", "2024-04"]
    with translation.override("id"):
        assert [r.period_label for r in kept] == ["Triwulan 1 2024", "2024-04"]

    back = _migrate(before)
    labels = back.get_model("planning", "ProgressReport").objects.filter(programme_id=programme.pk)
    assert sorted(labels.values_list("period_label", flat=True)) == ["2024-04", "2024-T1"]
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
