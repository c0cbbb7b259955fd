"""What the reporter is told, through the platform's notification outbox only.

The receipt, and every public change of their complaint (disposition, answers, a part done,
resolution, reopening), by email when they left an address and in the bell when they have an
account, in their language (an account's stored preference, else the language they reported
in: an anonymous reporter keeps the session's), with one stop link per complaint. Called inside
the transaction of the change: the message commits with it or not at all.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from kotacerdas.complaints.models import Complaint, Event
from kotacerdas.notifications.models import Channel
from kotacerdas.notifications.services import notify, recipient_language


def _scope(complaint: Complaint) -> str:
    return f"complaint:{complaint.pk}"


def _follow_url(complaint: Complaint) -> str:
    return reverse("complaints:follow", args=[complaint.tenant.slug, complaint.tracking_token])


def _language(complaint: Complaint) -> str:
    reporter = complaint.reporter if complaint.reporter_id else None
    return recipient_language(reporter, complaint.language)


def _send(complaint: Complaint, event: Event, message: str, params: dict[str, str]) -> None:
    reporter = complaint.reporter if complaint.reporter_id else None
    url = _follow_url(complaint)
    if complaint.reporter_email or (reporter is not None and reporter.email):
        notify(
            key=f"complaints:{event.pk}:reporter:email",
            channel=Channel.EMAIL,
            tenant=complaint.tenant,
            message=message,
            params=params,
            user=reporter,
            email=complaint.reporter_email,
            url=url,
            unsubscribe_scope=_scope(complaint),
            language=_language(complaint),
        )
    if reporter is not None:
        notify(
            key=f"complaints:{event.pk}:reporter:inapp",
            channel=Channel.INAPP,
            tenant=complaint.tenant,
            message=message,
            params=params,
            user=reporter,
            url=url,
        )


def received(complaint: Complaint, event: Event) -> None:
    """The receipt, with the private tracking link (texts: ``complaints.texts``)."""
    due = timezone.localtime(complaint.verify_due).strftime("%d-%m-%Y %H:%M")
    _send(complaint, event, "complaints.received", {"ticket": complaint.ticket, "due": due})


def status_changed(complaint: Complaint, event: Event) -> None:
    """A public change of the complaint (``event`` is public)."""
    if not (complaint.reporter_email or complaint.reporter_id):
        return
    params = {
        "ticket": complaint.ticket,
        "status": complaint.status,
        "action": event.action,
        "opd": event.opd.name if event.opd is not None else "",
        "note": event.note,
    }
    _send(complaint, event, "complaints.status_changed", params)
