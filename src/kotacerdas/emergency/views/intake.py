"""The call-taker's intake screen and the caller history lookup."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import (
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kotacerdas.core.errors import DomainError
from kotacerdas.emergency import selectors, services
from kotacerdas.emergency.access import (
    INTAKE_ROLES,
)
from kotacerdas.emergency.forms import IntakeForm
from kotacerdas.emergency.models import (
    Call,
    RegulatorReport,
)
from kotacerdas.emergency.views._common import _user, desk_nav
from kotacerdas.tenants.access import staff_page
from kotacerdas.tenants.models import Tenant


@staff_page(*INTAKE_ROLES)
def intake(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    lookup_url = reverse("emergency:caller", args=[tenant.slug])
    if request.method == "POST":
        form = IntakeForm(request.POST, tenant=tenant, lookup_url=lookup_url)
        if form.is_valid():
            data = form.cleaned_data
            incident = None
            if data["call_type"] == "normal":
                incident = services.IncidentData(
                    category=data["category"],
                    kelurahan=data["kelurahan_region"],
                    landmark=data["landmark"],
                    description=data["description"],
                    people_involved=data["people_involved"],
                    latitude=data["latitude"],
                    longitude=data["longitude"],
                )
            try:
                result = services.call_log(
                    tenant=tenant,
                    taker=_user(request),
                    caller_number=data["caller_number"],
                    call_type=data["call_type"],
                    caller_name=data["caller_name"],
                    note=data["note"],
                    incident=incident,
                    idempotency_key=data["idempotency_key"],
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                text = _("Panggilan %(type)s dari %(number)s tercatat.") % {
                    "type": result.call.get_call_type_display(),
                    "number": result.call.caller_number,
                }
                if result.incident:
                    text += " " + _("Insiden %(number)s diteruskan ke dispatcher.") % {
                        "number": result.incident.number
                    }
                messages.success(request, text)
                if result.caller_blocked:
                    messages.warning(
                        request,
                        _(
                            "Nomor %(number)s sekarang diblokir "
                            "(%(count)s panggilan prank/ghost dalam 24 jam)."
                        )
                        % {
                            "number": result.call.caller_number,
                            "count": result.invalid_calls_in_window,
                        },
                    )
                return redirect("emergency:intake", tenant.slug)
    else:
        form = IntakeForm(
            tenant=tenant, lookup_url=lookup_url, initial={"idempotency_key": uuid.uuid4().hex}
        )
    recent = (
        Call.objects.filter(tenant=tenant, taker=_user(request))
        .select_related("incident")
        .order_by("-received_at")[:8]
    )
    return render(
        request,
        "emergency/intake.html",
        {
            "tenant": tenant,
            "form": form,
            "recent": recent,
            "nav": desk_nav(_user(request), tenant),
        },
    )


@require_GET
@staff_page(*INTAKE_ROLES)
def caller_lookup(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    """The history of a number, as an HTML fragment for the intake screen."""
    raw = request.GET.get("caller_number") or request.GET.get("nomor", "")
    try:
        number = services.caller_number_normalize(raw)
    except DomainError:
        return HttpResponse("")
    history = selectors.caller_history(tenant, number)
    block = selectors.active_block(tenant, number)
    listed = RegulatorReport.objects.filter(tenant=tenant, number=number).exists()
    return render(
        request,
        "emergency/_caller.html",
        {"number": number, "history": history, "block": block, "listed": listed},
    )
