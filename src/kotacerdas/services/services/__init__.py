"""Every write of the services app, split by subtopic: typed, keyword-only, in a transaction,
with an event row (the lifecycle kit's ``Event``; state changes through ``transition``).

- ``citizens``: the applicant starts, fills in, uploads, submits, cancels, renews a draft
- ``desk``: verification, document review, revision, SIAK, ready, completion, rejection
- ``appointments``: booking and cancelling an appointment, generating slots
- ``retention``: purging the documents of closed applications
- ``catalogue``: the service catalogue and its English texts
- ``common``: the helpers they share (events, moves, notices to the applicant)
"""

from kotacerdas.services.services.appointments import (
    appointment_book,
    appointment_cancel,
    slots_generate,
)
from kotacerdas.services.services.catalogue import catalogue_translate, service_upsert
from kotacerdas.services.services.citizens import (
    application_cancel,
    application_renew_draft,
    application_save_form,
    application_start,
    application_submit,
    document_upload,
    notices_mark_read,
)
from kotacerdas.services.services.common import draft_lifetime
from kotacerdas.services.services.desk import (
    application_complete,
    application_mark_ready,
    application_record_siak,
    application_reject,
    application_request_revision,
    application_start_verification,
    application_verify,
    document_review,
)
from kotacerdas.services.services.retention import (
    Outcome,
    PurgeItem,
    documents_purge,
    retention_days,
)

__all__ = [
    "Outcome",
    "PurgeItem",
    "application_cancel",
    "application_complete",
    "application_mark_ready",
    "application_record_siak",
    "application_reject",
    "application_renew_draft",
    "application_request_revision",
    "application_save_form",
    "application_start",
    "application_start_verification",
    "application_submit",
    "application_verify",
    "appointment_book",
    "appointment_cancel",
    "catalogue_translate",
    "document_review",
    "document_upload",
    "documents_purge",
    "draft_lifetime",
    "notices_mark_read",
    "retention_days",
    "service_upsert",
    "slots_generate",
]
