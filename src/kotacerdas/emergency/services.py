"""Every write of the 112 desk. Each function runs in a transaction and writes a ``DeskEvent``.

Incident steps are idempotent: a retried action (same idempotency key, or an action whose
effect is already there) is applied once. Concurrent edits are refused with ``Conflict`` when
the caller's ``expected_version`` is stale (optimistic locking); the row itself is locked with
``select_for_update`` while it changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import User
from kotacerdas.accounts.phone import normalize_phone
from kotacerdas.core.errors import Conflict, DomainError, InvalidTransition
from kotacerdas.emergency.models import (
    AGENCY_STEPS,
    INCIDENT_WORKFLOW,
    INVALID_CALL_TYPES,
    OPEN_STATES,
    STATE_ORDER,
    STATE_TIMESTAMP,
    Agency,
    Call,
    CallType,
    DeskEvent,
    Dispatch,
    EventKind,
    Incident,
    IncidentCategory,
    NumberBlock,
    RegulatorReport,
    State,
    Unit,
    UnitStatus,
)
from kotacerdas.emergency.selectors import policy_for
from kotacerdas.regions.models import Level, Region
from kotacerdas.tenants.models import Tenant

MAX_NUMBER_LENGTH = 40


def caller_number_normalize(raw: str) -> str:
    """``0812-3456-7890`` → ``+6281234567890``; odd numbers (short codes, foreign, withheld)
    are kept as typed, without spaces, so that their calls still group together."""
    raw = raw.strip()
    if not raw:
        raise DomainError(
            _("Nomor penelepon wajib diisi (tulis “tidak ada” bila nomor disembunyikan)."),
            code="caller_number_required",
        )
    if len(raw) > MAX_NUMBER_LENGTH:
        raise DomainError(
            _("Nomor penelepon terlalu panjang (paling banyak 40 karakter)."),
            code="caller_number_too_long",
        )
    return normalize_phone(raw) or "".join(raw.split()).lower()


@dataclass(frozen=True)
class CallResult:
    call: Call
    incident: Incident | None
    caller_blocked: bool
    block: NumberBlock | None
    regulator_listed: bool
    invalid_calls_in_window: int


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


def _event(
    *,
    tenant: Tenant,
    kind: str,
    actor: User | None,
    incident: Incident | None = None,
    dispatch: Dispatch | None = None,
    unit: Unit | None = None,
    action: str = "",
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    idempotency_key: str | None = None,
    at: dt.datetime | None = None,
) -> DeskEvent:
    return DeskEvent.objects.create(
        tenant=tenant,
        kind=kind,
        actor=actor,
        incident=incident,
        dispatch=dispatch,
        unit=unit,
        action=action,
        from_state=from_state,
        to_state=to_state,
        note=note[:2000],
        idempotency_key=idempotency_key or None,
        at=at or timezone.now(),
    )


def _block_result(*, tenant: Tenant, call: Call, incident: Incident | None) -> CallResult:
    policy = policy_for(tenant)
    since = timezone.now() - dt.timedelta(hours=policy.prank_window_hours)
    count = (
        Call.objects.invalid()
        .filter(tenant=tenant, caller_number=call.caller_number, received_at__gt=since)
        .count()
    )
    block = NumberBlock.objects.active().filter(tenant=tenant, number=call.caller_number).first()
    listed = RegulatorReport.objects.filter(tenant=tenant, number=call.caller_number).exists()
    return CallResult(
        call=call,
        incident=incident,
        caller_blocked=block is not None,
        block=block,
        regulator_listed=listed,
        invalid_calls_in_window=count,
    )


@transaction.atomic
def call_log(
    *,
    tenant: Tenant,
    taker: User,
    caller_number: str,
    call_type: str,
    caller_name: str = "",
    note: str = "",
    received_at: dt.datetime | None = None,
    incident: IncidentData | None = None,
    idempotency_key: str | None = None,
) -> CallResult:
    """Log one answered call and apply the prank policy to its number.

    ``caller_blocked`` in the result is computed after this call is counted. A blocked
    number can still be logged: a blocked caller may have a real emergency. A retry with
    the same ``idempotency_key`` returns the first call and logs nothing new."""
    if call_type not in CallType.values:
        raise DomainError(
            _("Jenis panggilan tidak dikenal: pilih normal, ghost, prank atau informasi."),
            code="invalid_call_type",
        )
    if idempotency_key:
        existing = Call.objects.filter(tenant=tenant, idempotency_key=idempotency_key).first()
        if existing is not None:
            return _block_result(tenant=tenant, call=existing, incident=existing.incident)
    number = caller_number_normalize(caller_number)
    now = timezone.now()
    received_at = received_at or now
    if timezone.is_naive(received_at):
        raise DomainError(
            _("Waktu panggilan harus menyertakan zona waktu, misalnya 2026-03-02T08:00:00+07:00."),
            code="received_without_timezone",
        )
    if received_at > now + dt.timedelta(minutes=5):
        raise DomainError(
            _("Waktu panggilan tidak boleh di masa depan."), code="received_in_future"
        )
    if incident is not None and call_type != CallType.NORMAL:
        raise DomainError(
            _("Hanya panggilan normal yang membuat insiden."), code="incident_on_invalid_call"
        )
    try:
        with transaction.atomic():  # a savepoint: a concurrent retry may win the key
            call = Call.objects.create(
                tenant=tenant,
                caller_number=number,
                caller_number_raw=caller_number.strip()[:MAX_NUMBER_LENGTH],
                caller_name=caller_name.strip()[:120],
                call_type=call_type,
                note=note.strip(),
                taker=taker,
                received_at=received_at,
                idempotency_key=idempotency_key or None,
            )
    except IntegrityError:
        existing = Call.objects.get(tenant=tenant, idempotency_key=idempotency_key)
        return _block_result(tenant=tenant, call=existing, incident=existing.incident)
    _event(tenant=tenant, kind=EventKind.CALL, actor=taker, action=call_type)
    created_incident = None
    if incident is not None:
        created_incident = incident_create(
            tenant=tenant, actor=taker, data=incident, received_at=received_at
        )
        call.incident = created_incident
        call.save(update_fields=["incident"])
    if call_type in INVALID_CALL_TYPES:
        _apply_prank_policy(tenant=tenant, number=number, actor=taker)
    return _block_result(tenant=tenant, call=call, incident=created_incident)


def _apply_prank_policy(*, tenant: Tenant, number: str, actor: User) -> None:
    policy = policy_for(tenant)
    now = timezone.now()
    window = Call.objects.invalid().filter(
        tenant=tenant,
        caller_number=number,
        received_at__gt=now - dt.timedelta(hours=policy.prank_window_hours),
    )
    count = window.count()
    # Serang: "more than 5 prank calls from one number: blocked for 1 day".
    if (
        count > policy.block_after
        and not NumberBlock.objects.active().filter(tenant=tenant, number=number).exists()
    ):
        NumberBlock.objects.create(
            tenant=tenant,
            number=number,
            invalid_calls=count,
            blocked_at=now,
            until=now + dt.timedelta(hours=policy.block_hours),
        )
        _event(tenant=tenant, kind=EventKind.BLOCKED, actor=actor, note=number)
    # Serang: "10 prank calls: Diskominfo asks the national regulator to block the number".
    if count >= policy.regulator_after:
        first = window.order_by("received_at").values_list("received_at", flat=True).first()
        RegulatorReport.objects.get_or_create(
            tenant=tenant,
            number=number,
            defaults={"invalid_calls": count, "first_call_at": first or now},
        )


@transaction.atomic
def number_unblock(*, block: NumberBlock, actor: User, reason: str) -> NumberBlock:
    """A supervisor lifts a block early; the reason is kept."""
    reason = reason.strip()
    if len(reason) < 5:
        raise DomainError(
            _("Tuliskan alasan membuka blokir (minimal 5 karakter)."), code="reason_required"
        )
    block = NumberBlock.objects.select_for_update().get(pk=block.pk)
    if block.unblocked_at is not None:
        return block
    block.unblocked_at = timezone.now()
    block.unblocked_by = actor
    block.unblock_reason = reason
    block.save(update_fields=["unblocked_at", "unblocked_by", "unblock_reason"])
    _event(tenant=block.tenant, kind=EventKind.UNBLOCKED, actor=actor, note=reason)
    return block


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


def _lock(incident: Incident) -> Incident:
    return Incident.objects.select_for_update().select_related("tenant").get(pk=incident.pk)


def _replayed(tenant: Tenant, idempotency_key: str | None) -> bool:
    return (
        bool(idempotency_key)
        and DeskEvent.objects.filter(tenant=tenant, idempotency_key=idempotency_key).exists()
    )


def _check_version(incident: Incident, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != incident.version:
        last = incident.events.select_related("actor").order_by("-pk").first()
        who = last.actor.display_name if last and last.actor else _("orang lain")
        raise Conflict(
            _(
                "Insiden %(number)s baru saja diubah oleh %(who)s (sekarang: %(state)s). "
                "Perubahan Anda tidak disimpan; muat ulang lalu periksa sebelum mencoba lagi."
            )
            % {"number": incident.number, "who": who, "state": incident.get_state_display()},
            code="stale_version",
        )


def _move(incident: Incident, target: str, now: dt.datetime) -> None:
    incident.state = target
    field = STATE_TIMESTAMP.get(State(target))
    if field and getattr(incident, field) is None:
        setattr(incident, field, now)


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
    sent twice (its unit may be set later). Locks the incident and the units."""
    incident = _lock(incident)
    tenant = incident.tenant
    if _replayed(tenant, idempotency_key):
        return incident
    if not assignments:
        raise DomainError(_("Pilih minimal satu instansi."), code="agency_required")
    if incident.state in (State.RESOLVED, State.CLOSED):
        raise InvalidTransition(
            _("Insiden yang sudah tertangani atau ditutup tidak dapat diteruskan lagi.")
        )
    existing = {d.agency_id: d for d in incident.dispatches.select_for_update()}
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
    from_state = incident.state
    if incident.state == State.NEW:
        _move(incident, INCIDENT_WORKFLOW.target(incident.state, "dispatch"), now)
    incident.version += 1
    incident.save()
    _event(
        tenant=tenant,
        kind=EventKind.STEP,
        actor=actor,
        incident=incident,
        action="dispatch",
        from_state=from_state,
        to_state=incident.state,
        idempotency_key=idempotency_key,
    )
    return incident


