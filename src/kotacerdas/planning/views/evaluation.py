"""The yearly self-evaluation: the list, the scoring form, its evidence files and export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import Role
from kotacerdas.core.errors import DomainError
from kotacerdas.core.exports import download_response
from kotacerdas.core.uploads import evidence_content_type
from kotacerdas.planning import exports, forms, selectors, services
from kotacerdas.planning.access import (
    access_evaluation,
    access_score_evidence,
    can_manage,
)
from kotacerdas.planning.models import (
    Dimension,
)
from kotacerdas.planning.scoring import COMPONENTS, DEFAULT_WEIGHTS
from kotacerdas.planning.views.common import LEADERS, signed_in_user
from kotacerdas.tenants.access import staff_page
from kotacerdas.tenants.models import Tenant


@staff_page(*LEADERS)
def score_evidence_download(request: HttpRequest, tenant: Tenant, pk: int) -> HttpResponse:
    score = access_score_evidence(signed_in_user(request), pk, tenant=tenant)
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
    context["can_manage"] = can_manage(signed_in_user(request), tenant)
    context["this_year"] = timezone.localdate().year
    context["spbe"] = selectors.spbe_trend(tenant)
    return render(request, "planning/evaluation_list.html", context)


@staff_page(Role.REGION_ADMIN)
def evaluation_edit(request: HttpRequest, tenant: Tenant, year: int) -> HttpResponse:
    evaluation = access_evaluation(signed_in_user(request), year, tenant=tenant, for_write=True)
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
                    actor=signed_in_user(request),
                    year=year,
                    weights=weights_form.cleaned_data,
                )
                for dimension, f in score_forms:
                    services.dimension_score_save(
                        evaluation=saved,
                        actor=signed_in_user(request),
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
def evaluation_export(request: HttpRequest, tenant: Tenant, year: int, fmt: str) -> HttpResponse:
    if fmt not in ("pdf", "xlsx"):
        raise Http404("format")
    evaluation = access_evaluation(signed_in_user(request), year, tenant=tenant)
    if evaluation is None:
        raise Http404("evaluation")
    if fmt == "pdf":
        return exports.evaluation_pdf(tenant, year)
    return exports.evaluation_xlsx(tenant, year)
