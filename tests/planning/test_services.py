from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import translation
from pytest_django import Settings

from kotacerdas.accounts.models import User
from kotacerdas.core.errors import DomainError, InvalidTransition, PermissionDenied
from kotacerdas.notifications.services import deliver_due
from kotacerdas.planning.models import (
    Dimension,
    Element,
    Masterplan,
    Programme,
    ProgressReport,
    Reminder,
)
from kotacerdas.planning.periods import Period, ended_periods, period_containing
from kotacerdas.planning.selectors import events_of, overdue_reports
from kotacerdas.planning.services import (
    BudgetIn,
    KpiIn,
    evidence_add,
    masterplan_save,
    report_save,
    report_transition,
)
from kotacerdas.tenants.models import Tenant

from .conftest import make_programme


def _tiny_png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, format="PNG")
    return out.getvalue()


pytestmark = pytest.mark.django_db
Q1 = period_containing(dt.date(2026, 2, 1), "quarterly")


def file_report(
    programme: Programme, user: User, period: Period = Q1, **extra: Any
) -> ProgressReport:
    data: dict[str, Any] = {
        "physical_progress": Decimal(40),
        "budget_realised": Decimal(120_000_000),
        "achievements": "Aplikasi Rabeg dirilis",
        "challenges": "Literasi digital warga",
        "obstacles": "Jaringan di kecamatan",
        "actuals": {programme.kpis.get().pk: Decimal(72)},
    }
    data.update(extra)
    return report_save(programme=programme, actor=user, period=period, **data)


def test_six_national_dimensions_with_three_elements_each_exist_without_demo_data() -> None:
    assert Dimension.objects.count() == 6
    assert all(d.elements.count() == 3 for d in Dimension.objects.all())
    assert Element.objects.get(code="environment-waste").dimension.name == "Smart Environment"


def test_masterplan_terms_divide_the_ten_year_horizon(masterplan: Masterplan) -> None:
    assert [(t, a, b) for t, _l, a, b in masterplan.term_ranges()] == [
        ("short", 2023, 2024),
        ("medium", 2025, 2027),
        ("long", 2028, 2032),
    ]


def test_masterplan_refuses_terms_out_of_order(kota: Tenant, admin_kota: User) -> None:
    with pytest.raises(DomainError, match="tidak runtut"):
        masterplan_save(
            tenant=kota,
            actor=admin_kota,
            title="x",
            vision="v",
            mission="m",
            strategy="",
            start_year=2023,
            short_term_end=2028,
            medium_term_end=2027,
        )


def test_only_region_admin_of_the_tenant_saves_the_masterplan(
    kota: Tenant, ani: User, admin_kab: User
) -> None:
    for user in (ani, admin_kab):
        with pytest.raises(PermissionDenied):
            masterplan_save(
                tenant=kota,
                actor=user,
                title="x",
                vision="v",
                mission="m",
                strategy="",
                start_year=2023,
                short_term_end=2024,
                medium_term_end=2027,
            )


def test_programme_keeps_budget_kpi_targets_partners_and_audit(programme: Programme) -> None:
    assert sum(b.amount for b in programme.budget_lines.all()) == 500_000_000
    kpi = programme.kpis.get()
    assert {t.year: t.value for t in kpi.targets.all()} == {2026: 80, 2027: 90}
    assert programme.partners.get().kind == "academia"
    assert [e.action for e in events_of(programme)] == ["programme_create"]


def test_programme_rejects_element_of_another_dimension_and_budget_outside_its_years(
    kota: Tenant, masterplan: Masterplan
) -> None:
    with pytest.raises(DomainError, match="bukan bagian"):
        make_programme(kota, element=Element.objects.get(code="environment-waste"))
    with pytest.raises(DomainError, match="di luar masa program"):
        make_programme(kota, name="Lain", budget=[BudgetIn(2030, "apbd", Decimal(1))])
    with pytest.raises(DomainError, match="sekali"):
        make_programme(kota, name="Dobel", budget=[BudgetIn(2026, "apbd", Decimal(1))] * 2)


