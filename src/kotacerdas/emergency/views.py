"""Pages of the 112 desk: intake, caller history, the board (with its event stream), blocks."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from decimal import Decimal
from importlib import import_module
from types import SimpleNamespace
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kotacerdas.accounts.models import Role, User
from kotacerdas.complaints import services as complaint_services
from kotacerdas.complaints.models import Category as ComplaintCategory
from kotacerdas.complaints.models import Channel, Complaint
from kotacerdas.core.errors import DomainError
from kotacerdas.emergency import live, selectors, services
from kotacerdas.emergency.access import (
    BOARD_ROLES,
    DESK_ROLES,
    DISPATCH_ROLES,
    INTAKE_ROLES,
    REPORT_ROLES,
    access_agency,
    access_agency_unit,
    access_block,
    access_incident,
    is_desk,
)
from kotacerdas.emergency.forms import FollowupForm, IntakeForm, UnblockForm
from kotacerdas.emergency.models import (
    AGENCY_STEPS,
    INCIDENT_WORKFLOW,
    Agency,
    Call,
    Incident,
    NumberBlock,
    RegulatorReport,
    State,
    Unit,
    UnitStatus,
)
from kotacerdas.regions.models import Region
from kotacerdas.tenants.access import staff_page, tenant_from_slug
from kotacerdas.tenants.models import Opd, Tenant


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # noqa: S101 - staff_page guarantees a signed-in user
    return request.user


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


def _board_context(tenant: Tenant) -> dict[str, Any]:
    policy = selectors.policy_for(tenant)
    now = timezone.now()
    incidents = selectors.board_incidents(tenant)
    for incident in incidents:
        incident.breaches = selectors.incident_breaches(incident, policy, now)  # type: ignore[attr-defined]
    units = Unit.objects.filter(agency__tenant=tenant, agency__is_active=True).select_related(
        "agency"
    )
    return {
        "tenant": tenant,
        "incidents": incidents,
        "units": units.order_by("agency__short_name", "name"),
        "policy": policy,
        "last_event_id": selectors.last_event_id(tenant.pk),
    }


def desk_nav(user: User, tenant: Tenant) -> dict[str, bool]:
    """Which desk pages the user's role opens (the menu links only those)."""
    return {
        "intake": is_desk(user, tenant, *INTAKE_ROLES),
        "board": is_desk(user, tenant, *BOARD_ROLES),
        "blocks": is_desk(user, tenant, Role.SUPERVISOR),
        "reports": is_desk(user, tenant, *REPORT_ROLES),
    }


def _board_page(request: HttpRequest, tenant: Tenant, *, wall: bool) -> HttpResponse:
    context = _board_context(tenant)
    context["wall"] = wall
    context["nav"] = desk_nav(_user(request), tenant)
    context["map_view"] = tenant.map_view
    context["map_tile_url"] = settings.MAP_TILE_URL
    context["map_attribution"] = settings.MAP_TILE_ATTRIBUTION
    return render(request, "emergency/board.html", context)


