"""The applicant's writes: start, fill in, upload, submit, cancel, renew a draft."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import User
from kotacerdas.core.errors import DomainError, NotFound
from kotacerdas.core.lifecycle import lock
from kotacerdas.core.uploads import CONTENT_TYPES, inspect_upload
from kotacerdas.services.models import (
    Application,
    Document,
    DocumentStatus,
    FieldKind,
    Fulfilment,
    Location,
    Notice,
    Requirement,
    Service,
    Status,
)
from kotacerdas.services.nik import KK, NIK, check_identity_number, normalize
from kotacerdas.services.services.appointments import release_slot
from kotacerdas.services.services.common import check_editable, draft_lifetime, move, record_event
from kotacerdas.tenants.calendar import deadline


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
        record_event(application, actor=applicant, action="created")
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
    check_editable(application)
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
    record_event(application, actor=actor, action="form_save", public=False)
    return application


@transaction.atomic
def document_upload(
    *, application: Application, requirement_id: int, upload: UploadedFile, actor: User
) -> Document:
    """Store (or replace) the file for one requirement after checking its real content."""
    application = lock(application)
    check_editable(application)
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
    record_event(
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
    check_editable(application)
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
    application = move(application, actor=actor, action=action)
    return application


@transaction.atomic
def application_cancel(*, application: Application, actor: User) -> Application:
    application = lock(application)
    application = move(application, actor=actor, action="cancel")
    for appointment in application.appointments.filter(cancelled_at__isnull=True):
        release_slot(appointment)
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
    record_event(new, actor=actor, action="created", data={"renewed_from": old.pk})
    move(old, actor=actor, action="cancel", changes={}, data={"renewed_as": new.pk})
    return new


def notices_mark_read(*, user: User) -> int:
    return Notice.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


# --- the OPD desk ----------------------------------------------------------------------