def test_programme_rejects_opd_of_another_tenant(
    kota: Tenant, kab: Tenant, masterplan: Masterplan
) -> None:
    from kotacerdas.tenants.models import Opd

    with pytest.raises(DomainError, match="OPD"):
        make_programme(kota, lead_opd=Opd.objects.get(tenant=kab, acronym="Diskominfo"))


def test_editing_a_kpi_by_pk_keeps_its_actuals(programme: Programme, ani: User) -> None:
    with time_machine.travel(dt.datetime(2026, 4, 5, 9, tzinfo=dt.UTC)):
        report = file_report(programme, ani)
    kpi = programme.kpis.get()
    make_programme(
        programme.tenant,
        programme=programme,
        kpis=[KpiIn("Aduan ditindaklanjuti (%)", "%", Decimal(60), pk=kpi.pk)],
    )
    assert report.actuals.get().kpi.name == "Aduan ditindaklanjuti (%)"


@time_machine.travel(dt.datetime(2026, 4, 5, 9, tzinfo=dt.UTC))
def test_operator_of_lead_opd_files_submits_and_admin_approves(
    programme: Programme, ani: User, admin_kota: User
) -> None:
    report = file_report(programme, ani)
    assert report.status == "draft"
    assert report.actuals.get().value == 72
    report = report_transition(report=report, actor=ani, action="submit")
    report = report_transition(report=report, actor=admin_kota, action="approve")
    assert report.status == "approved"
    assert [(e.action, e.from_state, e.to_state, e.actor) for e in events_of(report)] == [
        ("report_create", "", "", ani),
        ("submit", "draft", "submitted", ani),
        ("approve", "submitted", "approved", admin_kota),
    ]


@time_machine.travel(dt.datetime(2026, 4, 5, 9, tzinfo=dt.UTC))
def test_operator_of_another_opd_cannot_file_and_operator_cannot_approve(
    programme: Programme, ani: User, budi: User, citra: User
) -> None:
    for outsider in (budi, citra):
        with pytest.raises(PermissionDenied):
            file_report(programme, outsider)
    report = report_transition(report=file_report(programme, ani), actor=ani, action="submit")
    with pytest.raises(PermissionDenied):
        report_transition(report=report, actor=ani, action="approve")


@time_machine.travel(dt.datetime(2026, 4, 5, 9, tzinfo=dt.UTC))
def test_returned_report_needs_a_reason_and_can_be_corrected_and_resubmitted(
    programme: Programme, ani: User, admin_kota: User
) -> None:
    report = report_transition(report=file_report(programme, ani), actor=ani, action="submit")
    with pytest.raises(DomainError, match="alasan"):
        report_transition(report=report, actor=admin_kota, action="return")
    report = report_transition(
        report=report, actor=admin_kota, action="return", note="Lampirkan foto"
    )
    report = file_report(programme, ani, report=report, physical_progress=Decimal(45))
    report = report_transition(report=report, actor=ani, action="submit")
    assert report.status == "submitted"
    assert report.physical_progress == 45


@time_machine.travel(dt.datetime(2026, 4, 5, 9, tzinfo=dt.UTC))
def test_approved_report_cannot_be_edited_or_approved_twice(
    programme: Programme, ani: User, admin_kota: User
) -> None:
    report = report_transition(report=file_report(programme, ani), actor=ani, action="submit")
    report = report_transition(report=report, actor=admin_kota, action="approve")
    with pytest.raises(InvalidTransition):
        report_transition(report=report, actor=admin_kota, action="approve")
    with pytest.raises(DomainError, match="tidak dapat diubah"):
        file_report(programme, ani, report=report)


