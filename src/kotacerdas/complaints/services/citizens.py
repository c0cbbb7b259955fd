"""What the citizen does after filing: confirm, reopen, rate, and back someone else's report."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import User
from kotacerdas.complaints.models import Complaint, Severity, Status, Supporter
from kotacerdas.complaints.services.common import move, policy_for, record_event, refresh_due
from kotacerdas.core.errors import DomainError
from kotacerdas.core.lifecycle import lock
from kotacerdas.tenants.calendar import deadline


@transaction.atomic
def complaint_confirm(*, complaint: Complaint, note: str = "") -> Complaint:
    """The citizen confirms the solution."""
    return refresh_due(move(complaint, "confirm", actor=None, note=note.strip()))


@transaction.atomic
def complaint_reopen(*, complaint: Complaint, reason: str) -> Complaint:
    """The citizen reopens within the policy's window (14 days). The complaint returns to the
    same OPD(s) with a fresh response clock, and the reopen counts against them."""
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Sebutkan alasan membuka kembali."), code="reason_required")
    complaint = lock(complaint)
    policy = policy_for(complaint.tenant)
    now = timezone.now()
    if complaint.resolved_at and now > complaint.resolved_at + dt.timedelta(
        days=policy.reopen_days
    ):
        raise DomainError(
            _("Aduan hanya dapat dibuka kembali dalam %(n)d hari setelah selesai.")
            % {"n": policy.reopen_days},
            code="reopen_expired",
        )
    due = deadline(complaint.tenant, now, policy.response_amount, policy.response_unit)
    complaint.dispositions.filter(is_active=True).update(
        reopen_count=F("reopen_count") + 1,
        first_response_at=None,
        resolved_at=None,
        resolution_note="",
        response_due=due,
    )
    complaint = move(
        complaint,
        "reopen",
        actor=None,
        note=reason,
        changes={
            "reopen_count": complaint.reopen_count + 1,
            "resolved_at": None,
            "closed_at": None,
            "status_note": "",
            "resolve_due": deadline(complaint.tenant, now, policy.ringan_amount, policy.ringan_unit)
            if complaint.severity == Severity.RINGAN
            else complaint.resolve_due,
        },
    )
    return refresh_due(complaint)


@transaction.atomic
def complaint_rate(*, complaint: Complaint, rating: int, comment: str = "") -> Complaint:
    if rating not in range(1, 6):
        raise DomainError(_("Nilai harus 1 sampai 5."), code="rating_invalid")
    complaint = lock(complaint)
    if complaint.status not in (Status.SELESAI, Status.DITUTUP):
        raise DomainError(
            _("Penilaian dapat diberikan setelah aduan selesai."), code="rating_too_early"
        )
    complaint.rating = rating
    complaint.rating_comment = comment.strip()[:500]
    complaint.save(update_fields=["rating", "rating_comment"])
    record_event(complaint, "rate", note=str(rating))
    return complaint


@transaction.atomic
def complaint_me_too(
    *, complaint: Complaint, user: User | None, browser: str
) -> tuple[Complaint, bool]:
    """A citizen backs an existing report instead of filing a duplicate: at most once per account
    and once per browser (``browser`` is a random id kept in the browser's session). Returns
    ``(complaint, added)``; a repeat adds nothing."""
    if user is None and not browser:
        raise DomainError(_("Dukungan tidak dapat dicatat tanpa sesi peramban."), code="no_session")
    if not complaint.is_open:
        raise DomainError(
            _("Aduan yang sudah selesai tidak dapat didukung lagi."), code="complaint_closed"
        )
    try:
        with transaction.atomic():  # the savepoint keeps the outer transaction usable
            Supporter.objects.create(complaint=complaint, user=user, browser=browser[:64])
    except IntegrityError:
        return complaint, False
    # A conditional UPDATE, no lock held: supporters of one complaint never wait for each other.
    Complaint.objects.filter(pk=complaint.pk).update(me_too_count=F("me_too_count") + 1)
    record_event(complaint, "me_too", actor=user)
    complaint.refresh_from_db(fields=["me_too_count"])
    return complaint, True
