"""Every write of the planning app. Each function runs in a transaction and writes an
``AuditEvent`` row through the lifecycle kit: a report moves with ``transition``, every other
write is ``record``ed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import Role, User
from kotacerdas.core.errors import DomainError, PermissionDenied
from kotacerdas.core.lifecycle import Lifecycle, lock, record, transition
from kotacerdas.core.uploads import evidence_check
from kotacerdas.core.workflow import Workflow
from kotacerdas.notifications.models import Channel
from kotacerdas.notifications.services import notify
from kotacerdas.notifications.texts import bilingual
from kotacerdas.planning import metrics
from kotacerdas.planning.access import can_manage, can_report_on
from kotacerdas.planning.models import (
    AuditEvent,
    BudgetLine,
    Dimension,
    DimensionScore,
    Element,
    Evaluation,
    Evidence,
    Kpi,
    KpiActual,
    KpiTarget,
    Masterplan,
    Partner,
    Programme,
    ProgressReport,
    ReadinessEntry,
    Reminder,
    ReportStatus,
)
from kotacerdas.planning.periods import Period
from kotacerdas.planning.scoring import COMPONENTS, validate_components, validate_weights
from kotacerdas.tenants.models import Opd, Tenant

REPORT_WORKFLOW = Workflow.build(
    "progress_report",
    [
        ("submit", [ReportStatus.DRAFT, ReportStatus.RETURNED], ReportStatus.SUBMITTED),
        ("approve", [ReportStatus.SUBMITTED], ReportStatus.APPROVED),
        ("return", [ReportStatus.SUBMITTED], ReportStatus.RETURNED),
    ],
    labels={
        "submit": "ajukan",
        "approve": "setujui",
        "return": "kembalikan",
        **{status.value: str(status.label) for status in ReportStatus},
    },
)
REVIEW_ACTIONS = frozenset({"approve", "return"})
# The report's lifecycle; the app's other writes are recorded in the same event table.
REPORT_LIFECYCLE = Lifecycle(workflow=REPORT_WORKFLOW, event_model=AuditEvent)


def _require_admin(actor: User, tenant: Tenant) -> None:
    if not can_manage(actor, tenant):
        raise PermissionDenied(_("Hanya administrator daerah yang boleh melakukan ini."))


@transaction.atomic
def masterplan_save(
    *,
    tenant: Tenant,
    actor: User | None,
    title: str,
    vision: str,
    mission: str,
    strategy: str,
    start_year: int,
    short_term_end: int,
    medium_term_end: int,
    horizon_years: int = 10,
    rpjmd_reference: str = "",
    reporting_frequency: str = "quarterly",
    report_due_days: int = 10,
) -> Masterplan:
    """Create or update the tenant's masterplan. ``actor`` None means a set-up script."""
    if actor is not None:
        _require_admin(actor, tenant)
    end_year = start_year + horizon_years - 1
    if not start_year <= short_term_end < medium_term_end < end_year:
        raise DomainError(
            _(
                "Rentang jangka tidak runtut: jangka pendek berakhir antara %(start)s dan akhir "
                "jangka menengah, yang berakhir sebelum %(end)s."
            )
            % {"start": start_year, "end": end_year},
            code="terms_out_of_order",
        )
    masterplan, created = Masterplan.objects.update_or_create(
        tenant=tenant,
        defaults={
            "title": title,
            "vision": vision,
            "mission": mission,
            "strategy": strategy,
            "start_year": start_year,
            "horizon_years": horizon_years,
            "short_term_end": short_term_end,
            "medium_term_end": medium_term_end,
            "rpjmd_reference": rpjmd_reference,
            "reporting_frequency": reporting_frequency,
            "report_due_days": report_due_days,
        },
    )
    record(
        masterplan,
        lifecycle=REPORT_LIFECYCLE,
        action="masterplan_create" if created else "masterplan_update",
        actor=actor,
    )
    return masterplan