def _agency_step(
    incident: Incident,
    action: str,
    agency: Agency | None,
    expected_version: int | None,
    now: dt.datetime,
) -> bool:
    """Record an agency step on its dispatch(es); False if there was nothing left to record."""
    field = AGENCY_STEPS[action]
    if incident.state in (State.RESOLVED, State.CLOSED):
        raise InvalidTransition(
            _("Insiden sudah tertangani; langkah instansi tidak dapat dicatat lagi.")
        )
    dispatches = list(incident.dispatches.select_for_update())
    if agency is not None:
        dispatches = [d for d in dispatches if d.agency_id == agency.pk]
    if not dispatches:
        raise InvalidTransition(_("Insiden ini belum diteruskan ke instansi tersebut."))
    pending = [d for d in dispatches if getattr(d, field) is None]
    if not pending:
        return False
    _check_version(incident, expected_version)
    for dispatch in pending:
        setattr(dispatch, field, now)
        dispatch.save(update_fields=[field])
    target = INCIDENT_WORKFLOW.transitions[action][1]
    if STATE_ORDER[State(incident.state)] < STATE_ORDER[State(target)]:
        _move(incident, INCIDENT_WORKFLOW.target(incident.state, action), now)
    return True


def _desk_step(
    incident: Incident, action: str, expected_version: int | None, note: str, now: dt.datetime
) -> bool:
    """Resolve or close; False if the incident is already there."""
    if incident.state == INCIDENT_WORKFLOW.transitions[action][1]:
        return False
    _check_version(incident, expected_version)
    _move(incident, INCIDENT_WORKFLOW.target(incident.state, action), now)
    if action == "resolve":
        if note.strip():
            incident.field_report = note.strip()
        # the teams are free again once the incident is handled
        Unit.objects.filter(dispatches__incident=incident, status=UnitStatus.ASSIGNED).update(
            status=UnitStatus.AVAILABLE, updated_at=now
        )
    elif action == "close" and note.strip():
        incident.closing_note = note.strip()
    return True


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
    changes nothing. Locks the incident row."""
    incident = _lock(incident)
    tenant = incident.tenant
    if _replayed(tenant, idempotency_key):
        return incident
    if action not in INCIDENT_WORKFLOW.transitions or action == "dispatch":
        raise InvalidTransition(_("Tindakan “%(action)s” tidak dikenal.") % {"action": action})
    now = timezone.now()
    from_state = incident.state
    applied = (
        _agency_step(incident, action, agency, expected_version, now)
        if action in AGENCY_STEPS
        else _desk_step(incident, action, expected_version, note, now)
    )
    if not applied:
        return incident  # already applied
    incident.version += 1
    incident.save()
    _event(
        tenant=tenant,
        kind=EventKind.STEP,
        actor=actor,
        incident=incident,
        action=action,
        from_state=from_state,
        to_state=incident.state,
        note=note.strip(),
        idempotency_key=idempotency_key,
        at=now,
    )
    return incident


@transaction.atomic
def unit_set_status(
    *, unit: Unit, actor: User, status: str, idempotency_key: str | None = None
) -> Unit:
    if status not in UnitStatus.values:
        raise DomainError(
            _("Status unit tidak dikenal: available, assigned atau out_of_service."),
            code="invalid_unit_status",
        )
    unit = Unit.objects.select_for_update().select_related("agency__tenant").get(pk=unit.pk)
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


# --- Seams to the complaints app --------------------------------------------------------
# Not importing the complaints app here: its escalation view (``complaints/escalation.py``)
# calls ``incident_create_from_complaint``, and the desk's ``incident_followup`` view passes
# the complaints app's submit-and-dispose as ``submit`` to ``incident_create_followup_complaint``.


@transaction.atomic
def incident_create_from_complaint(
    *, tenant: Tenant, actor: User, complaint_id: int, data: IncidentData, received_at: dt.datetime
) -> Incident:
    """Escalate a complaint into an incident; escalating the same complaint again returns
    the incident made the first time."""
    existing = Incident.objects.filter(tenant=tenant, source_complaint_id=complaint_id).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return incident_create(
                tenant=tenant,
                actor=actor,
                data=data,
                received_at=received_at,
                source_complaint_id=complaint_id,
            )
    except IntegrityError:
        # Two escalations of the same complaint raced: the other one made the incident.
        return Incident.objects.get(tenant=tenant, source_complaint_id=complaint_id)


FollowupSubmit = Callable[..., int]


@transaction.atomic
def incident_create_followup_complaint(
    *, incident: Incident, actor: User, opd_id: int, summary: str, submit: FollowupSubmit
) -> int:
    """From a closed incident, open a follow-up complaint for an OPD (e.g. clearing a fallen
    tree the next day). ``submit(tenant=, actor=, opd_id=, title=, description=, kelurahan=,
    landmark=, latitude=, longitude=)`` is the complaints app's service and returns the new
    complaint's id. Done once per incident."""
    incident = _lock(incident)
    if incident.followup_complaint_id is not None:
        return incident.followup_complaint_id
    if incident.state != State.CLOSED:
        raise InvalidTransition(_("Aduan tindak lanjut hanya dari insiden yang sudah ditutup."))
    if not summary.strip():
        raise DomainError(_("Tuliskan apa yang perlu ditindaklanjuti."), code="summary_required")
    complaint_id = submit(
        tenant=incident.tenant,
        actor=actor,
        opd_id=opd_id,
        title=_("Tindak lanjut insiden 112 %(number)s: %(category)s")
        % {"number": incident.number, "category": incident.category},
        description=summary.strip(),
        kelurahan=incident.kelurahan,
        landmark=incident.landmark,
        latitude=incident.latitude,
        longitude=incident.longitude,
    )
    incident.followup_complaint_id = complaint_id
    incident.save(update_fields=["followup_complaint_id"])
    _event(
        tenant=incident.tenant,
        kind=EventKind.UPDATED,
        actor=actor,
        incident=incident,
        action="followup",
        note=str(complaint_id),
    )
    return complaint_id


