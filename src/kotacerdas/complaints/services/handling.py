"""Staff handling: triage by the region administrator, and each OPD's own part (its response,
its resolution, or sending back what is not its authority)."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import User
from kotacerdas.complaints.models import Category, Complaint, Disposition, Response, Severity
from kotacerdas.complaints.services.common import (
    MAX_DESCRIPTION,
    clean_photos,
    move,
    no_nul,
    policy_for,
    record_event,
    refresh_due,
    store_photos,
)
from kotacerdas.complaints.workflow import COMPLAINT_WORKFLOW
from kotacerdas.core.errors import DomainError
from kotacerdas.core.lifecycle import lock
from kotacerdas.tenants.calendar import deadline
from kotacerdas.tenants.models import Opd, Tenant


def _open_disposition(complaint: Complaint, opd: Opd, actor: User | None) -> Disposition:
    if opd.tenant_id != complaint.tenant_id:
        raise DomainError(_("OPD bukan milik pemerintah daerah ini."), code="opd_invalid")
    policy = policy_for(complaint.tenant)
    now = timezone.now()
    due = deadline(complaint.tenant, now, policy.response_amount, policy.response_unit)
    disposition, created = Disposition.objects.get_or_create(
        complaint=complaint,
        opd=opd,
        defaults={"created_by": actor, "response_due": due, "created_at": now},
    )
    if not created:
        Disposition.objects.filter(pk=disposition.pk).update(
            is_active=True,
            response_due=due,
            first_response_at=None,
            resolved_at=None,
            resolution_note="",
            created_at=now,
        )
    return disposition


@transaction.atomic
def complaint_classify(
    *,
    complaint: Complaint,
    actor: User,
    classification: str | None = None,
    severity: str | None = None,
    confidentiality: str | None = None,
) -> Complaint:
    """The administrator sets classification, severity and confidentiality."""
    complaint = lock(complaint)
    # The event keeps the new values, not a sentence: the timeline names them in the reader's
    # language.
    changes: dict[str, str] = {}
    if classification and classification != complaint.classification:
        complaint.classification = changes["classification"] = classification
    if severity and severity != complaint.severity:
        complaint.severity = changes["severity"] = severity
        policy = policy_for(complaint.tenant)
        complaint.resolve_due = (
            deadline(
                complaint.tenant, complaint.created_at, policy.ringan_amount, policy.ringan_unit
            )
            if severity == Severity.RINGAN
            else None
        )
    if confidentiality and confidentiality != complaint.confidentiality:
        complaint.confidentiality = changes["confidentiality"] = confidentiality
    if changes:
        complaint.save(
            update_fields=["classification", "severity", "confidentiality", "resolve_due"]
        )
        record_event(complaint, "classify", actor=actor, data=changes)
        refresh_due(complaint)
    return complaint


@transaction.atomic
def complaint_dispose(
    *, complaint: Complaint, actor: User, opds: Sequence[Opd], note: str = ""
) -> Complaint:
    """Verifies the complaint and sends it to one or more OPDs, each with its own response clock."""
    if not opds:
        raise DomainError(_("Pilih minimal satu OPD tujuan."), code="opd_required")
    if any(opd.tenant_id != complaint.tenant_id for opd in opds):
        raise DomainError(_("OPD bukan milik pemerintah daerah ini."), code="opd_invalid")
    complaint = lock(complaint)
    complaint = move(
        complaint,
        "dispose",
        actor=actor,
        note=note.strip(),
        changes={"verified_at": complaint.verified_at or timezone.now()},
    )
    for opd in opds:
        _open_disposition(complaint, opd, actor)
        record_event(complaint, "disposition", actor=actor, opd=opd)
    return refresh_due(complaint)


@transaction.atomic
def complaint_forward(*, complaint: Complaint, actor: User, opd: Opd, note: str) -> Complaint:
    """Not this OPD's authority: the administrator forwards it to another OPD."""
    complaint = lock(complaint)
    complaint.dispositions.exclude(opd=opd).update(is_active=False)
    complaint = move(complaint, "forward", actor=actor, opd=opd, note=note.strip())
    _open_disposition(complaint, opd, actor)
    return refresh_due(complaint)