@time_machine.travel(dt.datetime(2026, 4, 5, 9, tzinfo=dt.UTC))
def test_report_validation_messages(programme: Programme, ani: User) -> None:
    with pytest.raises(DomainError, match="0 dan 100"):
        file_report(programme, ani, physical_progress=Decimal(101))
    with pytest.raises(DomainError, match="Capaian"):
        file_report(programme, ani, achievements="  ")
    with pytest.raises(DomainError, match="belum dimulai"):
        file_report(programme, ani, period=period_containing(dt.date(2026, 7, 1), "quarterly"))
    file_report(programme, ani)
    with pytest.raises(DomainError, match="sudah ada"):
        file_report(programme, ani)


@time_machine.travel(dt.datetime(2026, 4, 5, 9, tzinfo=dt.UTC))
def test_evidence_is_checked_by_content_and_kept_in_private_storage(
    programme: Programme, ani: User, settings: Settings
) -> None:
    report = file_report(programme, ani)
    evidence = evidence_add(
        report=report,
        actor=ani,
        # A real (tiny) PNG: core.uploads reads an image's header to count its pixels.
        upload=SimpleUploadedFile("foto.png", _tiny_png()),
    )
    assert evidence.file.storage.location == str(settings.PRIVATE_MEDIA_ROOT)
    evidence.file.delete(save=False)
    assert evidence.content_type == "image/png"
    with pytest.raises(DomainError, match="tidak sesuai"):
        evidence_add(
            report=report, actor=ani, upload=SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf")
        )
    with pytest.raises(DomainError, match="tidak diterima"):
        evidence_add(report=report, actor=ani, upload=SimpleUploadedFile("x.exe", b"MZ"))


def test_quarterly_and_monthly_periods() -> None:
    assert [
        p.label for p in ended_periods(dt.date(2026, 2, 10), dt.date(2026, 7, 1), "quarterly")
    ] == ["Triwulan 1 2026", "Triwulan 2 2026"]
    assert [
        p.label for p in ended_periods(dt.date(2026, 1, 1), dt.date(2026, 3, 15), "monthly")
    ] == ["2026-01", "2026-02"]
    assert period_containing(dt.date(2024, 2, 29), "monthly").end == dt.date(2024, 2, 29)
    with translation.override("en"):
        assert period_containing(dt.date(2026, 5, 1), "quarterly").label == "Quarter 2 2026"


def test_overdue_reports_flagged_and_reminders_sent_once(
    kota: Tenant, programme: Programme, ani: User
) -> None:
    with time_machine.travel(dt.datetime(2026, 4, 20, 2, tzinfo=dt.UTC)):
        overdue = overdue_reports(kota, dt.date(2026, 4, 20))
        assert [(o.programme.name, o.period.label, o.due) for o in overdue] == [
            ("Rabeg", "Triwulan 1 2026", dt.date(2026, 4, 10))
        ]
        call_command("send_planning_reminders", stdout=_Sink())
        assert mail.outbox == []  # without --commit nothing is sent
        call_command("send_planning_reminders", "--commit", stdout=_Sink())
        call_command("send_planning_reminders", "--commit", stdout=_Sink())
        assert mail.outbox == [], "queued in the outbox, not sent inside the transaction"
        deliver_due()
        deliver_due()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [ani.email]
    assert "Triwulan 1 2026" in mail.outbox[0].subject
    assert Reminder.objects.count() == 1


@time_machine.travel(dt.datetime(2026, 4, 20, 2, tzinfo=dt.UTC))
def test_submitted_report_is_no_longer_overdue(
    kota: Tenant, programme: Programme, ani: User
) -> None:
    report_transition(report=file_report(programme, ani), actor=ani, action="submit")
    assert overdue_reports(kota, dt.date(2026, 4, 20)) == []
    assert ProgressReport.objects.get().submitted_at is not None


class _Sink:
    def write(self, _text: str) -> None:
        pass

    def flush(self) -> None:
        pass