# --- Seam for the sensors app: an alert opens (or escalates) one incident -----------------

ALERT_CATEGORY_CODE = "peringatan-sensor"
# The nearest village centre is taken as the incident's kelurahan when it is this close
# (in degrees of latitude/longitude, about 11 km).
NEAREST_VILLAGE_DEGREES = Decimal("0.1")


def _alert_category(tenant: Tenant, kind: str) -> IncidentCategory:
    category = IncidentCategory.objects.filter(tenant=tenant, code=kind, is_active=True).first()
    if category is not None:
        return category
    category, _created = IncidentCategory.objects.get_or_create(
        tenant=tenant,
        code=ALERT_CATEGORY_CODE,
        defaults={"name": "Peringatan sensor", "order": 90},
    )
    return category


def _nearest_village(tenant: Tenant, lat: Decimal | None, lng: Decimal | None) -> Region | None:
    """The tenant's village whose centre point is nearest (one query, ordered in SQL)."""
    if lat is None or lng is None:
        return None
    d = NEAREST_VILLAGE_DEGREES
    return (
        Region.objects.villages_of_regency(tenant.code)
        .filter(
            center_lat__range=(lat - d, lat + d),
            center_lng__range=(lng - d, lng + d),
        )
        .annotate(
            distance=(F("center_lat") - lat) * (F("center_lat") - lat)
            + (F("center_lng") - lng) * (F("center_lng") - lng)
        )
        .order_by("distance", "code")
        .first()
    )


