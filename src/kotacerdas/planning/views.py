"""Pages of the masterplan: overview, programmes, progress reports, evaluation, dashboard."""

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

from kotacerdas.accounts.models import Role, User
from kotacerdas.core.errors import DomainError
from kotacerdas.core.exports import download_response
from kotacerdas.core.uploads import evidence_content_type
from kotacerdas.planning import exports, forms, selectors, services
from kotacerdas.planning.access import (
    access_evaluation,
    access_evidence,
    access_programme,
    access_report,
    access_score_evidence,
    can_manage,
    can_report_on,
    can_see_dashboard,
)
from kotacerdas.planning.models import (
    Dimension,
    Leg,
    ProgrammeStatus,
    ProgressReport,
    ReadinessKind,
    ReportStatus,
)
from kotacerdas.planning.periods import Period, period_from_start
from kotacerdas.planning.scoring import COMPONENTS, DEFAULT_WEIGHTS
from kotacerdas.tenants.access import staff_page
from kotacerdas.tenants.models import Tenant

LEADERS = (Role.LEADER, Role.REGION_ADMIN)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - staff_page lets only signed-in users through
    return user


def _admin_only(request: HttpRequest, tenant: Tenant) -> None:
    if not can_manage(_user(request), tenant):
        raise Http404("admin")


