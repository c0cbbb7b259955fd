"""Every write of the services app: typed, keyword-only, in a transaction, with an audit row."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import User
from kotacerdas.core.errors import Conflict, DomainError, NotFound
from kotacerdas.core.lifecycle import lock, record, transition
from kotacerdas.notifications.models import Channel
from kotacerdas.notifications.services import notify, recipient_language
from kotacerdas.services.files import CONTENT_TYPES, inspect_upload
from kotacerdas.services.models import (
    NOTICE_MESSAGES,
    Application,
    Appointment,
    Document,
    DocumentStatus,
    Event,
    FieldKind,
    FormField,
    Fulfilment,
    Location,
    Notice,
    Requirement,
    Service,
    Slot,
    Status,
)
from kotacerdas.services.nik import KK, NIK, check_identity_number, normalize
from kotacerdas.services.selectors import booking_blocker
from kotacerdas.services.siak import siak_adapter
from kotacerdas.services.signatures import Verdict, verify_pdf
from kotacerdas.services.workflow import APPLICATION_LIFECYCLE, APPLICATION_WORKFLOW
from kotacerdas.tenants.calendar import WorkCalendar, deadline
from kotacerdas.tenants.models import Opd, Tenant


def draft_lifetime() -> dt.timedelta:
    """A draft untouched this long expires (setting ``SERVICES_DRAFT_DAYS``)."""
    return dt.timedelta(days=settings.SERVICES_DRAFT_DAYS)


def _event(
    application: Application,
    *,
    actor: User | None,
    action: str,
    note: str = "",
    public: bool = True,
    data: dict[str, Any] | None = None,
) -> Event:
    """An act on the application that changes no state."""
    event = record(
        application,
        lifecycle=APPLICATION_LIFECYCLE,
        action=action,
        actor=actor,
        note=note,
        public=public,
        data=data,
    )
    assert isinstance(event, Event)  # noqa: S101 - the lifecycle's event model
    return event


def _move(
    application: Application,
    *,
    actor: User | None,
    action: str,
    note: str = "",
    changes: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
) -> Application:
    """One lifecycle move (``core.lifecycle.transition``: locks only the application's row,
    checks the table, writes the event). Returns the locked, refreshed application."""
    target = APPLICATION_WORKFLOW.target(application.status, action)
    # ``transition`` re-reads the row under its lock: what the caller set on this (already
    # locked) instance is saved first so that it is not lost.
    application.save()
    now = timezone.now()
    extra = dict(changes or {})
    if target in (Status.COMPLETED, Status.REJECTED, Status.CANCELLED):
        extra["closed_at"] = now
    if target == Status.COMPLETED:
        extra["completed_at"] = now
    return transition(
        application,
        action,
        lifecycle=APPLICATION_LIFECYCLE,
        actor=actor,
        note=note,
        public=True,
        data=data,
        changes=extra,
        at=now,
    )


def _last_event(application: Application) -> Event:
    """The event ``transition`` wrote for the move that returned ``application``."""
    event = application.__dict__["_last_event"]
    assert isinstance(event, Event)  # noqa: S101 - set by core.lifecycle.transition
    return event


def _notify(application: Application, event: Event, kind: str, **params: str) -> None:
    """Tell the applicant: an in-app notice on the services page, the bell, and an email, all
    written in this transaction through the outbox (``notifications.notify``), sent after
    commit. Identity numbers are never in the message."""
    applicant = application.applicant
    with translation.override(recipient_language(applicant)):
        message = str(NOTICE_MESSAGES[kind]) % params
        subject = _("Permohonan %(number)s: %(service)s") % {
            "number": application.number,
            "service": application.service.local_name,
        }
        body = "\n\n".join([_("Yth. %(name)s,") % {"name": applicant.display_name}, message])
    Notice.objects.create(
        user=applicant,
        application=application,
        message_key=kind,
        params=params,
        created_at=timezone.now(),
    )
    url = reverse("services:application_detail", args=[application.tenant.slug, application.pk])
    for channel in (Channel.INAPP, Channel.EMAIL):
        notify(
            key=f"services:{event.pk}:applicant:{channel}",
            channel=channel,
            tenant=application.tenant,
            subject=subject,
            body=body,
            user=applicant,
            url=url,
            unsubscribe_scope=f"services-application:{application.pk}"
            if channel == Channel.EMAIL
            else "",
        )


def _check_editable(application: Application) -> None:
    if not application.is_editable:
        raise DomainError(
            _("Permohonan berstatus “%(status)s” tidak dapat diubah lagi.")
            % {"status": application.get_status_display()},
            code="not_editable",
        )
    if (
        application.status == Status.DRAFT
        and application.draft_expires_at
        and application.draft_expires_at <= timezone.now()
    ):
        raise DomainError(
            _(
                "Draf ini kedaluwarsa pada %(date)s karena lama tidak diubah. Lanjutkan di draf baru: isian dan dokumen Anda ikut disalin."
            )
            % {"date": timezone.localtime(application.draft_expires_at).strftime("%d-%m-%Y")},
            code="draft_expired",
        )


# --- the citizen -----------------------------------------------------------------------


@transaction.atomic
def application_start(
    *, service: Service, applicant: User, idempotency_key: uuid.UUID
) -> Application:
    """A new draft. The same ``idempotency_key`` (a form sent twice) returns the same draft."""
    if not service.is_active:
        raise DomainError(_("Layanan ini sedang tidak dibuka."), code="service_inactive")
    application, created = Application.objects.get_or_create(
        applicant=applicant,
        idempotency_key=idempotency_key,
        defaults={
            "tenant": service.tenant,
            "service": service,
            "draft_expires_at": timezone.now() + draft_lifetime(),
            "fulfilment": service.fulfilment_codes()[0] if service.fulfilment_codes() else "",
        },
    )
    if created:
        _event(application, actor=applicant, action="created")
    return application


@transaction.atomic
def application_save_form(
    *,
    application: Application,
    actor: User,
    form_data: dict[str, Any],
    fulfilment: str,
    pickup_location: Location | None,
    delivery_address: str,
) -> Application:
    """Store the form answers of a draft or of an application that needs revision."""
    application = lock(application)
    _check_editable(application)
    service = application.service
    if fulfilment not in service.fulfilment_codes():
        raise DomainError(
            _("Pilih cara penyerahan yang tersedia untuk layanan ini."), code="fulfilment_invalid"
        )
    if pickup_location is not None and pickup_location.tenant_id != application.tenant_id:
        raise DomainError(_("Lokasi pengambilan tidak dikenal."), code="location_invalid")
    nik = kk = ""
    for field in service.fields.all():
        value = str(form_data.get(field.name, "")).strip()
        if field.kind == FieldKind.NIK and value and not nik:
            nik = normalize(value)
        if field.kind == FieldKind.KK and value and not kk:
            kk = normalize(value)
    application.form_data = form_data
    application.nik, application.kk_number = nik, kk
    application.fulfilment = fulfilment
    application.pickup_location = pickup_location if fulfilment == Fulfilment.PICKUP else None
    application.delivery_address = (
        delivery_address.strip() if fulfilment == Fulfilment.DELIVERY else ""
    )
    if application.status == Status.DRAFT:
        application.draft_expires_at = timezone.now() + draft_lifetime()
    application.save()
    _event(application, actor=actor, action="form_save", public=False)
    return application


@transaction.atomic
def document_upload(
    *, application: Application, requirement_id: int, upload: UploadedFile, actor: User
) -> Document:
    """Store (or replace) the file for one requirement after checking its real content."""
    application = lock(application)
    _check_editable(application)
    try:
        requirement = application.service.requirements.get(pk=requirement_id)
    except Requirement.DoesNotExist:
        raise NotFound(_("Dokumen persyaratan tidak dikenal.")) from None
    kind = inspect_upload(
        upload, accepted=requirement.accepted_type_list(), max_size_mb=requirement.max_size_mb
    )
    original = (upload.name or "dokumen")[-200:]
    old = Document.objects.filter(application=application, requirement=requirement).first()
    if old is not None:
        old_file = old.file.name
        transaction.on_commit(lambda: old.file.storage.delete(old_file))
        old.delete()
    document = Document(
        application=application,
        requirement=requirement,
        original_name=original,
        content_type=CONTENT_TYPES[kind],
        size=upload.size or 0,
        uploaded_at=timezone.now(),
    )
    # A random name: the citizen's file name may itself carry personal data.
    document.file.save(f"{secrets.token_hex(16)}.{kind}", upload, save=False)
    document.save()
    _event(
        application,
        actor=actor,
        action="document_upload",
        data={"requirement": requirement.pk},
    )
    return document


def _submission_problems(application: Application) -> list[str]:
    problems = []
    service = application.service
    for field in service.fields.all():
        value = str(application.form_data.get(field.name, "")).strip()
        if field.required and not value:
            problems.append(_("Isi “%(label)s”.") % {"label": field.local_label})
        elif value and field.kind in (FieldKind.NIK, FieldKind.KK):
            result = check_identity_number(value, kind=NIK if field.kind == FieldKind.NIK else KK)
            problems.extend(f"{field.local_label}: {e.message}" for e in result.errors)
    documents = {d.requirement_id: d for d in application.documents.all()}
    for requirement in service.requirements.all():
        document = documents.get(requirement.pk)
        if requirement.is_required and document is None:
            problems.append(_("Unggah “%(name)s”.") % {"name": requirement.local_name})
        elif document is not None and document.status == DocumentStatus.REJECTED:
            problems.append(
                _("Ganti “%(name)s”: %(reason)s")
                % {"name": requirement.local_name, "reason": document.reason}
            )
    if application.fulfilment == Fulfilment.PICKUP and application.pickup_location_id is None:
        problems.append(_("Pilih lokasi pengambilan."))
    if application.fulfilment == Fulfilment.DELIVERY and not application.delivery_address:
        problems.append(_("Isi alamat pengiriman."))
    return problems


@transaction.atomic
def application_submit(*, application: Application, actor: User) -> Application:
    """Submit a draft, or resubmit after a revision. Submitting twice (double click, a retry)
    is harmless: an already submitted application is returned unchanged. Locks the row."""
    application = lock(application)
    if application.applicant_id != actor.pk:
        raise NotFound(_("Permohonan tidak ditemukan."))
    if application.status in (
        Status.SUBMITTED,
        Status.IN_VERIFICATION,
        Status.IN_PROCESS,
        Status.READY,
        Status.COMPLETED,
    ):
        return application
    _check_editable(application)
    problems = _submission_problems(application)
    if problems:
        raise DomainError(
            _("Permohonan belum lengkap: %(problems)s") % {"problems": " ".join(problems)},
            code="incomplete",
        )
    action = "submit" if application.status == Status.DRAFT else "resubmit"
    now = timezone.now()
    if not application.number:
        application.number = (
            f"{application.service.code.upper()[:12]}-{now:%Y%m}-{application.pk:06d}"
        )
    if application.submitted_at is None:
        application.submitted_at = now
    # The service clock restarts on every (re)submission: waiting for the citizen's fix is not the OPD's time.
    service = application.service
    application.sla_deadline = deadline(
        application.tenant, now, float(service.sla_amount), service.sla_unit
    )
    application.draft_expires_at = None
    for document in application.documents.filter(status=DocumentStatus.REJECTED):
        document.status, document.reason = DocumentStatus.PENDING, ""
        document.save(update_fields=["status", "reason"])
    application = _move(application, actor=actor, action=action)
    return application


@transaction.atomic
def application_cancel(*, application: Application, actor: User) -> Application:
    application = lock(application)
    application = _move(application, actor=actor, action="cancel")
    for appointment in application.appointments.filter(cancelled_at__isnull=True):
        _release(appointment)
    return application


@transaction.atomic
def application_renew_draft(*, application: Application, actor: User) -> Application:
    """Carry an expired draft's answers and documents over to a fresh draft; the old one is cancelled."""
    old = lock(application)
    if (
        old.status != Status.DRAFT
        or not old.draft_expires_at
        or old.draft_expires_at > timezone.now()
    ):
        raise DomainError(_("Draf ini belum kedaluwarsa."), code="draft_not_expired")
    new = Application.objects.create(
        tenant=old.tenant,
        service=old.service,
        applicant=old.applicant,
        form_data=old.form_data,
        nik=old.nik,
        kk_number=old.kk_number,
        fulfilment=old.fulfilment,
        pickup_location=old.pickup_location,
        delivery_address=old.delivery_address,
        draft_expires_at=timezone.now() + draft_lifetime(),
    )
    for doc in old.documents.all():
        copy = Document(
            application=new,
            requirement=doc.requirement,
            original_name=doc.original_name,
            content_type=doc.content_type,
            size=doc.size,
            uploaded_at=doc.uploaded_at,
        )
        with doc.file.open("rb") as handle:
            copy.file.save(
                f"{secrets.token_hex(16)}.{doc.file.name.rsplit('.', 1)[-1]}",
                ContentFile(handle.read()),
                save=False,
            )
        copy.save()
    _event(new, actor=actor, action="created", data={"renewed_from": old.pk})
    _move(old, actor=actor, action="cancel", changes={}, data={"renewed_as": new.pk})
    return new


