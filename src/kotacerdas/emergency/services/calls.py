"""Calls: logging an answered call, the prank policy and number blocks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import User
from kotacerdas.accounts.phone import normalize_phone
from kotacerdas.core.errors import DomainError
from kotacerdas.emergency.models import (
    INVALID_CALL_TYPES,
    Call,
    CallType,
    EventKind,
    Incident,
    NumberBlock,
    RegulatorReport,
)
from kotacerdas.emergency.selectors import policy_for
from kotacerdas.emergency.services._common import _event
from kotacerdas.emergency.services.incidents import IncidentData, incident_create
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
    block = NumberBlock.objects.select_for_update(of=("self",), no_key=True).get(pk=block.pk)
    if block.unblocked_at is not None:
        return block
    block.unblocked_at = timezone.now()
    block.unblocked_by = actor
    block.unblock_reason = reason
    block.save(update_fields=["unblocked_at", "unblocked_by", "unblock_reason"])
    _event(tenant=block.tenant, kind=EventKind.UNBLOCKED, actor=actor, note=reason)
    return block
