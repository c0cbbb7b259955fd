"""Appointments: booking, cancelling, the printable slip."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotacerdas.core.errors import DomainError
from kotacerdas.services import selectors, services
from kotacerdas.services.access import (
    access_application,
)
from kotacerdas.services.nik import mask
from kotacerdas.services.views.common import _identity, _pk, _user
from kotacerdas.tenants.access import tenant_page
from kotacerdas.tenants.models import Tenant


@tenant_page
@login_required
def appointment_book(request: HttpRequest, tenant: Tenant, pk: int) -> HttpResponse:
    user = _user(request)
    application = access_application(user, pk, tenant=tenant)
    if request.method == "POST":
        slot = request.POST.get("slot", "")
        try:
            services.appointment_book(
                application=application,
                slot_id=_pk(slot) or 0,
                actor=user,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Janji temu tersimpan."))
            return redirect("services:appointment_print", tenant.slug, application.pk)
    blocker = selectors.booking_blocker(application)
    location = application.pickup_location
    slots = [] if blocker else selectors.open_slots(tenant, location=location)
    return render(
        request,
        "services/appointment_book.html",
        {
            "application": application,
            "slots": slots,
            "blocker": blocker[1] if blocker else "",
            "appointment": selectors.active_appointment(application),
        },
        status=409 if blocker and request.method == "POST" else 200,
    )


@tenant_page
@login_required
@require_POST
def appointment_cancel(request: HttpRequest, tenant: Tenant, pk: int) -> HttpResponse:
    application = access_application(_user(request), pk, tenant=tenant)
    appointment = selectors.active_appointment(application)
    if appointment is None:
        raise Http404("appointment")
    services.appointment_cancel(appointment=appointment, actor=_user(request))
    messages.success(request, _("Janji temu dibatalkan."))
    return redirect("services:application_detail", tenant.slug, application.pk)


@tenant_page
@login_required
def appointment_print(request: HttpRequest, tenant: Tenant, pk: int) -> HttpResponse:
    application = access_application(_user(request), pk, tenant=tenant)
    appointment = selectors.active_appointment(application)
    if appointment is None:
        raise Http404("appointment")
    # The QR code carries only the booking code and number: nothing personal.
    qr = segno.make(f"{appointment.code} {application.number}", error="m").svg_inline(
        scale=5, title=appointment.code
    )
    nik, _kk = _identity(_user(request), application)
    return render(
        request,
        "services/appointment_print.html",
        {
            "application": application,
            "appointment": appointment,
            "qr": qr,
            # The person the application is for, as written in the form, not the account holder
            # (a parent may apply for a child, a relative for an elder).
            "applicant_name": selectors.applicant_name(application),
            "nik": mask(nik),
        },
    )