def notices_mark_read(*, user: User) -> int:
    return Notice.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


# --- the OPD desk ----------------------------------------------------------------------


@transaction.atomic
def application_start_verification(*, application: Application, actor: User) -> Application:
    application = lock(application)
    application = _move(application, actor=actor, action="start_verification")
    return application


@transaction.atomic
def document_review(
    *, document: Document, actor: User, accepted: bool, reason: str = ""
) -> Document:
    """Accept or reject one document. Locks the application's row, then the document's."""
    application = lock(document.application)
    document = lock(document)
    if application.status != Status.IN_VERIFICATION:
        raise DomainError(
            _("Dokumen hanya diperiksa saat permohonan diverifikasi."), code="not_in_verification"
        )
    reason = reason.strip()
    if not accepted and not reason:
        raise DomainError(
            _("Tuliskan alasan penolakan dokumen agar pemohon tahu apa yang harus diperbaiki."),
            code="reason_required",
        )
    document.status = DocumentStatus.ACCEPTED if accepted else DocumentStatus.REJECTED
    document.reason = "" if accepted else reason[:255]
    document.reviewed_at = timezone.now()
    document.save()
    _event(
        application,
        actor=actor,
        action="document_review",
        note=document.reason,
        public=False,
        data={"requirement": document.requirement_id, "accepted": accepted},
    )
    return document


