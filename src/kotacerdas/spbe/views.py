"""SPBE pages for a tenant's region admins (who edit) and leaders (who read)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kotacerdas.accounts.models import Role, User
from kotacerdas.core.errors import DomainError
from kotacerdas.core.exports import XLSX_CONTENT_TYPE, download_response
from kotacerdas.spbe import exports, selectors, services
from kotacerdas.spbe.access import access_assessment, access_evidence, can_write
from kotacerdas.spbe.forms import AssessmentCreateForm, EvidenceForm, IndicatorScoreForm
from kotacerdas.spbe.models import AssessmentEvent
from kotacerdas.spbe.scoring import (
    display,
    ranking,
    route_to_next_predicate,
    score,
    validate_levels,
)
from kotacerdas.tenants.access import staff_page
from kotacerdas.tenants.models import Tenant

READERS = (Role.REGION_ADMIN, Role.LEADER)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - staff_page has checked it
    return user


def _history_chart(history: list[tuple[Any, Any, Any]]) -> dict[str, Any]:
    """Data for the comparison chart and table: final assessments plus complete drafts."""
    history = [(a, spec, result) for a, spec, result in history if result is not None]
    domains = list(history[0][1].domains) if history else []
    return {
        "rows": [
            {
                "year": a.year,
                "status": a.get_status_display(),
                "index": result.index_local,
                "predicate": result.predicate,
                "domains": [display(d.index) for d in result.domains],
            }
            for a, _spec, result in history
        ],
        "domains": [{"code": d.code, "name": d.name} for d in domains],
        # An ECharts option, drawn by core/charts.js: domains as bars, the index as a line.
        "chart": {
            "tooltip": {"trigger": "axis"},
            "legend": {"type": "scroll", "bottom": 0},
            "grid": {"left": 40, "right": 10, "top": 20, "bottom": 60},
            "xAxis": {"type": "category", "data": [str(a.year) for a, _s, _r in history]},
            "yAxis": {"type": "value", "min": 0, "max": 5},
            "series": [
                *(
                    {
                        "name": d.code,
                        "type": "bar",
                        "data": [float(display(r.domains[i].index)) for _a, _s, r in history],
                    }
                    for i, d in enumerate(domains)
                ),
                {
                    "name": _("Indeks SPBE"),
                    "type": "line",
                    "lineStyle": {"width": 3},
                    "data": [float(display(r.index)) for _a, _s, r in history],
                },
            ],
        },
    }


@staff_page(*READERS)
@require_http_methods(["GET", "POST"])
def assessment_list(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    user = _user(request)
    form = AssessmentCreateForm(request.POST or None)
    if request.method == "POST":
        if not can_write(user, tenant):
            return redirect("spbe:assessment_list", tenant.slug)
        if form.is_valid():
            try:
                assessment = services.assessment_create(
                    tenant=tenant,
                    year=form.cleaned_data["year"],
                    actor=user,
                    copy_previous=form.cleaned_data["copy_previous"],
                )
            except DomainError as exc:
                form.add_error("year", exc.message)
            else:
                messages.success(
                    request, _("Penilaian %(year)s dibuat.") % {"year": assessment.year}
                )
                return redirect("spbe:assessment_detail", tenant.slug, assessment.pk)
    history = selectors.assessment_history(tenant)
    return render(
        request,
        "spbe/assessment_list.html",
        {
            "tenant": tenant,
            "history": history,
            "form": form,
            "can_write": can_write(user, tenant),
            "comparison": _history_chart(history),
        },
    )


@staff_page(*READERS)
def assessment_detail(request: HttpRequest, tenant: Tenant, pk: int) -> HttpResponse:
    user = _user(request)
    assessment = access_assessment(user, pk, tenant=tenant)
    result = selectors.assessment_result(assessment)
    platform = selectors.platform_evidence(tenant)
    for row in result.rows:
        row.modules = platform.get(row.indicator.number, [])
    return render(
        request,
        "spbe/assessment_detail.html",
        {
            "tenant": tenant,
            "assessment": assessment,
            "result": result,
            "can_edit": can_write(user, tenant) and assessment.status == "draft",
            "can_write": can_write(user, tenant),
            "platform": platform,
            "comparison": _history_chart(
                selectors.assessment_history(tenant, framework=assessment.framework)
            ),
            "events": [
                {"event": e, "note": _event_note(e)}
                for e in assessment.events.select_related("actor").order_by("-created_at", "-pk")[
                    :10
                ]
            ],
        },
    )


def _event_note(event: AssessmentEvent) -> str:
    """The note in the page's language (language-dependent parts are kept as data)."""
    data = event.data or {}
    if data.get("copied_previous"):
        return _("disalin dari tahun sebelumnya")
    if "count" in data:
        return _("%(count)s indikator") % {"count": data["count"]}
    return event.note


