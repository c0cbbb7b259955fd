"""``/api/v1/emergency``: calls (CTI), incidents, dispatches and units (agencies' systems).

Call-takers' tokens log calls; dispatchers' and supervisors' tokens dispatch and step
incidents; an agency account's token sees only incidents its agency was sent to and updates
only its own units and its own steps.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.params.functions import Query  # the typed function behind ninja.Query

from kotacerdas.accounts.models import User
from kotacerdas.core.api_errors import ErrorOut
from kotacerdas.core.errors import DomainError
from kotacerdas.emergency import services
from kotacerdas.emergency.access import (
    DISPATCH_ROLES,
    INTAKE_ROLES,
    access_agency_unit,
    access_incident,
    access_unit,
    agency_of,
    api_tenant,
    is_desk,
)
from kotacerdas.emergency.models import (
    AGENCY_STEPS,
    Agency,
    Dispatch,
    Incident,
    IncidentCategory,
    Unit,
)
from kotacerdas.emergency.schemas import (
    CallIn,
    CallOut,
    DispatchIn,
    DispatchOut,
    IncidentIn,
    IncidentOut,
    StepIn,
    UnitOut,
    UnitStatusIn,
)
from kotacerdas.regions.models import Region
from kotacerdas.tenants.models import Tenant

router = Router(tags=["emergency"])
DISPATCHES = Prefetch("dispatches", queryset=Dispatch.objects.select_related("agency", "unit"))
ERRORS = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - both authenticators return a User
    return user


def _tenant_for(user: User, *roles: str) -> Tenant:
    tenant = user.tenant
    if tenant is None or not is_desk(user, tenant, *roles):
        raise Http404("emergency")
    return tenant


def incident_data(tenant: Tenant, payload: IncidentIn) -> services.IncidentData:
    category = IncidentCategory.objects.filter(
        tenant=tenant, code=payload.category, is_active=True
    ).first()
    if category is None:
        raise DomainError(
            _("Kategori “%(code)s” tidak dikenal.") % {"code": payload.category[:40]},
            code="invalid_category",
        )
    kelurahan = Region.objects.filter(pk=payload.kelurahan).first()
    if kelurahan is None:
        raise DomainError(
            _("Kelurahan/desa “%(code)s” tidak dikenal.") % {"code": payload.kelurahan[:13]},
            code="invalid_kelurahan",
        )
    return services.IncidentData(
        category=category,
        kelurahan=kelurahan,
        landmark=payload.landmark,
        description=payload.description,
        people_involved=payload.people_involved,
        latitude=payload.latitude,
        longitude=payload.longitude,
    )


def incident_out(incident: Incident) -> IncidentOut:
    return IncidentOut(
        id=incident.pk,
        number=incident.number,
        state=incident.state,
        version=incident.version,
        category=incident.category.code,
        kelurahan=incident.kelurahan_id or "",
        kecamatan=(
            incident.kelurahan.parent.name
            if incident.kelurahan is not None and incident.kelurahan.parent
            else ""
        ),
        landmark=incident.landmark_text,
        latitude=incident.latitude,
        longitude=incident.longitude,
        description=incident.description_text,
        people_involved=incident.people_involved,
        received_at=incident.received_at,
        dispatched_at=incident.dispatched_at,
        acknowledged_at=incident.acknowledged_at,
        en_route_at=incident.en_route_at,
        on_scene_at=incident.on_scene_at,
        resolved_at=incident.resolved_at,
        closed_at=incident.closed_at,
        dispatches=[
            DispatchOut(
                id=d.pk,
                agency=d.agency.code,
                unit=d.unit.name if d.unit else None,
                dispatched_at=d.dispatched_at,
                acknowledged_at=d.acknowledged_at,
                en_route_at=d.en_route_at,
                on_scene_at=d.on_scene_at,
            )
            for d in incident.dispatches.all()
        ],
    )


@router.post(
    "/calls", response={201: CallOut, **ERRORS}, summary="Catat panggilan (CTI/penerima panggilan)"
)
def call_create(request: HttpRequest, payload: CallIn) -> Status[CallOut]:
    """Logs one call. `caller_blocked` is computed after this call is counted; a blocked
    number is still logged. Repeat a request with the same `idempotency_key` safely."""
    user = _user(request)
    tenant = _tenant_for(user, *INTAKE_ROLES)
    data = incident_data(tenant, payload.incident) if payload.incident else None
    result = services.call_log(
        tenant=tenant,
        taker=user,
        caller_number=payload.caller_number,
        call_type=payload.call_type,
        caller_name=payload.caller_name,
        note=payload.note,
        received_at=payload.received_at,
        incident=data,
        idempotency_key=payload.idempotency_key,
    )
    call = result.call
    return Status(
        201,
        CallOut(
            id=call.pk,
            caller_number=call.caller_number,
            call_type=call.call_type,
            received_at=call.received_at,
            incident_id=call.incident_id,
            caller_blocked=result.caller_blocked,
            blocked_until=result.block.until if result.block else None,
            regulator_listed=result.regulator_listed,
            invalid_calls_in_window=result.invalid_calls_in_window,
        ),
    )


@router.get("/incidents", response={200: list[IncidentOut], **ERRORS}, summary="Insiden terbuka")
def incident_list(
    request: HttpRequest,
    response: HttpResponse,
    after: int | None = Query(
        None, ge=1, description="Id insiden terakhir halaman sebelumnya (paging keyset)."
    ),
    limit: int = Query(100, ge=1, le=200, description="Banyak insiden per halaman."),
) -> list[IncidentOut]:
    """Open incidents, oldest first. A full page carries ``Link: <…?after=ID>; rel="next"``."""
    user = _user(request)
    agency = agency_of(user)
    if agency is not None:
        qs = Incident.objects.open().filter(dispatches__agency=agency)
    else:
        qs = Incident.objects.open().filter(tenant=_tenant_for(user))
    if after is not None:
        cursor = qs.filter(pk=after).values_list("received_at", flat=True).first()
        if cursor is None:
            raise DomainError(
                _("Kursor “after” tidak menunjuk insiden terbuka Anda."), code="invalid_cursor"
            )
        qs = qs.filter(Q(received_at__gt=cursor) | Q(received_at=cursor, pk__gt=after))
    page = list(
        qs.select_related("category", "kelurahan__parent")
        .prefetch_related(DISPATCHES)
        .order_by("received_at", "pk")[:limit]
    )
    if len(page) == limit:
        query = urlencode({"after": page[-1].pk, "limit": limit})
        response["Link"] = f'<{request.path}?{query}>; rel="next"'
    return [incident_out(i) for i in page]


@router.get("/incidents/{incident_id}", response={200: IncidentOut, **ERRORS})
def incident_detail(request: HttpRequest, incident_id: int) -> IncidentOut:
    user = _user(request)
    return incident_out(access_incident(user, incident_id, tenant=api_tenant(user)))


@router.post(
    "/incidents/{incident_id}/dispatches",
    response={200: IncidentOut, **ERRORS},
    summary="Teruskan ke instansi/unit",
)
def incident_dispatch(request: HttpRequest, incident_id: int, payload: DispatchIn) -> IncidentOut:
    user = _user(request)
    incident = access_incident(
        user, incident_id, tenant=api_tenant(user, *DISPATCH_ROLES), for_write=True
    )
    if not is_desk(user, incident.tenant, *DISPATCH_ROLES):  # agencies record steps only
        raise Http404("incident")
    assignments: list[tuple[Agency, Unit | None]] = []
    for item in payload.assignments:
        agency = Agency.objects.filter(
            tenant=incident.tenant, code=item.agency, is_active=True
        ).first()
        if agency is None:
            raise DomainError(
                _("Instansi “%(code)s” tidak dikenal.") % {"code": item.agency[:40]},
                code="invalid_agency",
            )
        unit = None
        if item.unit_id is not None:
            try:
                unit = access_agency_unit(
                    user, item.unit_id, tenant=incident.tenant, agency=agency, for_write=True
                )
            except Http404:
                raise DomainError(
                    _("Unit %(id)s bukan milik %(agency)s.")
                    % {"id": item.unit_id, "agency": agency},
                    code="invalid_unit",
                ) from None
        assignments.append((agency, unit))
    incident = services.incident_dispatch(
        incident=incident,
        actor=user,
        assignments=assignments,
        expected_version=payload.version,
        idempotency_key=payload.idempotency_key,
    )
    return incident_out(incident)


@router.post(
    "/incidents/{incident_id}/steps",
    response={200: IncidentOut, **ERRORS},
    summary="Langkah insiden (instansi atau dispatcher)",
)
def incident_step(request: HttpRequest, incident_id: int, payload: StepIn) -> IncidentOut:
    """An agency account records its own steps (`acknowledge`, `depart`, `arrive`) only;
    dispatchers also `resolve` and `close`, and must send the `version` they saw."""
    user = _user(request)
    incident = access_incident(user, incident_id, tenant=api_tenant(user))
    agency = None
    if is_desk(user, incident.tenant, *DISPATCH_ROLES):
        if payload.version is None:
            raise DomainError(
                _("Sertakan “version” insiden yang Anda lihat."), code="version_required"
            )
    else:
        agency = agency_of(user)
        if agency is None:
            raise Http404("incident")
        if payload.action not in AGENCY_STEPS:
            raise DomainError(
                _("Instansi hanya dapat mencatat: diterima, bergerak, tiba di lokasi."),
                code="agency_step_only",
                status=403,
            )
    incident = services.incident_step(
        incident=incident,
        actor=user,
        action=payload.action,
        agency=agency,
        expected_version=payload.version,
        idempotency_key=payload.idempotency_key,
        note=payload.note,
    )
    return incident_out(incident)


@router.get("/units", response={200: list[UnitOut], **ERRORS}, summary="Unit dan statusnya")
def unit_list(request: HttpRequest) -> list[UnitOut]:
    user = _user(request)
    agency = agency_of(user)
    if agency is not None:
        qs = Unit.objects.filter(agency=agency)
    else:
        qs = Unit.objects.filter(agency__tenant=_tenant_for(user))
    return [
        UnitOut(id=u.pk, agency=u.agency.code, name=u.name, status=u.status)
        for u in qs.select_related("agency").order_by("agency__short_name", "name")
    ]


@router.post(
    "/units/{unit_id}/status", response={200: UnitOut, **ERRORS}, summary="Ubah status unit"
)
def unit_status(request: HttpRequest, unit_id: int, payload: UnitStatusIn) -> UnitOut:
    user = _user(request)
    unit = access_unit(user, unit_id, tenant=api_tenant(user), for_write=True)
    unit = services.unit_set_status(
        unit=unit, actor=user, status=payload.status, idempotency_key=payload.idempotency_key
    )
    return UnitOut(id=unit.pk, agency=unit.agency.code, name=unit.name, status=unit.status)