@transaction.atomic
def application_request_revision(
    *, application: Application, actor: User, reason: str
) -> Application:
    """Send the application back to the citizen with a reason; email and in-app notice."""
    application = lock(application)
    reason = reason.strip()
    rejected = list(
        application.documents.filter(status=DocumentStatus.REJECTED).select_related("requirement")
    )
    if not reason and not rejected:
        raise DomainError(_("Tuliskan apa yang harus diperbaiki pemohon."), code="reason_required")
    details = [f"- {d.requirement.local_name}: {d.reason}" for d in rejected]
    full = "\n".join([reason, *details]).strip()
    application.reason = full
    application = _move(application, actor=actor, action="request_revision", note=full)
    _notify(application, _last_event(application), "request_revision", reason=full)
    return application


@transaction.atomic
def application_verify(*, application: Application, actor: User) -> Application:
    """All required documents accepted: the application goes into process."""
    application = lock(application)
    APPLICATION_WORKFLOW.target(application.status, "verify")  # a wrong state is reported first
    documents = list(application.documents.all())
    if any(d.status != DocumentStatus.ACCEPTED for d in documents):
        raise DomainError(
            _("Terima semua dokumen terlebih dahulu, atau minta perbaikan."),
            code="documents_unreviewed",
        )
    application = _move(application, actor=actor, action="verify")
    return application