@staff_page(*BOARD_ROLES)
def board(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    if request.GET.get("layar") == "dinding":  # the old address of the wall screen
        return redirect("emergency:wall", tenant.slug)
    return _board_page(request, tenant, wall=False)


@staff_page(*BOARD_ROLES)
def wall(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    """The board for the control room's wall: map, cards and every unit, no menu."""
    return _board_page(request, tenant, wall=True)


@staff_page(*BOARD_ROLES)
def board_fragment(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    context = _board_context(tenant)
    context["wall"] = request.GET.get("layar") == "dinding"
    return render(request, "emergency/_board.html", context)


@staff_page(*BOARD_ROLES)
def board_map(request: HttpRequest, tenant: Tenant) -> JsonResponse:
    """Open incidents with a map pin (no caller data)."""
    points = [
        {
            "id": i.pk,
            "number": i.number,
            "category": i.category.name,
            "state": i.get_state_display(),
            "lat": float(i.latitude),
            "lng": float(i.longitude),
            "place": i.landmark,
        }
        for i in selectors.board_incidents(tenant)
        if i.latitude is not None and i.longitude is not None
    ]
    return JsonResponse({"incidents": points})


# --- Server-sent events ----------------------------------------------------------------
# Streams are fed by ``live``'s per-process hub; they hold no database connection between
# events (see live.py).

HEARTBEAT_SECONDS = 15.0
CHECK_SECONDS = 30.0  # how often a stream checks that its session and user are still valid
READY_SECONDS = 5.0  # how long a new stream waits for the hub's listener before catching up
SENT_MEMORY = 2000  # ids remembered to drop an event seen both in the catch-up and live


def _sse(event: dict[str, Any], last_id: int) -> str:
    return f"id: {last_id}\nevent: desk\ndata: {json.dumps(event)}\n\n"


async def event_stream(
    tenant_id: int,
    last_id: int,
    *,
    max_seconds: float | None = None,
    still_allowed: Callable[[], Awaitable[bool]] | None = None,
    check_every: float = CHECK_SECONDS,
    heartbeat: float = HEARTBEAT_SECONDS,
) -> AsyncIterator[str]:
    """SSE messages for the tenant's desk events after ``last_id``, then live ones, with a
    comment as heartbeat. Ends after ``max_seconds`` (if given), when ``still_allowed()``
    says the session or user is no longer valid, or when the client goes away."""
    yield "retry: 1000\n\n"
    sent: set[int] = set()
    started = time.monotonic()
    next_check = started + check_every
    next_beat = started + heartbeat
    async with live.subscription(tenant_id) as sub:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(live.hub().ready.wait(), READY_SECONDS)
        catch_up = live.briefly(live.events_after)
        pending = await catch_up(tenant_id, last_id)
        while True:
            for event in pending:
                if event["id"] in sent:
                    continue
                sent.add(event["id"])
                last_id = max(last_id, event["id"])
                yield _sse(event, last_id)
            if len(sent) > SENT_MEMORY:
                sent = {i for i in sent if i > last_id - SENT_MEMORY // 2}
            now = time.monotonic()
            deadlines = [next_check, next_beat]
            if max_seconds is not None:
                deadlines.append(started + max_seconds)
                if now >= started + max_seconds:
                    return
            if still_allowed is not None and now >= next_check:
                next_check = now + check_every
                if not await still_allowed():
                    return
            if now >= next_beat:
                next_beat = now + heartbeat
                yield ": heartbeat\n\n"
            try:
                item = await asyncio.wait_for(sub.queue.get(), max(0.0, min(deadlines) - now))
            except TimeoutError:
                pending = []
                continue
            pending = (
                await catch_up(tenant_id, last_id)
                if item == live.RESYNC
                else [item]
                if isinstance(item, dict)
                else []
            )


def _still_allowed(session_key: str | None, user_pk: int, tenant_id: int) -> bool:
    """The stream's session still signs in the same user, who is still active desk staff."""
    user: Any
    if session_key is not None:
        store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
        user = get_user(SimpleNamespace(session=store))  # type: ignore[arg-type]
    else:
        user = User.objects.filter(pk=user_pk).first()
    if not isinstance(user, User) or user.pk != user_pk or not user.is_active:
        return False
    tenant = Tenant.objects.filter(pk=tenant_id).first()
    return tenant is not None and is_desk(user, tenant, *BOARD_ROLES)


async def board_stream(request: HttpRequest, tenant_slug: str) -> StreamingHttpResponse:
    """``text/event-stream`` of desk events. EventSource reconnects by itself and sends
    ``Last-Event-ID``, so a dropped connection catches up on what it missed."""
    tenant = await sync_to_async(tenant_from_slug)(tenant_slug)
    user = await request.auser()
    if not isinstance(user, User) or not await sync_to_async(is_desk)(user, tenant, *BOARD_ROLES):
        raise Http404("stream")
    raw_last = request.headers.get("Last-Event-ID") or request.GET.get("last_id") or ""
    last_id = (
        int(raw_last)
        if raw_last.isascii() and raw_last.isdigit() and len(raw_last) < 19
        else await sync_to_async(selectors.last_event_id)(tenant.pk)
    )
    raw_max = request.GET.get("max_seconds", "")
    max_seconds = (
        min(float(raw_max), 3600.0)
        if raw_max.isascii() and raw_max.replace(".", "", 1).isdigit() and len(raw_max) < 10
        else None
    )
    session_key = request.session.session_key
    user_pk, tenant_pk = user.pk, tenant.pk

    async def still_allowed() -> bool:
        return bool(await live.briefly(_still_allowed)(session_key, user_pk, tenant_pk))

    # The request's own connection (session, user) goes back to the pool before streaming.
    await sync_to_async(live.release_connections)()
    response = StreamingHttpResponse(
        event_stream(tenant_pk, last_id, max_seconds=max_seconds, still_allowed=still_allowed),
        content_type="text/event-stream",
    )
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    response["Content-Encoding"] = "identity"  # keeps GZipMiddleware from buffering the stream
    return response


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


def _ticket(complaint_id: int | None) -> str:
    if complaint_id is None:
        return ""
    return Complaint.objects.filter(pk=complaint_id).values_list("ticket", flat=True).first() or ""


def _followup_submit(incident: Incident, category: ComplaintCategory) -> services.FollowupSubmit:
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
            channel=Channel.PHONE,
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


# --- Blocks (supervisor) ---------------------------------------------------------------


@staff_page(Role.SUPERVISOR)
def blocks(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    return render(
        request,
        "emergency/blocks.html",
        {
            "tenant": tenant,
            "blocks": NumberBlock.objects.active().filter(tenant=tenant).order_by("-blocked_at"),
            "recent": NumberBlock.objects.filter(tenant=tenant, unblocked_at__isnull=False)
            .select_related("unblocked_by")
            .order_by("-unblocked_at")[:20],
            "listed_count": RegulatorReport.objects.filter(tenant=tenant).count(),
            "form": UnblockForm(),
            "nav": desk_nav(_user(request), tenant),
        },
    )


@require_POST
@staff_page(Role.SUPERVISOR)
def block_lift(request: HttpRequest, tenant: Tenant, pk: int) -> HttpResponse:
    block = access_block(_user(request), pk, tenant=tenant, for_write=True)
    form = UnblockForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tuliskan alasan membuka blokir (minimal 5 karakter)."))
    else:
        services.number_unblock(
            block=block, actor=_user(request), reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("Blokir nomor %(number)s dibuka.") % {"number": block.number})
    return redirect("emergency:blocks", tenant.slug)
