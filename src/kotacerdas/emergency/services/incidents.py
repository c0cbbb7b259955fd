"""Incidents: creation, dispatch to agencies (and their units), steps, unit status.

State changes go through the lifecycle kit (``core.lifecycle.transition`` with
``INCIDENT_LIFECYCLE``), which locks only the incident's own row and writes the event.
Steps are idempotent: a retried action (same idempotency key, or an action whose effect is
already there) is applied once. Concurrent edits are refused with ``Conflict`` when the
caller's ``expected_version`` is stale (optimistic locking).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import User
from kotacerdas.core.errors import Conflict, DomainError, InvalidTransition
from kotacerdas.core.lifecycle import lock, record, transition
from kotacerdas.emergency.models import (
    AGENCY_STEPS,
    INCIDENT_LIFECYCLE,
    INCIDENT_WORKFLOW,
    STATE_ORDER,
    STATE_TIMESTAMP,
    Agency,
    DeskEvent,
    Dispatch,
    EventKind,
    Incident,
    IncidentCategory,
    State,
    Unit,
    UnitStatus,
)
from kotacerdas.emergency.services._common import _check_version, _event, _replayed
from kotacerdas.regions.models import Level, Region
from kotacerdas.tenants.models import Tenant


@dataclass(frozen=True)
class IncidentData:
    """What the call-taker enters for a normal call."""

    category: IncidentCategory
    kelurahan: Region
    landmark: str
    description: str
    people_involved: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None


def _check_location(*, tenant: Tenant, data: IncidentData) -> None:
    if data.category.tenant_id != tenant.pk or not data.category.is_active:
        raise DomainError(_("Kategori insiden tidak tersedia."), code="invalid_category")
    kel = data.kelurahan
    if kel.level != Level.VILLAGE or not kel.code.startswith(tenant.code + "."):
        raise DomainError(
            _("Kelurahan/desa harus berada di wilayah %(name)s.") % {"name": tenant.short_name},
            code="invalid_kelurahan",
        )
    if not data.landmark.strip():
        raise DomainError(_("Isi patokan atau alamat kejadian."), code="landmark_required")
    if not data.description.strip():
        raise DomainError(_("Isi uraian kejadian."), code="description_required")
    if (data.latitude is None) != (data.longitude is None):
        raise DomainError(
            _("Isi lintang dan bujur bersama-sama, atau kosongkan keduanya."), code="invalid_point"
        )
    if (
        data.latitude is not None
        and data.longitude is not None
        and not (-11 <= data.latitude <= 6 and 95 <= data.longitude <= 141)
    ):
        raise DomainError(_("Koordinat berada di luar Indonesia."), code="invalid_point")


@transaction.atomic
def incident_create(
    *,
    tenant: Tenant,
    actor: User,
    data: IncidentData,
    received_at: dt.datetime,
    source_complaint_id: int | None = None,
) -> Incident:
    _check_location(tenant=tenant, data=data)
    incident = Incident.objects.create(
        tenant=tenant,
        category=data.category,
        kelurahan=data.kelurahan,
        landmark=data.landmark.strip(),
        latitude=data.latitude,
        longitude=data.longitude,
        description=data.description.strip(),
        people_involved=data.people_involved.strip(),
        received_at=received_at,
        created_by=actor,
        source_complaint_id=source_complaint_id,
    )
    _event(
        tenant=tenant,
        kind=EventKind.INCIDENT_CREATED,
        actor=actor,
        incident=incident,
        to_state=State.NEW,
    )
    return incident


def _new_assignments(
    tenant: Tenant,
    existing: dict[int, Dispatch],
    assignments: Sequence[tuple[Agency, Unit | None]],
) -> list[tuple[Agency, Unit | None]]:
    """The assignments not yet applied; raises on an agency or unit that does not fit."""
    todo: list[tuple[Agency, Unit | None]] = []
    for agency, unit in assignments:
        if agency.tenant_id != tenant.pk or not agency.is_active:
            raise DomainError(_("Instansi tidak tersedia."), code="invalid_agency")
        if unit is not None and unit.agency_id != agency.pk:
            raise DomainError(
                _("Unit %(unit)s bukan milik %(agency)s.") % {"unit": unit.name, "agency": agency},
                code="invalid_unit",
            )
        current = existing.get(agency.pk)
        if current is not None and (unit is None or current.unit_id == unit.pk):
            continue  # already applied: a retry, or a second dispatcher doing the same
        todo.append((agency, unit))
    return todo


def _release_unit(unit_id: int, *, tenant: Tenant, actor: User, now: dt.datetime) -> None:
    """A unit taken off a dispatch is free again, in the same transaction, unless it is
    still sent to another incident that is not yet handled."""
    unit = Unit.objects.select_for_update(of=("self",), no_key=True).get(pk=unit_id)
    busy = (
        Dispatch.objects.filter(unit_id=unit_id)
        .exclude(incident__state__in=[State.RESOLVED, State.CLOSED])
        .exists()
    )
    if unit.status != UnitStatus.ASSIGNED or busy:
        return
    unit.status = UnitStatus.AVAILABLE
    unit.updated_at = now
    unit.save(update_fields=["status", "updated_at"])
    _event(tenant=tenant, kind=EventKind.UNIT, actor=actor, unit=unit, to_state=unit.status)


def _assign_unit(unit: Unit) -> Unit:
    locked = Unit.objects.select_for_update(of=("self",), no_key=True).get(pk=unit.pk)
    if locked.status != UnitStatus.AVAILABLE:
        raise Conflict(
            _("Unit %(unit)s sedang %(status)s.")
            % {"unit": locked, "status": locked.get_status_display().lower()},
            code="unit_unavailable",
        )
    locked.status = UnitStatus.ASSIGNED
    locked.save(update_fields=["status", "updated_at"])
    return locked


def _stamps(incident: Incident, target: str, now: dt.datetime) -> dict[str, Any]:
    """The incident's time stamp for reaching ``target`` (only the first time)."""
    field = STATE_TIMESTAMP.get(State(target))
    if field and getattr(incident, field) is None:
        return {field: now}
    return {}