@transaction.atomic
def readiness_entry_add(
    *, tenant: Tenant, actor: User | None, leg: str, kind: str, description: str, score: int
) -> ReadinessEntry:
    if actor is not None:
        _require_admin(actor, tenant)
    if not 1 <= score <= 5:
        raise DomainError(_("Skor kesiapan harus antara 1 dan 5."), code="score_out_of_range")
    entry = ReadinessEntry.objects.create(
        tenant=tenant, leg=leg, kind=kind, description=description, score=score
    )
    record(entry, lifecycle=REPORT_LIFECYCLE, action="readiness_add", actor=actor)
    return entry


@dataclass(frozen=True)
class PartnerIn:
    kind: str
    name: str


@dataclass(frozen=True)
class BudgetIn:
    year: int
    source: str
    amount: Decimal


@dataclass(frozen=True)
class KpiIn:
    name: str
    unit: str
    baseline: Decimal
    direction: str = "higher"
    metric: str = ""
    targets: dict[int, Decimal] = field(default_factory=dict)
    pk: int | None = None
    name_en: str = ""
    unit_en: str = ""


def _check_programme(
    *,
    tenant: Tenant,
    dimension: Dimension,
    element: Element,
    opds: list[Opd],
    start_year: int,
    end_year: int,
    budget: list[BudgetIn],
    kpis: list[KpiIn],
) -> None:
    if element.dimension_id != dimension.pk:
        raise DomainError(
            _("Elemen “%(element)s” bukan bagian dari dimensi %(dimension)s.")
            % {"element": element.name, "dimension": dimension.name},
            code="element_mismatch",
        )
    if any(opd.tenant_id != tenant.pk for opd in opds):
        raise DomainError(_("OPD harus milik pemerintah daerah ini."), code="foreign_opd")
    if end_year < start_year:
        raise DomainError(
            _("Tahun selesai tidak boleh sebelum tahun mulai."), code="years_out_of_order"
        )
    if len({(line.year, line.source) for line in budget}) != len(budget):
        raise DomainError(
            _("Setiap pasangan tahun dan sumber dana hanya boleh muncul sekali."),
            code="duplicate_budget",
        )
    for line in budget:
        if not start_year <= line.year <= end_year:
            raise DomainError(
                _("Anggaran tahun %(year)s di luar masa program (%(start)s–%(end)s).")
                % {"year": line.year, "start": start_year, "end": end_year},
                code="budget_year_out_of_range",
            )
    for kpi in kpis:
        if kpi.metric and kpi.metric not in metrics.registry():
            raise DomainError(
                _("Metrik platform “%(name)s” tidak tersedia.") % {"name": kpi.metric},
                code="unknown_metric",
            )


def _replace_kpis(programme: Programme, kpis: list[KpiIn]) -> None:
    kept: list[int] = []
    for item in kpis:
        kpi = programme.kpis.filter(pk=item.pk).first() if item.pk else None
        kpi = kpi or Kpi(programme=programme)
        kpi.name, kpi.unit, kpi.baseline = item.name, item.unit, item.baseline
        kpi.name_en, kpi.unit_en = item.name_en, item.unit_en
        kpi.direction, kpi.metric = item.direction, item.metric
        kpi.save()
        kept.append(kpi.pk)
        kpi.targets.all().delete()
        KpiTarget.objects.bulk_create(
            KpiTarget(kpi=kpi, year=year, value=value)
            for year, value in sorted(item.targets.items())
        )
    programme.kpis.exclude(pk__in=kept).delete()