@staff_page(*READERS)
@require_http_methods(["GET", "POST"])
def indicator_edit(request: HttpRequest, tenant: Tenant, pk: int, number: int) -> HttpResponse:
    user = _user(request)
    assessment = access_assessment(user, pk, tenant=tenant, for_write=request.method == "POST")
    result = selectors.assessment_result(assessment)
    row = next((r for r in result.rows if r.indicator.number == number), None)
    if row is None:
        raise Http404("indicator")
    editable = can_write(user, tenant) and assessment.status == "draft"
    form = IndicatorScoreForm(
        request.POST or None,
        spec=result.spec,
        indicator=row.indicator,
        initial={"level": row.level, "justification": row.justification},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.score_update(
                assessment=assessment,
                number=number,
                level=form.cleaned_data["level"],
                justification=form.cleaned_data["justification"],
                actor=user,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Indikator %(number)s disimpan.") % {"number": number})
            following = number + 1 if number < len(result.rows) else None
            if following and "next" in request.POST:
                return redirect("spbe:indicator_edit", tenant.slug, assessment.pk, following)
            return redirect("spbe:assessment_detail", tenant.slug, assessment.pk)
    return render(
        request,
        "spbe/indicator_edit.html",
        {
            "tenant": tenant,
            "assessment": assessment,
            "row": row,
            "form": form,
            "editable": editable,
            "evidence_form": EvidenceForm(),
            "spec": result.spec,
            "platform": selectors.platform_evidence(tenant).get(number, []),
        },
    )


@staff_page(Role.REGION_ADMIN)
@require_POST
def evidence_upload(request: HttpRequest, tenant: Tenant, pk: int, number: int) -> HttpResponse:
    user = _user(request)
    assessment = access_assessment(user, pk, tenant=tenant, for_write=True)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        score_row = (
            assessment.scores.select_related("indicator", "assessment")
            .filter(indicator__number=number)
            .first()
        )
        if score_row is None:
            raise Http404("indicator")
        try:
            services.evidence_add(score=score_row, upload=form.cleaned_data["file"], actor=user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Bukti dukung diunggah."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("spbe:indicator_edit", tenant.slug, assessment.pk, number)


@staff_page(Role.REGION_ADMIN)
@require_POST
def evidence_delete(request: HttpRequest, tenant: Tenant, evidence_pk: int) -> HttpResponse:
    user = _user(request)
    evidence = access_evidence(user, evidence_pk, tenant=tenant, for_write=True)
    assessment, number = evidence.score.assessment, evidence.score.indicator.number
    try:
        services.evidence_delete(evidence=evidence, actor=user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Bukti dukung dihapus."))
    return redirect("spbe:indicator_edit", tenant.slug, assessment.pk, number)


# staff_page is typed for HttpResponse; a FileResponse streams (foundation typing gap).
@staff_page(*READERS)
def evidence_download(request: HttpRequest, tenant: Tenant, evidence_pk: int) -> FileResponse:
    evidence = access_evidence(_user(request), evidence_pk, tenant=tenant)
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@staff_page(Role.REGION_ADMIN)
@require_POST
def assessment_transition(request: HttpRequest, tenant: Tenant, pk: int) -> HttpResponse:
    user = _user(request)
    assessment = access_assessment(user, pk, tenant=tenant, for_write=True)
    try:
        services.assessment_transition(
            assessment=assessment, action=request.POST.get("action", ""), actor=user
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Status penilaian diperbarui."))
    return redirect("spbe:assessment_detail", tenant.slug, assessment.pk)


@staff_page(*READERS)
@require_http_methods(["GET", "POST"])
def simulator(request: HttpRequest, tenant: Tenant, pk: int) -> HttpResponse:
    """What-if: change levels freely (nothing is saved); one button raises an indicator a level,
    another applies the cheapest route. A plain form; with htmx only its block is swapped."""
    assessment = access_assessment(_user(request), pk, tenant=tenant)
    result = selectors.assessment_result(assessment)
    spec = result.spec
    if result.score is None:
        messages.warning(request, _("Lengkapi tingkat semua indikator sebelum memakai simulasi."))
        return redirect("spbe:assessment_detail", tenant.slug, assessment.pk)
    levels = result.levels
    error = ""
    if request.method == "POST":
        raw: dict[str, object] = {}
        for indicator in spec.indicators:
            value = request.POST.get(f"level_{indicator.number}", "")
            raw[str(indicator.number)] = int(value) if value.isdigit() else value
        try:
            levels = validate_levels(spec, raw)
        except DomainError as exc:
            error = exc.message
        else:
            raise_number = request.POST.get("raise", "")
            if raise_number.isdigit() and int(raise_number) in levels:
                levels[int(raise_number)] = min(levels[int(raise_number)] + 1, spec.max_level)
            route = route_to_next_predicate(spec, levels)
            if "apply_route" in request.POST and route is not None:
                levels.update({step.indicator.number: step.level_to for step in route.steps})
    simulated = score(spec, levels)
    context = {
        "tenant": tenant,
        "assessment": assessment,
        "spec": spec,
        "error": error,
        "original": result.score,
        "simulated": simulated,
        "ranking": ranking(spec, levels)[:10],
        "route": route_to_next_predicate(spec, levels),
        "rows": [
            {
                "indicator": i,
                "level": levels[i.number],
                "original": result.levels[i.number],
                "choices": range(spec.min_level, spec.max_level + 1),
            }
            for i in spec.indicators
        ],
    }
    if request.headers.get("HX-Request"):
        return render(request, "spbe/_simulator.html", context)
    return render(request, "spbe/simulator.html", context)


@staff_page(*READERS)
def export_xlsx(request: HttpRequest, tenant: Tenant, pk: int) -> HttpResponse:
    assessment = access_assessment(_user(request), pk, tenant=tenant)
    result = selectors.assessment_result(assessment)
    return download_response(
        f"spbe-{tenant.slug}-{assessment.year}.xlsx",
        exports.assessment_xlsx(result),
        XLSX_CONTENT_TYPE,
    )


@staff_page(*READERS)
def export_pdf(request: HttpRequest, tenant: Tenant, pk: int) -> HttpResponse:
    assessment = access_assessment(_user(request), pk, tenant=tenant)
    result = selectors.assessment_result(assessment)
    return download_response(
        f"spbe-{tenant.slug}-{assessment.year}.pdf",
        exports.assessment_pdf(result),
        "application/pdf",
    )
