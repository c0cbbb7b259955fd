"""Programmes: creating, editing and their page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import Role
from kotacerdas.core.errors import DomainError
from kotacerdas.planning import forms, selectors, services
from kotacerdas.planning.access import (
    access_programme,
    can_manage,
    can_report_on,
)
from kotacerdas.planning.views.common import signed_in_user
from kotacerdas.tenants.access import staff_page
from kotacerdas.tenants.models import Tenant


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
                actor=signed_in_user(request),
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
    programme = access_programme(signed_in_user(request), pk, tenant=tenant, for_write=True)
    return _programme_form_page(request, tenant, programme)


@staff_page()
def programme_detail(request: HttpRequest, tenant: Tenant, pk: int) -> HttpResponse:
    programme = access_programme(signed_in_user(request), pk, tenant=tenant)
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
            "can_manage": can_manage(signed_in_user(request), tenant),
            "can_report": can_report_on(signed_in_user(request), programme),
        },
    )