def _alert_point(lat: float | None, lng: float | None) -> tuple[Decimal | None, Decimal | None]:
    if lat is None or lng is None:
        return None, None
    point = (Decimal(str(round(lat, 6))), Decimal(str(round(lng, 6))))
    if not (-11 <= point[0] <= 6 and 95 <= point[1] <= 141):
        return None, None  # a sensor outside Indonesia has a wrong position: keep no pin
    return point


@transaction.atomic
def incident_open_from_alert(
    *,
    tenant: Tenant,
    source_key: str,
    kind: str,
    level: str,
    title: str,
    description: str,
    lat: float | None,
    lng: float | None,
    url: str = "",
) -> Incident:
    """Open an incident for a sensor alert, or escalate the open one with the same key.

    Idempotent on ``(tenant, source_key)``: while an incident opened by that key is not
    closed, a second call updates it (level, description) and writes an alert event instead
    of opening another; the same level again changes nothing. After the desk has closed it, a
    new alert with the key opens a new incident. ``kind`` is one of the tenant's incident
    category codes (otherwise the "peringatan-sensor" category). The desk dispatches it like
    any other incident."""
    source_key = source_key.strip()[:200]
    if not source_key:
        raise DomainError(_("Kunci peringatan wajib diisi."), code="source_key_required")
    level = level.strip()[:40]
    existing = (
        Incident.objects.select_for_update(of=("self",), no_key=True)
        .filter(tenant=tenant, source_key=source_key)
        .exclude(state=State.CLOSED)
        .first()
    )
    if existing is not None:
        return _alert_escalate(existing, level=level, description=description, url=url)
    latitude, longitude = _alert_point(lat, lng)
    try:
        with transaction.atomic():  # a savepoint: a concurrent alert may win the key
            incident = Incident.objects.create(
                tenant=tenant,
                category=_alert_category(tenant, kind),
                kelurahan=_nearest_village(tenant, latitude, longitude),
                landmark=title.strip()[:255],
                latitude=latitude,
                longitude=longitude,
                description=description.strip() or title.strip(),
                received_at=timezone.now(),
                created_by=None,
                source_key=source_key,
                alert_level=level,
                source_url=url[:500],
            )
    except IntegrityError:
        existing = Incident.objects.select_for_update(of=("self",), no_key=True).get(
            tenant=tenant, source_key=source_key, state__in=list(OPEN_STATES)
        )
        return _alert_escalate(existing, level=level, description=description, url=url)
    _event(
        tenant=tenant,
        kind=EventKind.INCIDENT_CREATED,
        actor=None,
        incident=incident,
        action="alert",
        to_state=State.NEW,
        note=level,
    )
    return incident


