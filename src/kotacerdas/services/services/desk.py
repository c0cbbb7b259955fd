"""The desk's writes: verification, document review, revision, SIAK, ready, completion, rejection."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import User
from kotacerdas.core.errors import DomainError
from kotacerdas.core.lifecycle import lock
from kotacerdas.core.uploads import inspect_upload
from kotacerdas.services.models import (
    Application,
    Document,
    DocumentStatus,
    Fulfilment,
    Status,
)
from kotacerdas.services.services.common import last_event, move, notify_applicant, record_event
from kotacerdas.services.siak import siak_adapter
from kotacerdas.services.signatures import Verdict, verify_pdf
from kotacerdas.services.workflow import APPLICATION_WORKFLOW


@transaction.atomic
def application_start_verification(*, application: Application, actor: User) -> Application:
    application = lock(application)
    application = move(application, actor=actor, action="start_verification")
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
    record_event(
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
    application = move(application, actor=actor, action="request_revision", note=full)
    notify_applicant(application, last_event(application), "request_revision", reason=full)
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
    application = move(application, actor=actor, action="verify")
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
        record_event(
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
    application = move(
        application, actor=actor, action="mark_ready", note=application.handover_note
    )
    event = last_event(application)
    if application.fulfilment == Fulfilment.DIGITAL:
        notify_applicant(application, event, "ready_digital")
    elif application.fulfilment == Fulfilment.DELIVERY:
        notify_applicant(application, event, "ready_delivery")
    else:
        place = application.pickup_location.name if application.pickup_location else "MPP"
        notify_applicant(application, event, "ready_pickup", place=place)
    return application


@transaction.atomic
def application_complete(
    *, application: Application, actor: User, note: str = "", data: dict[str, Any] | None = None
) -> Application:
    application = lock(application)
    application = move(application, actor=actor, action="complete", note=note.strip(), data=data)
    return application


@transaction.atomic
def application_reject(*, application: Application, actor: User, reason: str) -> Application:
    application = lock(application)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Tuliskan alasan penolakan."), code="reason_required")
    application.reason = reason
    application = move(application, actor=actor, action="reject", note=reason)
    notify_applicant(application, last_event(application), "reject", reason=reason)
    return application


# --- appointments ----------------------------------------------------------------------