@transaction.atomic
def complaint_hold(*, complaint: Complaint, actor: User, note: str = "") -> Complaint:
    return refresh_due(move(complaint, "hold", actor=actor, note=note, public=False))


@transaction.atomic
def complaint_decline(*, complaint: Complaint, actor: User, reason: str) -> Complaint:
    """Bukan wewenang: closes the complaint with a public reason."""
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Sebutkan alasan bukan wewenang."), code="reason_required")
    complaint = move(
        complaint,
        "decline",
        actor=actor,
        note=reason,
        changes={"status_note": reason[:500], "closed_at": timezone.now()},
    )
    return refresh_due(complaint)


@transaction.atomic
def complaint_archive(*, complaint: Complaint, actor: User, note: str = "") -> Complaint:
    complaint = lock(complaint)
    complaint = move(
        complaint,
        "archive",
        actor=actor,
        note=note,
        changes={"closed_at": complaint.closed_at or timezone.now()},
    )
    return refresh_due(complaint)


def own_disposition(complaint: Complaint, actor: User) -> Disposition | None:
    """The actor's OPD's active disposition of the complaint; None for the region administrator
    acting for the region (whose work counts for no OPD). Anyone else: a 404 error."""
    disposition = (
        complaint.dispositions.select_related("opd")
        .filter(opd_id=actor.opd_id, is_active=True)
        .first()
        if actor.opd_id
        else None
    )
    if disposition is None and not actor.administers(complaint.tenant):
        raise DomainError(
            _("Aduan ini tidak didisposisikan ke OPD Anda."), code="not_disposed", status=404
        )
    return disposition


@transaction.atomic
def complaint_send_back(*, complaint: Complaint, actor: User, reason: str) -> Complaint:
    """ "Bukan wewenang kami": an OPD returns a complaint wrongly sent to it, with a reason.
    Its part ends (no response or resolution is credited to it). When no other OPD is working
    on the complaint, it goes back to the administrator's triage (``baru``) with a fresh
    verification clock."""
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Sebutkan alasan mengembalikan aduan."), code="reason_required")
    complaint = lock(complaint)
    COMPLAINT_WORKFLOW.target(complaint.status, "send_back")  # an invalid move fails first
    disposition = own_disposition(complaint, actor)
    if disposition is None:
        raise DomainError(
            _("Hanya OPD tujuan yang dapat mengembalikan aduan."), code="not_disposed"
        )
    Disposition.objects.filter(pk=disposition.pk).update(is_active=False)
    others = complaint.dispositions.filter(is_active=True).exists()
    if others:
        record_event(complaint, "send_back", actor=actor, opd=disposition.opd, note=reason)
        return refresh_due(complaint)
    policy = policy_for(complaint.tenant)
    now = timezone.now()
    verify_due = deadline(
        complaint.tenant, now, policy.verification_amount, policy.verification_unit
    )
    complaint = move(
        complaint,
        "send_back",
        actor=actor,
        opd=disposition.opd,
        note=reason,
        public=False,
        changes={"verify_due": verify_due},
    )
    return refresh_due(complaint)


@transaction.atomic
def response_add(
    *,
    complaint: Complaint,
    actor: User,
    body: str,
    is_public: bool = True,
    photos: Sequence[UploadedFile] = (),
) -> Response:
    """An OPD answers. The first public answer stops that OPD's first-response clock (only
    that OPD's: another OPD's part keeps its own). The region administrator answers for the
    region, crediting no OPD."""
    body = no_nul(body).strip()
    if not body:
        raise DomainError(_("Isi tanggapan wajib diisi."), code="body_required")
    if len(body) > MAX_DESCRIPTION:
        raise DomainError(
            _("Tanggapan terlalu panjang (maksimal 4.000 karakter)."), code="body_too_long"
        )
    cleaned = clean_photos(photos)
    complaint = lock(complaint)
    COMPLAINT_WORKFLOW.target(complaint.status, "respond")  # an invalid move fails first
    disposition = own_disposition(complaint, actor)
    opd = disposition.opd if disposition else None
    now = timezone.now()
    response = Response.objects.create(
        complaint=complaint, opd=opd, author=actor, body=body, is_public=is_public, created_at=now
    )
    store_photos(complaint, cleaned, response)
    if is_public:
        if disposition is not None and disposition.first_response_at is None:
            Disposition.objects.filter(pk=disposition.pk).update(first_response_at=now)
        complaint = move(complaint, "respond", actor=actor, opd=opd, note=body)
    else:
        record_event(complaint, "internal_note", actor=actor, opd=opd, note=body)
    refresh_due(complaint)
    return response