def application_record_siak(
    *, application: Application, actor: User, reference: str
) -> Application:
    """Record the application in SIAK through the configured adapter, then store the reference.

    The adapter may call the SIAK web service: that call runs OUTSIDE any transaction and
    lock (a slow SIAK must not hold the application's row, nor a database connection in a
    transaction). The result is then stored in a short transaction that re-checks the state
    under the row lock; adapters are idempotent on the application number, so a retry after
    a failure here records nothing twice.
    """
    application = Application.objects.select_related("service", "tenant").get(pk=application.pk)
    _check_in_process(application)
    record = siak_adapter().record(application, reference=reference)
    with transaction.atomic():
        application = lock(application)
        _check_in_process(application)
        application.siak_reference = record.reference
        application.save(update_fields=["siak_reference", "updated_at"])
        _event(
            application,
            actor=actor,
            action="siak_record",
            note=record.reference,
            public=False,
            data={"reference": record.reference, "adapter": type(siak_adapter()).__name__},
        )
    return application


def _check_in_process(application: Application) -> None:
    if application.status != Status.IN_PROCESS:
        raise DomainError(
            _("Pencatatan SIAK dilakukan saat permohonan diproses."), code="not_in_process"
        )


@transaction.atomic
def application_mark_ready(
    *,
    application: Application,
    actor: User,
    result: UploadedFile | None = None,
    note: str = "",
) -> Application:
    """Processing done: attach the result (digital), or ready for pick-up, or dispatched for delivery."""
    application = lock(application)
    if application.service.records_in_siak and not application.siak_reference:
        raise DomainError(
            _("Catat permohonan di SIAK dan isi nomor referensinya terlebih dahulu."),
            code="siak_missing",
        )
    if result is not None:
        inspect_upload(result, accepted=["pdf"], max_size_mb=20)
        result.seek(0)
        check = verify_pdf(result.read())
        result.seek(0)
        if check.verdict == Verdict.BROKEN:
            raise DomainError(
                _(
                    "Tanda tangan elektronik dokumen hasil rusak, atau dokumen diubah setelah "
                    "ditandatangani. Unggah dokumen asli dari aplikasi tanda tangan elektronik."
                ),
                code="result_signature_broken",
            )
        application.result_file.save(f"{secrets.token_hex(16)}.pdf", result, save=False)
        application.result_signature = check.as_json()
    if application.fulfilment == Fulfilment.DIGITAL and not application.result_file:
        raise DomainError(
            _("Lampirkan dokumen hasil (PDF bertanda tangan elektronik)."), code="result_missing"
        )
    application.handover_note = note.strip()[:255]
    application = _move(
        application, actor=actor, action="mark_ready", note=application.handover_note
    )
    event = _last_event(application)
    if application.fulfilment == Fulfilment.DIGITAL:
        _notify(application, event, "ready_digital")
    elif application.fulfilment == Fulfilment.DELIVERY:
        _notify(application, event, "ready_delivery")
    else:
        place = application.pickup_location.name if application.pickup_location else "MPP"
        _notify(application, event, "ready_pickup", place=place)
    return application