@transaction.atomic
def programme_save(
    *,
    tenant: Tenant,
    actor: User | None,
    name: str,
    dimension: Dimension,
    element: Element,
    term: str,
    lead_opd: Opd,
    start_year: int,
    end_year: int,
    status: str = "planned",
    description: str = "",
    name_en: str = "",
    description_en: str = "",
    rpjmd_programme: str = "",
    reporting_from: dt.date | None = None,
    supporting_opds: list[Opd] | None = None,
    partners: list[PartnerIn] | None = None,
    budget: list[BudgetIn] | None = None,
    kpis: list[KpiIn] | None = None,
    programme: Programme | None = None,
    is_demo: bool = False,
) -> Programme:
    """Create ``programme`` (None) or replace its fields, partners, budget lines and KPIs.

    KPIs carrying a ``pk`` of this programme are updated in place (their actuals stay);
    KPIs left out are deleted.
    """
    if actor is not None:
        _require_admin(actor, tenant)
    _check_programme(
        tenant=tenant,
        dimension=dimension,
        element=element,
        opds=[lead_opd, *(supporting_opds or [])],
        start_year=start_year,
        end_year=end_year,
        budget=budget or [],
        kpis=kpis or [],
    )
    clash = Programme.objects.filter(tenant=tenant, name=name)
    if programme is not None:
        clash = clash.exclude(pk=programme.pk)
    if clash.exists():
        raise DomainError(_("Program dengan nama ini sudah ada."), code="duplicate_programme")

    created = programme is None
    if programme is None:
        programme = Programme(tenant=tenant)
    else:
        # Serialise concurrent edits of one programme.
        lock(programme)
    programme.name = name
    programme.name_en = name_en
    programme.description = description
    programme.description_en = description_en
    programme.dimension = dimension
    programme.element = element
    programme.term = term
    programme.status = status
    programme.lead_opd = lead_opd
    programme.rpjmd_programme = rpjmd_programme
    programme.start_year = start_year
    programme.end_year = end_year
    programme.is_demo = is_demo
    programme.reporting_from = (
        reporting_from or programme.reporting_from or timezone.localdate().replace(month=1, day=1)
    )
    programme.save()
    programme.supporting_opds.set([opd for opd in supporting_opds or [] if opd.pk != lead_opd.pk])

    programme.partners.all().delete()
    Partner.objects.bulk_create(
        Partner(programme=programme, kind=p.kind, name=p.name) for p in partners or []
    )
    programme.budget_lines.all().delete()
    BudgetLine.objects.bulk_create(
        BudgetLine(programme=programme, year=b.year, source=b.source, amount=b.amount)
        for b in budget or []
    )
    _replace_kpis(programme, kpis or [])
    record(
        programme,
        lifecycle=REPORT_LIFECYCLE,
        action="programme_create" if created else "programme_update",
        actor=actor,
    )
    return programme


def _check_period(programme: Programme, period: Period, today: dt.date) -> None:
    if period.start > today:
        raise DomainError(
            _("Periode %(label)s belum dimulai.") % {"label": period.label}, code="future_period"
        )
    if not programme.start_year <= period.start.year <= programme.end_year:
        raise DomainError(
            _("Periode %(label)s di luar masa program.") % {"label": period.label},
            code="period_out_of_range",
        )


def report_save(
    *,
    programme: Programme,
    actor: User,
    period: Period,
    physical_progress: Decimal,
    budget_realised: Decimal,
    achievements: str,
    challenges: str = "",
    obstacles: str = "",
    actuals: dict[int, Decimal] | None = None,
    report: ProgressReport | None = None,
) -> ProgressReport:
    """Create the period's draft report (``report`` None) or update a draft/returned one.

    KPIs fed by a platform metric take the metric's value whenever it has one. The metrics
    (other apps' KPIs, read from ``core.kpis``) are computed BEFORE the report's transaction:
    a slow statistic never holds the report's row lock.
    """
    fed_values = {
        kpi.pk: metrics.metric_value(kpi.metric, programme.tenant, period)
        for kpi in programme.kpis.all()
        if kpi.metric
    }
    with transaction.atomic():
        return _report_save(
            programme=programme,
            actor=actor,
            period=period,
            physical_progress=physical_progress,
            budget_realised=budget_realised,
            achievements=achievements,
            challenges=challenges,
            obstacles=obstacles,
            actuals=actuals,
            report=report,
            fed_values=fed_values,
        )


