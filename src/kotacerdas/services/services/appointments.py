"""Appointments at the counter: booking, cancelling, generating slots."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import User
from kotacerdas.core.errors import Conflict, DomainError, NotFound
from kotacerdas.core.lifecycle import lock
from kotacerdas.services.models import (
    Application,
    Appointment,
    Location,
    Slot,
)
from kotacerdas.services.selectors import booking_blocker
from kotacerdas.services.services.common import record_event
from kotacerdas.tenants.calendar import WorkCalendar


def release_slot(appointment: Appointment) -> None:
    appointment.cancelled_at = timezone.now()
    appointment.save(update_fields=["cancelled_at"])
    Slot.objects.filter(pk=appointment.slot_id, booked__gt=0).update(booked=F("booked") - 1)


@transaction.atomic
def appointment_book(*, application: Application, slot_id: int, actor: User) -> Appointment:
    """Book a place (or move an existing booking) in a slot.

    The place is taken with one conditional UPDATE (``booked < capacity``): of two citizens
    racing for the last place, the database lets exactly one UPDATE match.
    """
    application = lock(application)
    if blocker := booking_blocker(application):
        code, message = blocker
        raise DomainError(message, code=code)
    try:
        slot = Slot.objects.select_related("location").get(
            pk=slot_id, tenant=application.tenant, location__is_active=True
        )
    except Slot.DoesNotExist:
        raise NotFound(_("Slot tidak ditemukan.")) from None
    if slot.starts_at <= timezone.now():
        raise DomainError(_("Slot ini sudah lewat. Pilih waktu lain."), code="slot_past")
    calendar = WorkCalendar.for_tenant(application.tenant, around=slot.starts_at)
    if not calendar.is_working_day(timezone.localtime(slot.starts_at, calendar.zone).date()):
        raise DomainError(
            _("Kantor tutup pada hari itu (hari libur). Pilih hari lain."), code="slot_holiday"
        )
    current = application.appointments.filter(cancelled_at__isnull=True).first()
    if current is not None and current.slot_id == slot.pk:
        return current
    taken = Slot.objects.filter(pk=slot.pk, booked__lt=F("capacity")).update(booked=F("booked") + 1)
    if not taken:
        raise Conflict(_("Maaf, slot ini baru saja penuh. Pilih waktu lain."), code="slot_full")
    if current is not None:
        release_slot(current)
    appointment = Appointment.objects.create(
        application=application,
        slot=slot,
        code=secrets.token_hex(4).upper(),
        created_at=timezone.now(),
    )
    when = timezone.localtime(slot.starts_at).strftime("%d-%m-%Y %H:%M")
    record_event(
        application,
        actor=actor,
        action="appointment_book",
        note=f"{slot.location.name}, {when}",
        data={"slot": slot.pk, "code": appointment.code},
    )
    return appointment


@transaction.atomic
def appointment_cancel(*, appointment: Appointment, actor: User) -> Appointment:
    appointment = lock(appointment)
    if appointment.cancelled_at is not None:
        raise NotFound(_("Janji temu tidak ditemukan."))
    release_slot(appointment)
    record_event(
        appointment.application, actor=actor, action="appointment_cancel", note=appointment.code
    )
    return appointment


@transaction.atomic
def slots_generate(
    *,
    location: Location,
    first_day: dt.date,
    days: int,
    times: list[dt.time],
    minutes: int,
    capacity: int,
) -> int:
    """Slots on each working day (the tenant's weekdays minus holidays) from ``first_day``; idempotent."""
    calendar = WorkCalendar.for_tenant(location.tenant)
    created = 0
    for offset in range(days):
        day = first_day + dt.timedelta(days=offset)
        if not calendar.is_working_day(day):
            continue
        for start in times:
            starts_at = dt.datetime.combine(day, start, tzinfo=calendar.zone)
            _slot, made = Slot.objects.get_or_create(
                location=location,
                starts_at=starts_at,
                defaults={
                    "tenant": location.tenant,
                    "ends_at": starts_at + dt.timedelta(minutes=minutes),
                    "capacity": capacity,
                },
            )
            created += made
    return created


# --- retention -------------------------------------------------------------------------