@transaction.atomic
def application_complete(
    *, application: Application, actor: User, note: str = "", data: dict[str, Any] | None = None
) -> Application:
    application = lock(application)
    application = _move(application, actor=actor, action="complete", note=note.strip(), data=data)
    return application


@transaction.atomic
def application_reject(*, application: Application, actor: User, reason: str) -> Application:
    application = lock(application)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Tuliskan alasan penolakan."), code="reason_required")
    application.reason = reason
    application = _move(application, actor=actor, action="reject", note=reason)
    _notify(application, _last_event(application), "reject", reason=reason)
    return application


# --- appointments ----------------------------------------------------------------------


def _release(appointment: Appointment) -> None:
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
        _release(current)
    appointment = Appointment.objects.create(
        application=application,
        slot=slot,
        code=secrets.token_hex(4).upper(),
        created_at=timezone.now(),
    )
    when = timezone.localtime(slot.starts_at).strftime("%d-%m-%Y %H:%M")
    _event(
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
    _release(appointment)
    _event(appointment.application, actor=actor, action="appointment_cancel", note=appointment.code)
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


class Outcome(StrEnum):
    """How an application ended, which decides how long its identity documents are kept."""

    COMPLETED = "completed"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    ABANDONED_DRAFT = "abandoned_draft"


@dataclass(frozen=True)
class PurgeItem:
    application_id: int
    number: str
    service: str
    outcome: Outcome
    since: dt.datetime  # when the retention clock started (closed, or draft expired)


def _retention_rule(outcome: Outcome, cutoff: dt.datetime) -> tuple[Q, str]:
    """The filter of applications past their retention, and the field that started the clock."""
    match outcome:
        case Outcome.COMPLETED:
            return Q(status=Status.COMPLETED, closed_at__lt=cutoff), "closed_at"
        case Outcome.REJECTED:
            return Q(status=Status.REJECTED, closed_at__lt=cutoff), "closed_at"
        case Outcome.CANCELLED:
            return Q(status=Status.CANCELLED, closed_at__lt=cutoff), "closed_at"
        case Outcome.ABANDONED_DRAFT:
            return Q(status=Status.DRAFT, draft_expires_at__lt=cutoff), "draft_expires_at"


def retention_days() -> dict[Outcome, int]:
    """Days each outcome's documents are kept (setting ``SERVICES_RETENTION_DAYS``)."""
    configured: dict[str, int] = settings.SERVICES_RETENTION_DAYS
    return {outcome: int(configured[outcome.value]) for outcome in Outcome}


def _delete_files(storage: Storage, names: list[str]) -> None:
    for name in names:
        storage.delete(name)


def _purge_one(pk: int, rule: Q) -> bool:
    """Delete one application's uploads in its own transaction; False if it no longer qualifies."""
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update(of=("self",), no_key=True)
            .filter(rule, pk=pk, documents_purged_at__isnull=True)
            .first()
        )
        if locked is None:  # renewed, reopened or purged by a parallel run meanwhile
            return False
        storage = Document._meta.get_field("file").storage
        names = list(locked.documents.values_list("file", flat=True))
        count = locked.documents.all().delete()[0]
        fields = ["documents_purged_at"]
        if locked.status == Status.DRAFT:
            # A draft never became a request: its answers (NIK, KK, address) go too.
            locked.form_data, locked.nik, locked.kk_number, locked.delivery_address = {}, "", "", ""
            fields += ["form_data", "nik", "kk_number", "delivery_address"]
        locked.documents_purged_at = timezone.now()
        locked.save(update_fields=fields)
        _event(locked, actor=None, action="documents_purge", note=str(count), public=False)
        transaction.on_commit(partial(_delete_files, storage, names))
    return True


