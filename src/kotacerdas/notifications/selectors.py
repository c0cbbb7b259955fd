"""Reads of the outbox: the bell, the inbox page and the delivery status page."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Count, QuerySet

from kotacerdas.notifications.models import Channel, Notification, Status
from kotacerdas.tenants.models import Tenant

INBOX_PAGE = 30
DEAD_PAGE = 50


def unread_count(user: AbstractBaseUser) -> int:
    return Notification.objects.filter(
        user_id=user.pk, channel=Channel.INAPP, read_at__isnull=True
    ).count()


def inbox_page(
    user: AbstractBaseUser, *, before: int | None = None
) -> tuple[list[Notification], int | None]:
    """One page of the user's in-app notices, newest first, and the key of the next page."""
    qs = Notification.objects.filter(user_id=user.pk, channel=Channel.INAPP).order_by("-pk")
    if before is not None:
        qs = qs.filter(pk__lt=before)
    rows = list(qs[: INBOX_PAGE + 1])
    more = rows[INBOX_PAGE].pk + 1 if len(rows) > INBOX_PAGE else None
    return rows[:INBOX_PAGE], more


def status_counts(tenant: Tenant) -> dict[str, int]:
    """How many of the tenant's emails are in each delivery state (counted in SQL)."""
    found = dict(
        Notification.objects.filter(tenant=tenant, channel=Channel.EMAIL)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {status: found.get(status, 0) for status in Status.values}


def dead_emails(tenant: Tenant) -> QuerySet[Notification]:
    """The tenant's emails that failed for good, newest first (bounded)."""
    return Notification.objects.filter(
        tenant=tenant, channel=Channel.EMAIL, status=Status.DEAD
    ).order_by("-pk")[:DEAD_PAGE]
