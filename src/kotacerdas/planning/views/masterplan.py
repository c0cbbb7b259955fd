"""The masterplan's overview and editing, the readiness analysis, and the masterplan's export."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import Role
from kotacerdas.core.errors import DomainError
from kotacerdas.planning import exports, forms, selectors, services
from kotacerdas.planning.access import (
    can_manage,
    can_see_dashboard,
)
from kotacerdas.planning.models import (
    Dimension,
    Leg,
    ReadinessKind,
)
from kotacerdas.planning.views.common import signed_in_user
from kotacerdas.tenants.access import staff_page
from kotacerdas.tenants.models import Tenant


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
            "can_manage": can_manage(signed_in_user(request), tenant),
            "can_see_dashboard": can_see_dashboard(signed_in_user(request), tenant),
        },
    )


@staff_page(Role.REGION_ADMIN)
def masterplan_edit(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    form = forms.MasterplanForm(request.POST or None, instance=selectors.masterplan_of(tenant))
    if request.method == "POST" and form.is_valid():
        try:
            services.masterplan_save(
                tenant=tenant, actor=signed_in_user(request), **form.cleaned_data
            )
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
        services.readiness_entry_add(
            tenant=tenant, actor=signed_in_user(request), **form.cleaned_data
        )
        messages.success(request, _("Temuan analisis kesiapan tersimpan."))
        return redirect("planning:readiness_add", tenant.slug)
    return render(
        request,
        "planning/simple_form.html",
        {"form": form, "title": _("Tambah analisis SWOT / kesenjangan")},
    )


@staff_page()
def masterplan_export(request: HttpRequest, tenant: Tenant, fmt: str) -> HttpResponse:
    if fmt not in ("pdf", "xlsx"):
        raise Http404("format")
    if fmt == "pdf":
        return exports.masterplan_pdf(tenant)
    return exports.masterplan_xlsx(tenant)
