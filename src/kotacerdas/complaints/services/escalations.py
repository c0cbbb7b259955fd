"""Escalating overdue complaints to the OPD heads and the region administrators, once per
deadline, through the notification outbox."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from kotacerdas.accounts.models import Role, User
from kotacerdas.complaints.models import OPEN_STATUSES, Complaint
from kotacerdas.complaints.services.common import record_event
from kotacerdas.core.messages import bilingual
from kotacerdas.notifications.models import Channel
from kotacerdas.notifications.services import notify
from kotacerdas.tenants.models import Tenant

BATCH = 500


def _admins(tenant: Tenant) -> list[str]:
    emails = list(
        User.objects.filter(tenant=tenant, role=Role.REGION_ADMIN, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    return emails or ([tenant.email] if tenant.email else [])


def overdue_unescalated(now: dt.datetime) -> list[tuple[int, dt.datetime]]:
    """``(pk, due_at)`` of the open complaints past their running deadline that were not yet
    escalated for it: found in SQL (the ``complaint_due_idx`` index), across tenants."""
    rows = (
        Complaint.objects.filter(status__in=OPEN_STATUSES, due_at__lt=now)
        .exclude(escalated_due=F("due_at"))
        .order_by("due_at", "pk")
        .values_list("pk", "due_at")[:BATCH]
    )
    return [(pk, due) for pk, due in rows if due is not None]


def escalations_send(*, now: dt.datetime | None = None) -> list[Complaint]:
    """Queues an email to the OPD heads and region administrators about each overdue
    complaint, once per deadline: a conditional UPDATE claims the complaint (no lock held
    beyond that row), so reruns and parallel runs queue no repeats. Works in batches."""
    now = now or timezone.now()
    sent: list[Complaint] = []
    while batch := overdue_unescalated(now):
        for pk, due in batch:
            complaint = _escalate(pk, due, now)
            if complaint is not None:
                sent.append(complaint)
        if len(batch) < BATCH:
            break
    return sent


@transaction.atomic
def _escalate(pk: int, due: dt.datetime, now: dt.datetime) -> Complaint | None:
    claimed = (
        Complaint.objects.filter(pk=pk, due_at=due)
        .exclude(escalated_due=due)
        .update(escalated_due=due)
    )
    if not claimed:
        return None
    complaint = Complaint.objects.select_related("tenant", "category").get(pk=pk)
    heads = list(
        complaint.dispositions.filter(is_active=True, first_response_at__isnull=True)
        .exclude(opd__head_email="")
        .values_list("opd__head_email", flat=True)
    )
    recipients = sorted(set(heads + _admins(complaint.tenant)))
    event = record_event(complaint, "escalate", note=", ".join(recipients), at=now)
    params = {
        "ticket": complaint.ticket,
        "category": bilingual(complaint.category, "name"),
        "status": complaint.status,
        "due": timezone.localtime(due).strftime("%d-%m-%Y %H:%M"),
    }
    for address in recipients:
        notify(
            key=f"complaints:{event.pk}:escalate:{address.lower()}",
            channel=Channel.EMAIL,
            tenant=complaint.tenant,
            message="complaints.escalated",
            params=params,
            email=address,
            url=f"/{complaint.tenant.slug}/aduan/kelola/{complaint.pk}/",
            # Addresses of heads and administrators, not accounts: the platform's language.
            language=settings.LANGUAGE_CODE,
        )
    return complaint