def _alert_escalate(incident: Incident, *, level: str, description: str, url: str) -> Incident:
    if level == incident.alert_level:
        return incident  # the same alert again (a retry or a repeated reading)
    previous = incident.alert_level
    incident.alert_level = level
    if description.strip():
        incident.description = description.strip()
    if url:
        incident.source_url = url[:500]
    incident.version += 1
    incident.save(update_fields=["alert_level", "description", "source_url", "version"])
    _event(
        tenant=incident.tenant,
        kind=EventKind.ALERT,
        actor=None,
        incident=incident,
        action="alert_level",
        from_state=incident.state,
        to_state=incident.state,
        note=f"{previous} → {level}",
    )
    return incident


@transaction.atomic
def incident_close_from_alert(*, tenant: Tenant, source_key: str, note: str) -> Incident | None:
    """The alert has ended: note it on the open incident with that key (the desk resolves
    and closes the incident itself). None when no open incident has the key."""
    incident = (
        Incident.objects.select_for_update(of=("self",), no_key=True)
        .filter(tenant=tenant, source_key=source_key.strip()[:200])
        .exclude(state=State.CLOSED)
        .first()
    )
    if incident is None:
        return None
    _event(
        tenant=tenant,
        kind=EventKind.ALERT,
        actor=None,
        incident=incident,
        action="alert_ended",
        from_state=incident.state,
        to_state=incident.state,
        note=note.strip() or _("Peringatan berakhir."),
    )
    return incident