@transaction.atomic
def complaint_resolve(*, complaint: Complaint, actor: User, note: str) -> Complaint:
    """An OPD marks ITS part done: only its own disposition gets a resolution (and, if it never
    answered, its first response). The complaint is done (``selesai``, the citizen may confirm
    or reopen) when every active disposition is done; until then it stays ``diproses`` and the
    other OPDs' clocks run on. The region administrator acting for the region closes it for
    everyone instead (``complaint_close``)."""
    note = note.strip()
    if not note:
        raise DomainError(_("Jelaskan penyelesaiannya."), code="note_required")
    complaint = lock(complaint)
    COMPLAINT_WORKFLOW.target(complaint.status, "resolve")  # an invalid move fails first
    disposition = own_disposition(complaint, actor)
    if disposition is None:
        return complaint_close(complaint=complaint, actor=actor, reason=note)
    if disposition.resolved_at is not None:
        raise DomainError(
            _("Bagian %(opd)s sudah ditandai selesai.") % {"opd": disposition.opd.acronym},
            code="already_resolved",
            status=409,
        )
    now = timezone.now()
    Disposition.objects.filter(pk=disposition.pk).update(
        resolved_at=now,
        resolution_note=note[:500],
        first_response_at=Coalesce(F("first_response_at"), now),
    )
    pending = complaint.dispositions.filter(is_active=True, resolved_at__isnull=True).exists()
    if pending:
        complaint = move(complaint, "resolve_part", actor=actor, opd=disposition.opd, note=note)
    else:
        complaint = move(
            complaint,
            "resolve",
            actor=actor,
            opd=disposition.opd,
            note=note,
            changes={"resolved_at": now, "closed_at": now, "status_note": note[:500]},
        )
    return refresh_due(complaint)


@transaction.atomic
def complaint_close(*, complaint: Complaint, actor: User, reason: str) -> Complaint:
    """The region administrator closes a complaint whose OPDs have not all finished, with a
    public reason. No OPD is credited with a response or a resolution it did not give."""
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Sebutkan alasan menutup aduan."), code="reason_required")
    if not actor.administers(complaint.tenant):
        raise DomainError(_("Tidak ditemukan."), code="not_found", status=404)
    now = timezone.now()
    complaint = move(
        complaint,
        "close",
        actor=actor,
        note=reason,
        changes={"resolved_at": now, "closed_at": now, "status_note": reason[:500]},
    )
    return refresh_due(complaint)


OTHER_CODE = "lainnya"


def category_other_ensure(*, tenant: Tenant) -> Category:
    """Every tenant offers a "Lainnya" (other) category, so that no citizen is turned away for
    want of a fitting one. Suggested to Diskominfo when the tenant has it, else to no OPD (the
    administrator's triage decides). Idempotent; run for a new tenant (``tenant_setup``), by
    migration 0005 for the existing ones."""
    opd = Opd.objects.active().filter(tenant=tenant, acronym__istartswith="diskominfo").first()
    category, _created = Category.objects.get_or_create(
        tenant=tenant,
        code=OTHER_CODE,
        defaults={
            "name": "Lainnya",
            "name_en": "Other",
            "group": "Lainnya",
            "opd": opd,
            "description": "Lainnya",
        },
    )
    return category
    opds = Opd.objects.active().filter(tenant=tenant)
    opd = opds.filter(acronym__istartswith="diskominfo").first() or opds.order_by("name").first()
    if opd is None:
        return None
    category, _created = Category.objects.get_or_create(
        tenant=tenant,
        code=OTHER_CODE,
        defaults={"name": "Lainnya", "group": "Lainnya", "opd": opd, "description": "Lainnya"},
    )
    return category
