"""Progress reports: the list, the form, the page, review actions and evidence files."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotacerdas.accounts.models import Role
from kotacerdas.core.errors import DomainError
from kotacerdas.core.exports import download_response
from kotacerdas.planning import forms, selectors, services
from kotacerdas.planning.access import (
    access_evidence,
    access_programme,
    access_report,
    can_manage,
    can_report_on,
)
from kotacerdas.planning.models import (
    ProgrammeStatus,
    ProgressReport,
    ReportStatus,
)
from kotacerdas.planning.periods import Period, period_from_start
from kotacerdas.planning.views.common import signed_in_user
from kotacerdas.tenants.access import staff_page
from kotacerdas.tenants.models import Tenant


@staff_page()
def report_list(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    user = signed_in_user(request)
    today = timezone.localdate()
    programmes = selectors.programmes_of(tenant)
    manager = can_manage(user, tenant)
    if not manager:
        programmes = (
            programmes.filter(lead_opd=user.opd_id)
            if user.role == Role.OPD_OPERATOR
            else programmes.none()
        )
    expected = selectors.expected_reports(tenant, today, programmes=programmes)
    current = [p for p in programmes if p.status != ProgrammeStatus.SUSPENDED]
    awaiting = (
        ProgressReport.objects.filter(tenant=tenant, status=ReportStatus.SUBMITTED).select_related(
            "programme"
        )
        if manager
        else []
    )
    return render(
        request,
        "planning/report_list.html",
        {
            "expected": sorted(
                expected, key=lambda e: (e.period.start, e.programme.name), reverse=True
            ),
            "awaiting": awaiting,
            "today": today,
            "programmes": current,
            "last_period": selectors.last_ended_period(tenant, today),
        },
    )


@staff_page(Role.OPD_OPERATOR, Role.REGION_ADMIN)
def report_create(request: HttpRequest, tenant: Tenant, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    programme = access_programme(user, pk, tenant=tenant)
    if not can_report_on(user, programme):
        raise Http404("programme")
    frequency = selectors.frequency_of(tenant)
    try:
        start = dt.date.fromisoformat(request.GET.get("periode", ""))
    except ValueError:
        start = selectors.last_ended_period(tenant, timezone.localdate()).start
    period = period_from_start(start, frequency)
    if period is None:
        raise Http404("period")
    existing = ProgressReport.objects.filter(programme=programme, period_start=period.start).first()
    if existing:
        return redirect("planning:report", tenant.slug, existing.pk)
    return _report_form_page(request, tenant, programme, period, None)


@staff_page(Role.OPD_OPERATOR, Role.REGION_ADMIN)
def report_edit(request: HttpRequest, tenant: Tenant, pk: int) -> HttpResponse:
    report = access_report(signed_in_user(request), pk, tenant=tenant, for_write=True)
    period = Period(report.period_start, report.period_end)
    return _report_form_page(request, tenant, report.programme, period, report)


def _report_form_page(
    request: HttpRequest, tenant: Tenant, programme: Any, period: Any, report: ProgressReport | None
) -> HttpResponse:
    kpis = list(programme.kpis.all())
    form = forms.ReportForm(request.POST or None, request.FILES or None, instance=report, kpis=kpis)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            with transaction.atomic():
                saved = services.report_save(
                    programme=programme,
                    actor=signed_in_user(request),
                    period=period,
                    report=report,
                    physical_progress=cd["physical_progress"],
                    budget_realised=cd["budget_realised"],
                    achievements=cd["achievements"],
                    challenges=cd["challenges"],
                    obstacles=cd["obstacles"],
                    actuals=form.actuals(),
                )
                if cd.get("evidence"):
                    services.evidence_add(
                        report=saved, actor=signed_in_user(request), upload=cd["evidence"]
                    )
                if "submit" in request.POST:
                    services.report_transition(
                        report=saved, actor=signed_in_user(request), action="submit"
                    )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            if "submit" in request.POST:
                messages.success(request, _("Laporan diajukan untuk ditinjau."))
            else:
                messages.success(request, _("Draf laporan tersimpan."))
            return redirect("planning:report", tenant.slug, saved.pk)
    return render(
        request,
        "planning/report_form.html",
        {"form": form, "programme": programme, "period": period, "report": report},
    )


@staff_page()
def report_detail(request: HttpRequest, tenant: Tenant, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    report = access_report(user, pk, tenant=tenant)
    editable = report.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)
    return render(
        request,
        "planning/report_detail.html",
        {
            "report": report,
            "actuals": report.actuals.select_related("kpi"),
            "evidence": report.evidence.all(),
            "events": selectors.events_of(report),
            "can_edit": editable and can_report_on(user, report.programme),
            "can_review": report.status == ReportStatus.SUBMITTED and can_manage(user, tenant),
            "decision_form": forms.DecisionForm(),
            "verb_labels": {
                "report_create": _("membuat draf"),
                "report_update": _("mengubah laporan"),
                "evidence_add": _("mengunggah bukti"),
                "submit": _("mengajukan"),
                "approve": _("menyetujui"),
                "return": _("mengembalikan"),
            },
        },
    )


@require_POST
@staff_page()
def report_action(request: HttpRequest, tenant: Tenant, pk: int, action: str) -> HttpResponse:
    user = signed_in_user(request)
    review = action in services.REVIEW_ACTIONS
    report = access_report(user, pk, tenant=tenant, for_review=review, for_write=not review)
    form = forms.DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.report_transition(report=report, actor=user, action=action, note=note)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        done = {
            "submit": _("Laporan diajukan."),
            "approve": _("Laporan disetujui."),
            "return": _("Laporan dikembalikan."),
        }
        messages.success(request, done.get(action, ""))
    return redirect("planning:report", tenant.slug, report.pk)


@staff_page()
def evidence_download(request: HttpRequest, tenant: Tenant, pk: int) -> HttpResponse:
    evidence = access_evidence(signed_in_user(request), pk, tenant=tenant)
    with evidence.file.open("rb") as handle:  # at most 10 MB: core.uploads
        return download_response(evidence.original_name, handle.read(), evidence.content_type)