def documents_purge(
    *,
    commit: bool,
    days: Mapping[Outcome, int] | None = None,
    batch_size: int = 200,
) -> Iterator[PurgeItem]:
    """Yield every application whose uploads are past their retention period (UU 27/2022).

    The period runs from closing (completed, rejected, cancelled) or from the draft's expiry
    (an abandoned draft), per outcome (``retention_days()`` unless ``days`` is given). With
    ``commit`` each one's uploaded documents (never the result) are deleted as it is yielded,
    one transaction each; an abandoned draft also loses its answers. Rows are read in batches
    of ``batch_size`` by primary key, so memory stays bounded however many are due.
    """
    periods = retention_days() if days is None else days
    now = timezone.now()
    for outcome in Outcome:
        rule, clock = _retention_rule(outcome, now - dt.timedelta(days=periods[outcome]))
        last = 0
        while True:
            batch = list(
                Application.objects.filter(rule, documents_purged_at__isnull=True, pk__gt=last)
                .order_by("pk")
                .values_list("pk", "number", "service__name", clock)[:batch_size]
            )
            if not batch:
                break
            last = batch[-1][0]
            for pk, number, service, since in batch:
                if commit and not _purge_one(pk, rule):
                    continue
                yield PurgeItem(pk, number, service, outcome, since)