def _apply(
    incident: Incident,
    action: str,
    *,
    actor: User,
    now: dt.datetime,
    moves: bool,
    changes: dict[str, Any] | None = None,
    note: str = "",
    idempotency_key: str | None = None,
    data: dict[str, Any] | None = None,
) -> Incident:
    """Bump the version and write the step's event: through ``transition`` when the state
    moves, as a recorded step when it does not (another agency catching up)."""
    changes = {**(changes or {}), "version": incident.version + 1}
    if moves:
        target = INCIDENT_WORKFLOW.target(incident.state, action)
        changes.update(_stamps(incident, target, now))
        incident = transition(
            incident,
            action,
            lifecycle=INCIDENT_LIFECYCLE,
            actor=actor,
            note=note,
            data=data,
            changes=changes,
            at=now,
        )
        event: DeskEvent = incident._last_event  # type: ignore[attr-defined]
    else:
        for name, value in changes.items():
            setattr(incident, name, value)
        incident.save(update_fields=list(changes))
        event = record(  # type: ignore[assignment]
            incident,
            lifecycle=INCIDENT_LIFECYCLE,
            action=action,
            actor=actor,
            note=note,
            data=data,
            at=now,
        )
    if idempotency_key:
        event.idempotency_key = idempotency_key
        event.save(update_fields=["idempotency_key"])
    return incident


@transaction.atomic
def incident_dispatch(
    *,
    incident: Incident,
    actor: User,
    assignments: Sequence[tuple[Agency, Unit | None]],
    expected_version: int | None = None,
    idempotency_key: str | None = None,
) -> Incident:
    """Send one or more agencies (each optionally with a unit) to an incident.

    The first dispatch moves the incident to "dispatched". An agency already sent is not
    sent twice (its unit may be set or changed later: the unit it had is freed). Locks the
    incident's row and the units' rows only."""
    incident = lock(incident)
    tenant = incident.tenant
    if _replayed(tenant, idempotency_key):
        return incident
    if not assignments:
        raise DomainError(_("Pilih minimal satu instansi."), code="agency_required")
    if incident.state in (State.RESOLVED, State.CLOSED):
        raise InvalidTransition(
            _("Insiden yang sudah tertangani atau ditutup tidak dapat diteruskan lagi.")
        )
    existing = {
        d.agency_id: d for d in incident.dispatches.select_for_update(of=("self",), no_key=True)
    }
    todo = _new_assignments(tenant, existing, assignments)
    if not todo:
        return incident
    _check_version(incident, expected_version)
    now = timezone.now()
    for agency, unit in todo:
        assigned = _assign_unit(unit) if unit is not None else None
        dispatch = existing.get(agency.pk)
        if dispatch is None:
            dispatch = Dispatch.objects.create(
                incident=incident,
                agency=agency,
                unit=assigned,
                dispatched_at=now,
                dispatched_by=actor,
            )
        else:
            previous = dispatch.unit_id
            dispatch.unit = assigned
            dispatch.save(update_fields=["unit"])
            if previous is not None:
                _release_unit(previous, tenant=tenant, actor=actor, now=now)
        _event(
            tenant=tenant,
            kind=EventKind.DISPATCHED,
            actor=actor,
            incident=incident,
            dispatch=dispatch,
            unit=assigned,
            action="dispatch",
            note=str(assigned or agency),
        )
    return _apply(
        incident,
        "dispatch",
        actor=actor,
        now=now,
        moves=incident.state == State.NEW,
        idempotency_key=idempotency_key,
    )


