"""The application lifecycle: one table of allowed moves."""

from __future__ import annotations

from typing import cast

from django.utils.translation import gettext_lazy as _

from kotacerdas.core.lifecycle import Lifecycle
from kotacerdas.core.workflow import Workflow
from kotacerdas.services.models import Event, Status

S = Status

APPLICATION_WORKFLOW = Workflow.build(
    "application",
    [
        ("submit", [S.DRAFT], S.SUBMITTED),
        ("resubmit", [S.NEEDS_REVISION], S.SUBMITTED),
        ("start_verification", [S.SUBMITTED], S.IN_VERIFICATION),
        ("request_revision", [S.SUBMITTED, S.IN_VERIFICATION], S.NEEDS_REVISION),
        ("verify", [S.IN_VERIFICATION], S.IN_PROCESS),
        ("mark_ready", [S.IN_PROCESS], S.READY),
        ("complete", [S.READY], S.COMPLETED),
        ("reject", [S.SUBMITTED, S.IN_VERIFICATION, S.IN_PROCESS], S.REJECTED),
        ("cancel", [S.DRAFT, S.SUBMITTED, S.NEEDS_REVISION], S.CANCELLED),
    ],
    labels=cast(
        "dict[str, str]",
        {
            **{s.value: s.label for s in Status},
            "submit": _("ajukan"),
            "resubmit": _("ajukan ulang"),
            "start_verification": _("mulai verifikasi"),
            "request_revision": _("minta perbaikan"),
            "verify": _("nyatakan lengkap dan proses"),
            "mark_ready": _("tandai siap"),
            "complete": _("selesaikan"),
            "reject": _("tolak"),
            "cancel": _("batalkan"),
        },
    ),  # lazy strings: translated when a message is shown
)

APPLICATION_LIFECYCLE = Lifecycle(
    workflow=APPLICATION_WORKFLOW, event_model=Event, subject_field="application"
)

# Words shown on the timeline for each action.
ACTION_LABELS = {
    "created": _("Draf dibuat"),
    "submit": _("Permohonan diajukan"),
    "resubmit": _("Perbaikan diajukan"),
    "start_verification": _("Verifikasi dimulai"),
    "request_revision": _("Perlu perbaikan"),
    "verify": _("Berkas lengkap, permohonan diproses"),
    "mark_ready": _("Hasil siap"),
    "complete": _("Selesai"),
    "reject": _("Ditolak"),
    "cancel": _("Dibatalkan"),
    "form_save": _("Isian disimpan"),
    "document_upload": _("Dokumen diunggah"),
    "document_review": _("Dokumen diperiksa"),
    "siak_record": _("Dicatat di SIAK"),
    "appointment_book": _("Janji temu dibuat"),
    "appointment_cancel": _("Janji temu dibatalkan"),
    "documents_purge": _("Dokumen dihapus sesuai masa simpan"),
    "renewed": _("Draf kedaluwarsa dilanjutkan di draf baru"),
}