@staff_page()
def overview(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    masterplan = selectors.masterplan_of(tenant)
    programmes = list(selectors.programmes_of(tenant))
    dimensions = [
        (d, [p for p in programmes if p.dimension_id == d.pk])
        for d in Dimension.objects.prefetch_related("elements")
    ]
    summary = selectors.readiness_summary(tenant)
    legs = list(Leg)
    kinds = list(ReadinessKind)
    readiness_chart = {
        "tooltip": {},
        "legend": {"bottom": 0},
        "xAxis": {"type": "category", "data": [str(leg.label) for leg in legs]},
        "yAxis": {"type": "value", "min": 0, "max": 5},
        "series": [
            {
                "type": "bar",
                "name": str(kind.label),
                "data": [
                    next(
                        (
                            round(s["average"], 2)
                            for s in summary
                            if s["leg"] == leg and s["kind"] == kind
                        ),
                        0,
                    )
                    for leg in legs
                ],
            }
            for kind in kinds
        ],
    }
    return render(
        request,
        "planning/overview.html",
        {
            "masterplan": masterplan,
            "dimensions": dimensions,
            "readiness": tenant.readinessentry_set.order_by("leg", "kind"),
            "readiness_chart": readiness_chart if summary else None,
            "can_manage": can_manage(_user(request), tenant),
            "can_see_dashboard": can_see_dashboard(_user(request), tenant),
        },
    )


@staff_page(Role.REGION_ADMIN)
def masterplan_edit(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    form = forms.MasterplanForm(request.POST or None, instance=selectors.masterplan_of(tenant))
    if request.method == "POST" and form.is_valid():
        try:
            services.masterplan_save(tenant=tenant, actor=_user(request), **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Masterplan tersimpan."))
            return redirect("planning:overview", tenant.slug)
    return render(
        request, "planning/simple_form.html", {"form": form, "title": _("Ubah masterplan")}
    )


@staff_page(Role.REGION_ADMIN)
def readiness_add(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    form = forms.ReadinessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.readiness_entry_add(tenant=tenant, actor=_user(request), **form.cleaned_data)
        messages.success(request, _("Temuan analisis kesiapan tersimpan."))
        return redirect("planning:readiness_add", tenant.slug)
    return render(
        request,
        "planning/simple_form.html",
        {"form": form, "title": _("Tambah analisis SWOT / kesenjangan")},
    )


def _programme_form_page(
    request: HttpRequest, tenant: Tenant, programme: Any = None
) -> HttpResponse:
    initial = forms.programme_initial(programme) if programme else {}
    data = request.POST if request.method == "POST" else None
    form = forms.ProgrammeForm(data, tenant=tenant, instance=programme)
    partners = forms.PartnerFormSet(data, prefix="partner", initial=initial.get("partners"))
    budget = forms.BudgetFormSet(data, prefix="budget", initial=initial.get("budget"))
    kpis = forms.KpiFormSet(data, prefix="kpi", initial=initial.get("kpis"))
    if data is not None and all(f.is_valid() for f in (form, partners, budget, kpis)):
        cd = form.cleaned_data
        try:
            saved = services.programme_save(
                tenant=tenant,
                actor=_user(request),
                programme=programme,
                name=cd["name"],
                name_en=cd["name_en"],
                description=cd["description"],
                description_en=cd["description_en"],
                dimension=cd["dimension"],
                element=cd["element"],
                term=cd["term"],
                status=cd["status"],
                lead_opd=cd["lead_opd"],
                supporting_opds=list(cd["supporting_opds"]),
                rpjmd_programme=cd["rpjmd_programme"],
                start_year=cd["start_year"],
                end_year=cd["end_year"],
                reporting_from=cd["reporting_from"],
                partners=forms.partners_in(partners),
                budget=forms.budget_in(budget),
                kpis=forms.kpis_in(kpis),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("Program “%(name)s” tersimpan.") % {"name": saved.local_name}
            )
            return redirect("planning:programme", tenant.slug, saved.pk)
    return render(
        request,
        "planning/programme_form.html",
        {
            "form": form,
            "partners": partners,
            "budget": budget,
            "kpis": kpis,
            "programme": programme,
        },
    )


@staff_page(Role.REGION_ADMIN)
def programme_create(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    return _programme_form_page(request, tenant)


@staff_page(Role.REGION_ADMIN)
def programme_edit(request: HttpRequest, tenant: Tenant, pk: int) -> HttpResponse:
    programme = access_programme(_user(request), pk, tenant=tenant, for_write=True)
    return _programme_form_page(request, tenant, programme)


@staff_page()
def programme_detail(request: HttpRequest, tenant: Tenant, pk: int) -> HttpResponse:
    programme = access_programme(_user(request), pk, tenant=tenant)
    programme = selectors.programmes_of(tenant).get(pk=programme.pk)
    today = timezone.localdate()
    expected = selectors.expected_reports(
        tenant, today, programmes=selectors.programmes_of(tenant).filter(pk=pk)
    )
    reports = programme.reports.order_by("-period_start")
    budget_years = sorted({b.year for b in programme.budget_lines.all()})
    return render(
        request,
        "planning/programme_detail.html",
        {
            "programme": programme,
            "reports": reports,
            "expected": [e for e in expected if e.report is None],
            "today": today,
            "budget_total": sum(b.amount for b in programme.budget_lines.all()),
            "budget_years": budget_years,
            "can_manage": can_manage(_user(request), tenant),
            "can_report": can_report_on(_user(request), programme),
        },
    )


@staff_page()
def report_list(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    user = _user(request)
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
    user = _user(request)
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
    report = access_report(_user(request), pk, tenant=tenant, for_write=True)
    period = Period(report.period_start, report.period_end, report.period_label)
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
                    actor=_user(request),
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
                    services.evidence_add(report=saved, actor=_user(request), upload=cd["evidence"])
                if "submit" in request.POST:
                    services.report_transition(report=saved, actor=_user(request), action="submit")
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
    user = _user(request)
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
    user = _user(request)
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
    evidence = access_evidence(_user(request), pk, tenant=tenant)
    with evidence.file.open("rb") as handle:  # at most 10 MB: core.uploads
        return download_response(evidence.original_name, handle.read(), evidence.content_type)


@staff_page(*LEADERS)
def score_evidence_download(request: HttpRequest, tenant: Tenant, pk: int) -> HttpResponse:
    score = access_score_evidence(_user(request), pk, tenant=tenant)
    name = score.evidence.name.rsplit("/", 1)[-1]
    content_type = evidence_content_type(name)
    with score.evidence.open("rb") as handle:
        return download_response(name, handle.read(), content_type)


def _evaluation_context(tenant: Tenant) -> dict[str, Any]:
    results = selectors.evaluation_results(tenant)
    latest = results[-1] if results else None
    radar = None
    if latest:
        radar = {
            "tooltip": {},
            "legend": {"bottom": 0},
            "radar": {
                "radius": "60%",
                "center": ["50%", "46%"],
                "indicator": [{"name": d.local_name, "max": 5} for d, _v in latest.by_dimension],
            },
            "series": [
                {
                    "type": "radar",
                    "data": [
                        {
                            "name": str(r.evaluation.year),
                            "value": [
                                round(v, 2) if v is not None else 0 for _d, v in r.by_dimension
                            ],
                        }
                        for r in results[-3:]
                    ],
                }
            ],
        }
    trend = {
        "tooltip": {"trigger": "axis"},
        "xAxis": {"type": "category", "data": [str(r.evaluation.year) for r in results]},
        "yAxis": {"type": "value", "min": 1, "max": 5},
        "series": [
            {
                "type": "line",
                "name": _("Indeks"),
                "data": [round(r.overall, 2) if r.overall else None for r in results],
            }
        ],
    }
    rows = []
    previous: float | None = None
    for result in results:
        change: float | None = (
            result.overall - previous
            if result.overall is not None and previous is not None
            else None
        )
        rows.append({"result": result, "overall": result.overall, "change": change})
        previous = result.overall
    return {
        "results": list(reversed(rows)),
        "radar": radar,
        "trend": trend if results else None,
        "latest": latest,
    }


@staff_page(*LEADERS)
def evaluation_list(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    context = _evaluation_context(tenant)
    context["can_manage"] = can_manage(_user(request), tenant)
    context["this_year"] = timezone.localdate().year
    context["spbe"] = selectors.spbe_trend(tenant)
    return render(request, "planning/evaluation_list.html", context)


@staff_page(Role.REGION_ADMIN)
def evaluation_edit(request: HttpRequest, tenant: Tenant, year: int) -> HttpResponse:
    evaluation = access_evaluation(_user(request), year, tenant=tenant, for_write=True)
    dimensions = list(Dimension.objects.all())
    scores = {s.dimension_id: s for s in evaluation.scores.all()} if evaluation else {}
    data = request.POST if request.method == "POST" else None
    weights_form = forms.WeightsForm(
        data, initial=evaluation.weights() if evaluation else DEFAULT_WEIGHTS
    )
    score_forms = [
        (
            d,
            forms.DimensionScoreForm(
                data,
                request.FILES or None,
                prefix=d.code,
                initial={**scores[d.pk].components(), "justification": scores[d.pk].justification}
                if d.pk in scores
                else None,
            ),
        )
        for d in dimensions
    ]
    if data is not None and weights_form.is_valid() and all(f.is_valid() for _d, f in score_forms):
        try:
            with transaction.atomic():
                saved = services.evaluation_save(
                    tenant=tenant,
                    actor=_user(request),
                    year=year,
                    weights=weights_form.cleaned_data,
                )
                for dimension, f in score_forms:
                    services.dimension_score_save(
                        evaluation=saved,
                        actor=_user(request),
                        dimension=dimension,
                        components={n: f.cleaned_data[n] for n in COMPONENTS},
                        justification=f.cleaned_data["justification"],
                        evidence=f.cleaned_data.get("evidence"),
                    )
        except DomainError as exc:
            weights_form.add_error(None, exc.message)
        else:
            messages.success(request, _("Evaluasi %(year)s tersimpan.") % {"year": year})
            return redirect("planning:evaluations", tenant.slug)
    return render(
        request,
        "planning/evaluation_form.html",
        {"year": year, "weights_form": weights_form, "score_forms": score_forms},
    )


@staff_page(*LEADERS)
def dashboard(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    today = timezone.localdate()
    data = selectors.dashboard_data(tenant, today)
    quick_wins = data["quick_wins"]
    charts: dict[str, Any] = {
        "by_dimension": {
            "tooltip": {"trigger": "axis"},
            "legend": {"bottom": 0},
            "grid": {"left": 8, "right": 16, "top": 10, "bottom": 60, "containLabel": True},
            "xAxis": {"type": "value", "minInterval": 1},
            "yAxis": {"type": "category", "data": data["by_dimension"]["dimensions"]},
            "series": [
                {**s, "type": "bar", "stack": "status"} for s in data["by_dimension"]["series"]
            ],
        },
        "quick_wins": {
            "tooltip": {},
            "grid": {"left": 8, "right": 16, "top": 10, "bottom": 30, "containLabel": True},
            "xAxis": {"type": "value", "min": 0, "max": 100},
            "yAxis": {
                "type": "category",
                "data": [q["name"] for q in quick_wins],
                "axisLabel": {"width": 150, "overflow": "truncate"},
            },
            "series": [
                {
                    "type": "bar",
                    "name": _("Kemajuan fisik (%)"),
                    "data": [q["progress"] for q in quick_wins],
                }
            ],
        },
    }
    absorption = data["absorption"]
    charts["absorption"] = {
        "series": [
            {
                "type": "gauge",
                "min": 0,
                "max": 100,
                "progress": {"show": True},
                "detail": {"formatter": "{value}%"},
                "data": [
                    {
                        "value": round(absorption, 1) if isinstance(absorption, float) else 0,
                        "name": _("Serapan"),
                    }
                ],
            }
        ]
    }
    spbe = data["spbe"]
    if spbe:
        charts["spbe"] = {
            "tooltip": {"trigger": "axis"},
            "xAxis": {"type": "category", "data": [str(y) for y, _i, _p in spbe]},
            "yAxis": {"type": "value", "min": 0, "max": 5},
            "series": [
                {"type": "line", "name": "SPBE", "data": [round(i, 2) for _y, i, _p in spbe]}
            ],
        }
    return render(request, "planning/dashboard.html", {**data, "charts": charts, "today": today})


@staff_page()
def masterplan_export(request: HttpRequest, tenant: Tenant, fmt: str) -> HttpResponse:
    if fmt not in ("pdf", "xlsx"):
        raise Http404("format")
    if fmt == "pdf":
        return exports.masterplan_pdf(tenant)
    return exports.masterplan_xlsx(tenant)


@staff_page(*LEADERS)
def evaluation_export(request: HttpRequest, tenant: Tenant, year: int, fmt: str) -> HttpResponse:
    if fmt not in ("pdf", "xlsx"):
        raise Http404("format")
    evaluation = access_evaluation(_user(request), year, tenant=tenant)
    if evaluation is None:
        raise Http404("evaluation")
    if fmt == "pdf":
        return exports.evaluation_pdf(tenant, year)
    return exports.evaluation_xlsx(tenant, year)