def _agency_step(
    incident: Incident,
    action: str,
    agency: Agency | None,
    expected_version: int | None,
    now: dt.datetime,
) -> tuple[bool, bool]:
    """Record an agency step on its dispatch(es). Returns (applied, the incident moves):
    not applied when there was nothing left to record."""
    field = AGENCY_STEPS[action]
    if incident.state in (State.RESOLVED, State.CLOSED):
        raise InvalidTransition(
            _("Insiden sudah tertangani; langkah instansi tidak dapat dicatat lagi.")
        )
    dispatches = list(incident.dispatches.select_for_update(of=("self",), no_key=True))
    if agency is not None:
        dispatches = [d for d in dispatches if d.agency_id == agency.pk]
    if not dispatches:
        raise InvalidTransition(_("Insiden ini belum diteruskan ke instansi tersebut."))
    pending = [d for d in dispatches if getattr(d, field) is None]
    if not pending:
        return False, False
    _check_version(incident, expected_version)
    for dispatch in pending:
        setattr(dispatch, field, now)
        dispatch.save(update_fields=[field])
    target = INCIDENT_WORKFLOW.transitions[action][1]
    return True, STATE_ORDER[State(incident.state)] < STATE_ORDER[State(target)]


def _desk_step(
    incident: Incident, action: str, expected_version: int | None, note: str, now: dt.datetime
) -> dict[str, Any] | None:
    """Resolve or close: the changes to make, or None if the incident is already there."""
    if incident.state == INCIDENT_WORKFLOW.transitions[action][1]:
        return None
    _check_version(incident, expected_version)
    INCIDENT_WORKFLOW.target(incident.state, action)  # raises on a move the table forbids
    changes: dict[str, Any] = {}
    if action == "resolve":
        if note.strip():
            changes["field_report"] = note.strip()
        # the teams are free again once the incident is handled
        for unit in Unit.objects.select_for_update(of=("self",), no_key=True).filter(
            dispatches__incident=incident, status=UnitStatus.ASSIGNED
        ):
            unit.status = UnitStatus.AVAILABLE
            unit.save(update_fields=["status", "updated_at"])
    elif action == "close" and note.strip():
        changes["closing_note"] = note.strip()
    return changes


@transaction.atomic
def incident_step(
    *,
    incident: Incident,
    actor: User,
    action: str,
    agency: Agency | None = None,
    expected_version: int | None = None,
    idempotency_key: str | None = None,
    note: str = "",
) -> Incident:
    """Move an incident one step (acknowledge, depart, arrive, resolve, close).

    Agency steps (acknowledge, depart, arrive) are recorded on the agency's dispatch (on
    every dispatch still lacking it when ``agency`` is None); the incident follows the
    furthest agency. A retried step, by key or because its effect is already there,
    changes nothing. Locks the incident's row only."""
    incident = lock(incident)
    tenant = incident.tenant
    if _replayed(tenant, idempotency_key):
        return incident
    if action not in INCIDENT_WORKFLOW.transitions or action == "dispatch":
        raise InvalidTransition(_("Tindakan “%(action)s” tidak dikenal.") % {"action": action})
    now = timezone.now()
    data = {"agency": agency.code} if agency is not None else None
    if action in AGENCY_STEPS:
        applied, moves = _agency_step(incident, action, agency, expected_version, now)
        if not applied:
            return incident  # already applied
        changes: dict[str, Any] = {}
    else:
        desk = _desk_step(incident, action, expected_version, note, now)
        if desk is None:
            return incident  # already applied
        changes, moves = desk, True
    return _apply(
        incident,
        action,
        actor=actor,
        now=now,
        moves=moves,
        changes=changes,
        note=note.strip(),
        idempotency_key=idempotency_key,
        data=data,
    )


@transaction.atomic
def unit_set_status(
    *, unit: Unit, actor: User, status: str, idempotency_key: str | None = None
) -> Unit:
    if status not in UnitStatus.values:
        raise DomainError(
            _("Status unit tidak dikenal: available, assigned atau out_of_service."),
            code="invalid_unit_status",
        )
    unit = lock(unit)
    tenant = unit.agency.tenant
    if _replayed(tenant, idempotency_key) or unit.status == status:
        return unit
    unit.status = status
    unit.save(update_fields=["status", "updated_at"])
    _event(
        tenant=tenant,
        kind=EventKind.UNIT,
        actor=actor,
        unit=unit,
        to_state=status,
        idempotency_key=idempotency_key,
    )
    return unit