# --- catalogue -------------------------------------------------------------------------


@transaction.atomic
def service_upsert(
    *,
    tenant: Tenant,
    opd: Opd,
    code: str,
    name: str,
    description: str,
    sla_amount: float,
    sla_unit: str,
    fulfilment: Sequence[str],
    needs_visit: bool = False,
    booking_after_verification: bool = True,
    records_in_siak: bool = True,
    order: int = 0,
    fields: Sequence[tuple[str, str, str, bool, str]],
    requirements: Sequence[tuple[str, bool, str, str]],
) -> Service:
    """Create or update a catalogue entry with its form fields ``(name, label, kind, required, choices)``
    and documents ``(name, required, accepted types, help)``. Fields and documents not listed are kept."""
    service, _created = Service.objects.update_or_create(
        tenant=tenant,
        code=code,
        defaults={
            "opd": opd,
            "name": name,
            "description": description,
            "sla_amount": sla_amount,
            "sla_unit": sla_unit,
            "offers_pickup": Fulfilment.PICKUP in fulfilment,
            "offers_delivery": Fulfilment.DELIVERY in fulfilment,
            "offers_digital": Fulfilment.DIGITAL in fulfilment,
            "needs_visit": needs_visit,
            "booking_after_verification": booking_after_verification,
            "records_in_siak": records_in_siak,
            "order": order,
        },
    )
    for i, (field_name, label, kind, required, choices) in enumerate(fields):
        FormField.objects.update_or_create(
            service=service,
            name=field_name,
            defaults={
                "label": label,
                "kind": kind,
                "required": required,
                "choices": choices,
                "order": i,
            },
        )
    for i, (doc_name, required, types, help_text) in enumerate(requirements):
        Requirement.objects.update_or_create(
            service=service,
            name=doc_name,
            defaults={
                "is_required": required,
                "accepted_types": types,
                "help_text": help_text,
                "order": i,
                "max_size_mb": 8,
            },
        )
    return service


@transaction.atomic
def catalogue_translate(*, service: Service, english: Mapping[str, str]) -> int:
    """Fill the empty English forms of a service's texts (name, description, field labels, help
    and choices, document names and help) from ``english``, keyed by the Indonesian original.
    An English text already set (by the administrator) is kept. Returns the rows changed."""
    changed = 0

    def fill(obj: Service | FormField | Requirement, pairs: Sequence[str]) -> None:
        nonlocal changed
        fields = [
            f"{name}_en"
            for name in pairs
            if not getattr(obj, f"{name}_en") and getattr(obj, name) in english
        ]
        for name in fields:
            setattr(obj, name, english[getattr(obj, name.removesuffix("_en"))])
        if fields:
            obj.save(update_fields=fields)
            changed += 1

    fill(service, ["name", "description"])
    for field in service.fields.all():
        fill(field, ["label", "help_text", "choices"])
    for requirement in service.requirements.all():
        fill(requirement, ["name", "help_text"])
    return changed
