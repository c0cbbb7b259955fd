"""An incident's page: details, dispatch, steps and the follow-up complaint."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import (
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotacerdas.accounts.models import User
from kotacerdas.complaints import selectors as complaint_selectors
from kotacerdas.complaints import services as complaint_services
from kotacerdas.core.errors import DomainError
from kotacerdas.emergency import selectors, services
from kotacerdas.emergency.access import (
    BOARD_ROLES,
    DESK_ROLES,
    DISPATCH_ROLES,
    access_agency,
    access_agency_unit,
    access_incident,
    is_desk,
)
from kotacerdas.emergency.forms import FollowupForm
from kotacerdas.emergency.models import (
    AGENCY_STEPS,
    INCIDENT_WORKFLOW,
    Agency,
    Incident,
    State,
    Unit,
    UnitStatus,
)
from kotacerdas.emergency.views._common import _user, desk_nav
from kotacerdas.regions.models import Region
from kotacerdas.tenants.access import staff_page
from kotacerdas.tenants.models import Opd, Tenant

# --- Incident detail, dispatch and steps -------------------------------------------------


@staff_page(*BOARD_ROLES)
def incident_detail(request: HttpRequest, tenant: Tenant, pk: int) -> HttpResponse:
    incident = access_incident(_user(request), pk, tenant=tenant)
    policy = selectors.policy_for(tenant)
    dispatches = list(incident.dispatches.select_related("agency", "unit", "dispatched_by"))
    sent = {d.agency_id for d in dispatches}
    agencies = list(
        Agency.objects.filter(tenant=tenant, is_active=True)
        .exclude(pk__in=sent)
        .prefetch_related("units")
    )
    for agency in agencies:
        agency.free_units = [u for u in agency.units.all() if u.status == UnitStatus.AVAILABLE]  # type: ignore[attr-defined]
    context = {
        "tenant": tenant,
        "incident": incident,
        "dispatches": dispatches,
        "agencies": agencies,
        "events": incident.events.select_related("actor", "dispatch__agency").order_by("pk"),
        # leaders follow the incident but do not see who called
        "calls": incident.calls.all() if is_desk(_user(request), tenant, *DESK_ROLES) else [],
        "nav": desk_nav(_user(request), tenant),
        "breaches": selectors.incident_breaches(incident, policy),
        "policy": policy,
        "can_dispatch": is_desk(_user(request), tenant, *DISPATCH_ROLES),
        "agency_steps": [(a, INCIDENT_WORKFLOW.labels[a]) for a in AGENCY_STEPS],
        "final_steps": [
            (a, INCIDENT_WORKFLOW.labels[a])
            for a in INCIDENT_WORKFLOW.actions_from(incident.state)
            if a not in AGENCY_STEPS and a != "dispatch"
        ],
        "step_key": uuid.uuid4().hex,
        "last_event_id": selectors.last_event_id(tenant.pk),
        "source_ticket": _ticket(incident.source_complaint_id),
        "followup_ticket": _ticket(incident.followup_complaint_id),
        "followup_form": FollowupForm(tenant=tenant)
        if incident.state == State.CLOSED and incident.followup_complaint_id is None
        else None,
    }
    return render(request, "emergency/incident.html", context)


# complaints' Channel.PHONE: 112 is a phone line (its models are not imported across apps)
PHONE_CHANNEL = "phone"


def _ticket(complaint_id: int | None) -> str:
    return complaint_selectors.ticket_of(complaint_id)


def _followup_submit(incident: Incident, category: Any) -> services.FollowupSubmit:
    """The complaints app's side of a follow-up: a complaint entered by the desk (channel
    phone, as 112 is a phone line), disposed to the chosen OPD at once."""

    def submit(
        *,
        tenant: Tenant,
        actor: User,
        opd_id: int,
        title: str,
        description: str,
        kelurahan: Region | None,
        landmark: str,
        latitude: Decimal | None,
        longitude: Decimal | None,
    ) -> int:
        opd = Opd.objects.get(tenant=tenant, pk=opd_id)
        complaint, created = complaint_services.complaint_submit(
            tenant=tenant,
            category=category,
            description=f"{title}\n{description}",
            channel=PHONE_CHANNEL,
            region=kelurahan,
            address=landmark,
            lat=None if latitude is None else float(latitude),
            long=None if longitude is None else float(longitude),
            entered_by=actor,
            idempotency_key=f"112-followup-{incident.pk}",
        )
        if created:
            complaint_services.complaint_dispose(complaint=complaint, actor=actor, opds=[opd])
        return complaint.pk

    return submit


@require_POST
@staff_page(*DISPATCH_ROLES)
def incident_followup(request: HttpRequest, tenant: Tenant, pk: int) -> HttpResponse:
    incident = access_incident(_user(request), pk, tenant=tenant, for_write=True)
    form = FollowupForm(request.POST, tenant=tenant)
    if not form.is_valid():
        messages.error(request, _("Pilih kategori aduan, OPD tujuan, dan isi uraian."))
        return redirect("emergency:incident", tenant.slug, incident.pk)
    try:
        complaint_id = services.incident_create_followup_complaint(
            incident=incident,
            actor=_user(request),
            opd_id=form.cleaned_data["opd"].pk,
            summary=form.cleaned_data["summary"],
            submit=_followup_submit(incident, form.cleaned_data["category"]),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Aduan tindak lanjut %(ticket)s dibuat.") % {"ticket": _ticket(complaint_id)},
        )
    return redirect("emergency:incident", tenant.slug, incident.pk)


def _version(request: HttpRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


@require_POST
@staff_page(*DISPATCH_ROLES)
def incident_dispatch(request: HttpRequest, tenant: Tenant, pk: int) -> HttpResponse:
    incident = access_incident(_user(request), pk, tenant=tenant, for_write=True)
    user = _user(request)
    assignments: list[tuple[Agency, Unit | None]] = []
    for raw in request.POST.getlist("agency")[:20]:
        agency = access_agency(user, raw, tenant=tenant, for_write=True)  # type: ignore[arg-type]
        unit_raw = request.POST.get(f"unit_{agency.pk}", "")
        unit = (
            access_agency_unit(user, unit_raw, tenant=tenant, agency=agency, for_write=True)  # type: ignore[arg-type]
            if unit_raw
            else None
        )
        assignments.append((agency, unit))
    try:
        services.incident_dispatch(
            incident=incident,
            actor=_user(request),
            assignments=assignments,
            expected_version=_version(request),
            idempotency_key=request.POST.get("idempotency_key") or None,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Insiden %(number)s diteruskan.") % {"number": incident.number})
    return redirect("emergency:incident", tenant.slug, incident.pk)


@require_POST
@staff_page(*DISPATCH_ROLES)
def incident_step(request: HttpRequest, tenant: Tenant, pk: int) -> HttpResponse:
    incident = access_incident(_user(request), pk, tenant=tenant, for_write=True)
    agency_raw = request.POST.get("agency", "")
    agency = (
        access_agency(_user(request), agency_raw, tenant=tenant, for_write=True)  # type: ignore[arg-type]
        if agency_raw
        else None
    )
    action = request.POST.get("action", "")
    try:
        incident = services.incident_step(
            incident=incident,
            actor=_user(request),
            action=action,
            agency=agency,
            expected_version=_version(request),
            idempotency_key=request.POST.get("idempotency_key") or None,
            note=request.POST.get("note", "")[:5000],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Status insiden %(number)s: %(state)s.")
            % {"number": incident.number, "state": incident.get_state_display()},
        )
    return redirect("emergency:incident", tenant.slug, incident.pk)
