"""Progress reports per period: saving, evidence, review (submit, approve, return) and the
reminder to the lead OPD when a report is overdue."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import Role, User
from kotacerdas.core.errors import DomainError, PermissionDenied
from kotacerdas.core.lifecycle import lock, record, transition
from kotacerdas.core.messages import bilingual
from kotacerdas.core.uploads import evidence_check
from kotacerdas.notifications.models import Channel
from kotacerdas.notifications.services import notify
from kotacerdas.planning import metrics
from kotacerdas.planning.access import can_manage, can_report_on
from kotacerdas.planning.models import (
    Evidence,
    KpiActual,
    Programme,
    ProgressReport,
    Reminder,
    ReportStatus,
)
from kotacerdas.planning.periods import Period
from kotacerdas.planning.services.common import (
    REPORT_LIFECYCLE,
    REPORT_WORKFLOW,
    REVIEW_ACTIONS,
)


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
        "period": [period.start.isoformat(), period.end.isoformat()],  # labelled when read
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
        data={
            "reminder": reminder.pk,
            "period": [period.start.isoformat(), period.end.isoformat()],
        },
    )
    return len(recipients)