def _report_save(
    *,
    programme: Programme,
    actor: User,
    period: Period,
    physical_progress: Decimal,
    budget_realised: Decimal,
    achievements: str,
    challenges: str,
    obstacles: str,
    actuals: dict[int, Decimal] | None,
    report: ProgressReport | None,
    fed_values: dict[int, float | None],
) -> ProgressReport:
    if not can_report_on(actor, programme):
        raise PermissionDenied(_("Hanya operator OPD pengampu yang boleh melapor program ini."))
    if not 0 <= physical_progress <= 100:
        raise DomainError(
            _("Kemajuan fisik harus antara 0 dan 100 persen."), code="progress_out_of_range"
        )
    if budget_realised < 0:
        raise DomainError(_("Realisasi anggaran tidak boleh negatif."), code="negative_budget")
    if not achievements.strip():
        raise DomainError(_("Capaian wajib diisi."), code="achievements_required")
    if report is None:
        _check_period(programme, period, timezone.localdate())
        if ProgressReport.objects.filter(programme=programme, period_start=period.start).exists():
            raise DomainError(
                _("Laporan periode %(label)s sudah ada.") % {"label": period.label},
                code="duplicate_report",
                status=409,
            )
        report = ProgressReport(
            tenant=programme.tenant,
            programme=programme,
            period_start=period.start,
            period_end=period.end,
            period_label=period.label,
            created_by=actor,
        )
        verb = "report_create"
    else:
        report = lock(report)
        if report.status not in (ReportStatus.DRAFT, ReportStatus.RETURNED):
            raise DomainError(
                _("Laporan berstatus %(status)s tidak dapat diubah.")
                % {"status": report.get_status_display()},
                code="report_locked",
                status=409,
            )
        verb = "report_update"
    report.physical_progress = physical_progress
    report.budget_realised = budget_realised
    report.achievements = achievements.strip()
    report.challenges = challenges.strip()
    report.obstacles = obstacles.strip()
    report.save()

    actuals = actuals or {}
    for kpi in programme.kpis.all():
        value: Decimal | None = actuals.get(kpi.pk)
        from_metric = False
        if kpi.metric:
            fed = fed_values.get(kpi.pk)
            if fed is not None:
                value, from_metric = Decimal(str(round(fed, 2))), True
        if value is None:
            KpiActual.objects.filter(report=report, kpi=kpi).delete()
            continue
        KpiActual.objects.update_or_create(
            report=report, kpi=kpi, defaults={"value": value, "from_metric": from_metric}
        )
    record(report, lifecycle=REPORT_LIFECYCLE, action=verb, actor=actor)
    return report


@transaction.atomic
def evidence_add(*, report: ProgressReport, actor: User, upload: UploadedFile) -> Evidence:
    if not can_report_on(actor, report.programme):
        raise PermissionDenied(_("Hanya operator OPD pengampu yang boleh mengunggah bukti."))
    if report.status not in (ReportStatus.DRAFT, ReportStatus.RETURNED):
        raise DomainError(
            _("Bukti hanya dapat ditambahkan pada laporan draf atau dikembalikan."),
            code="report_locked",
            status=409,
        )
    checked = evidence_check(upload)
    name, content_type = checked.name, checked.content_type
    evidence = Evidence(
        report=report,
        original_name=name,
        content_type=content_type,
        size=upload.size or 0,
        uploaded_by=actor,
    )
    evidence.file.save(name, upload, save=False)
    evidence.save()
    record(
        report,
        lifecycle=REPORT_LIFECYCLE,
        action="evidence_add",
        actor=actor,
        note=name,
        data={"evidence": evidence.pk},
    )
    return evidence


@transaction.atomic
def report_transition(
    *, report: ProgressReport, actor: User, action: str, note: str = ""
) -> ProgressReport:
    """Move a report through ``REPORT_WORKFLOW``; ``report`` may be a stale copy. Locks only
    the report's row (never its programme's or tenant's): two reviewers may click at once."""
    locked = lock(report)
    if action in REVIEW_ACTIONS:
        if not can_manage(actor, locked.tenant):
            raise PermissionDenied(_("Hanya administrator daerah yang meninjau laporan."))
    elif not can_report_on(actor, locked.programme):
        raise PermissionDenied(_("Hanya operator OPD pengampu yang mengajukan laporan."))
    REPORT_WORKFLOW.target(locked.status, action)  # an invalid move before a missing note
    if action == "return" and not note.strip():
        raise DomainError(_("Tuliskan alasan pengembalian laporan."), code="note_required")
    now = timezone.now()
    changes: dict[str, object] = (
        {"submitted_at": now}
        if action == "submit"
        else {"decided_at": now, "review_note": note.strip()}
    )
    return transition(
        locked,
        action,
        lifecycle=REPORT_LIFECYCLE,
        actor=actor,
        note=note.strip(),
        changes=changes,
        at=now,
    )


@transaction.atomic
def evaluation_save(
    *, tenant: Tenant, actor: User | None, year: int, weights: dict[str, int]
) -> Evaluation:
    """Create or update the evaluation of ``year`` with its component weights (summing to 100)."""
    if actor is not None:
        _require_admin(actor, tenant)
    validate_weights(weights)
    evaluation, created = Evaluation.objects.update_or_create(
        tenant=tenant,
        year=year,
        defaults={f"weight_{name}": int(weights[name]) for name in COMPONENTS},
    )
    record(
        evaluation,
        lifecycle=REPORT_LIFECYCLE,
        action="evaluation_create" if created else "evaluation_update",
        actor=actor,
    )
    return evaluation


@transaction.atomic
def dimension_score_save(
    *,
    evaluation: Evaluation,
    actor: User | None,
    dimension: Dimension,
    components: dict[str, int],
    justification: str,
    evidence: UploadedFile | None = None,
) -> DimensionScore:
    if actor is not None:
        _require_admin(actor, evaluation.tenant)
    validate_components(components)
    if not justification.strip():
        raise DomainError(
            _("Justifikasi dimensi %(name)s wajib diisi.") % {"name": dimension.name},
            code="justification_required",
        )
    score, _created = DimensionScore.objects.update_or_create(
        evaluation=evaluation,
        dimension=dimension,
        defaults={
            **{name: int(components[name]) for name in COMPONENTS},
            "justification": justification.strip(),
        },
    )
    if evidence is not None:
        name = evidence_check(evidence).name
        score.evidence.save(name, evidence, save=True)
    record(
        evaluation,
        lifecycle=REPORT_LIFECYCLE,
        action="evaluation_score",
        actor=actor,
        note=dimension.code,
        data={"dimensionscore": score.pk},
    )
    return score


@transaction.atomic
def reminder_send(*, programme: Programme, period: Period, due: dt.date, site_url: str = "") -> int:
    """E-mail the lead OPD's operators that ``period``'s report is overdue, once per period.

    Returns the number of recipients, 0 if this reminder was already sent (or nobody to tell).
    The emails are queued in the outbox in the same transaction as the reminder row; the
    ``deliver_notifications`` worker sends them after commit, with retries.
    """
    reminder, created = Reminder.objects.get_or_create(
        programme=programme, period_start=period.start
    )
    if not created:
        return 0
    recipients = list(
        User.objects.filter(
            tenant=programme.tenant, role=Role.OPD_OPERATOR, opd=programme.lead_opd, is_active=True
        )
        .exclude(email="")
        .order_by("pk")
    )
    url = site_url or reverse("planning:reports", args=[programme.tenant.slug])
    # Through the outbox: queued in this transaction, sent by the worker after commit, once per
    # recipient and period (the key), never over SMTP while this transaction is open.
    params = {
        "programme": bilingual(programme, "name"),
        "period": period.label,
        "due": f"{due:%d-%m-%Y}",
    }
    for user in recipients:  # each email in its recipient's language, rendered when sent
        notify(
            key=f"planning:reminder:{reminder.pk}:{user.pk}:email",
            channel=Channel.EMAIL,
            tenant=programme.tenant,
            message="planning.report_overdue",
            params=params,
            user=user,
            url=url,
        )
    reminder.recipients = len(recipients)
    reminder.save(update_fields=["recipients"])
    record(
        programme,
        lifecycle=REPORT_LIFECYCLE,
        action="reminder_send",
        actor=None,
        note=period.label,
        data={"reminder": reminder.pk},
    )
    return len(recipients)
