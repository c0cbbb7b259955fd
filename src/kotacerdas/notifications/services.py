"""Writing notifications (``notify``) and delivering them (``deliver_due``).

Delivery is at least once: a worker claims due rows by pushing their ``next_attempt_at``
forward by a lease (``NOTIFICATION_LEASE_SECONDS``) in a short transaction, then sends each
one outside any transaction. If the worker dies mid-send the lease runs out and another
worker sends it again. Several workers share the queue: on PostgreSQL the claim skips rows
another worker is claiming (``SKIP LOCKED``); on SQLite, whose writers are serialised, each
row is claimed with a conditional ``UPDATE`` that only one worker can win.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kotacerdas.core import messages
from kotacerdas.notifications.models import (
    DUE_STATUSES,
    Channel,
    Notification,
    Status,
    Unsubscribe,
)
from kotacerdas.tenants.models import Tenant

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "kotacerdas.notifications.unsubscribe"


def absolute_url(url: str) -> str:
    """``url`` made absolute against ``SITE_URL`` (emails are read outside the site)."""
    return urljoin(settings.SITE_URL.rstrip("/") + "/", url) if url else ""


def unsubscribe_token(email: str, scope: str) -> str:
    """A signed, non-expiring token: the same for an address and scope every time."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object(
        {"e": email.lower(), "s": scope}, compress=True
    )


def read_unsubscribe_token(token: str) -> tuple[str, str] | None:
    """The (email, scope) a link was made for, or None when it was tampered with."""
    try:
        data = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("e"), str):
        return None
    if not isinstance(data.get("s"), str):
        return None
    return data["e"], data["s"]


def unsubscribe_url(email: str, scope: str) -> str:
    return absolute_url(
        reverse("notifications:unsubscribe", args=[unsubscribe_token(email, scope)])
    )


def recipient_language(user: AbstractBaseUser | None, fallback: str = "") -> str:
    """The language to write to ``user`` in: their stored preference (``language`` on the user
    model), else ``fallback`` (the language a report was filed in, say), else the default."""
    return str(getattr(user, "language", "") or "") or fallback or settings.LANGUAGE_CODE


def notify(
    *,
    key: str,
    channel: Channel | str,
    tenant: Tenant | None,
    message: str,
    params: Mapping[str, Any] | None = None,
    user: AbstractBaseUser | None = None,
    email: str = "",
    url: str = "",
    unsubscribe_scope: str = "",
    language: str = "",
) -> Notification | None:
    """Queues one message; call it inside the transaction of the change it reports.

    ``message`` is a key of ``core.messages`` and ``params`` its parameters (JSON): the
    row stores them, not a sentence, and the text is rendered when read, in the reader's
    language for the bell and in the recipient's for an email (``recipient_language`` of
    ``user``, else ``language``, else the active language). ``key`` is unique: a second call
    with the same key returns None and queues nothing. An email goes to ``email`` or else
    ``user.email``; with no address, or when the address has unsubscribed from
    ``unsubscribe_scope``, nothing is queued and None is returned.
    """
    channel = Channel(channel)
    params = dict(params or {})
    if channel == Channel.INAPP and user is None:
        raise ValueError("an in-app notification needs a user")
    recipient = recipient_language(user, language or translation.get_language() or "")
    # Rendered once now so that an unknown key or a missing parameter fails in the caller.
    messages.render(message, params, language=recipient)
    address = ""
    if channel == Channel.EMAIL:
        address = (email or getattr(user, "email", "") or "").strip()
        if not address:
            return None
        if (
            unsubscribe_scope
            and Unsubscribe.objects.filter(email=address.lower(), scope=unsubscribe_scope).exists()
        ):
            return None
    if Notification.objects.filter(key=key).exists():
        return None
    now = timezone.now()
    inapp = channel == Channel.INAPP
    try:
        # A savepoint: a concurrent insert of the same key must not break the caller's
        # transaction, only skip this message.
        with transaction.atomic():
            return Notification.objects.create(
                key=key,
                channel=channel,
                tenant=tenant,
                user_id=user.pk if user is not None else None,
                email=address,
                message_key=message,
                params=params,
                # The bell speaks its reader's language; an email its recipient's.
                language="" if inapp else recipient,
                url=url,
                unsubscribe_scope=unsubscribe_scope,
                # In-app notices are delivered by being stored.
                status=Status.SENT if inapp else Status.PENDING,
                sent_at=now if inapp else None,
                next_attempt_at=now,
                created_at=now,
            )
    except IntegrityError:
        return None


def email_text(notification: Notification) -> tuple[str, str]:
    """The subject and body an email is sent with, in its recipient's language: the message,
    its link and the stop link. A row from before message keys is sent as it was stored."""
    if not notification.message_key:
        return notification.subject, notification.body
    language = notification.language or settings.LANGUAGE_CODE
    subject, body = notification.rendered(language)
    lines = [body.rstrip()]
    if notification.url:
        lines.append(absolute_url(notification.url))
    if notification.unsubscribe_scope:
        with translation.override(language):
            lines.append(
                _("Berhenti menerima surel tentang ini: %(link)s")
                % {"link": unsubscribe_url(notification.email, notification.unsubscribe_scope)}
            )
    return subject, "\n\n".join(lines) + "\n"


def unsubscribe(*, email: str, scope: str) -> None:
    """Records that ``email`` wants no more mail about ``scope`` (idempotent) and drops the
    messages about it still waiting to be sent."""
    address = email.lower()
    with transaction.atomic():
        Unsubscribe.objects.get_or_create(email=address, scope=scope)
        Notification.objects.filter(
            channel=Channel.EMAIL,
            email__iexact=address,
            unsubscribe_scope=scope,
            status__in=DUE_STATUSES,
        ).update(status=Status.DEAD, last_error="unsubscribed")


def mark_read(*, user: AbstractBaseUser, pks: list[int] | None = None) -> int:
    """Marks the user's unread in-app notices read (those in ``pks``, or all of them)."""
    qs = Notification.objects.filter(user_id=user.pk, channel=Channel.INAPP, read_at__isnull=True)
    if pks is not None:
        qs = qs.filter(pk__in=pks)
    return qs.update(read_at=timezone.now())


def retry(*, notification: Notification) -> None:
    """Puts a failed or dead email back in the queue now (a staff action)."""
    Notification.objects.filter(pk=notification.pk, channel=Channel.EMAIL).exclude(
        status=Status.SENT
    ).update(status=Status.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error="")


# --- delivery ---------------------------------------------------------------------------------


@dataclass
class Delivery:
    """What one ``deliver_due`` call did."""

    sent: int = 0
    retried: int = 0
    dead: int = 0

    @property
    def total(self) -> int:
        return self.sent + self.retried + self.dead


def backoff(attempts: int) -> dt.timedelta:
    """Wait before attempt ``attempts + 1``: doubling from the base, capped."""
    seconds = settings.NOTIFICATION_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return dt.timedelta(seconds=min(seconds, settings.NOTIFICATION_RETRY_MAX_SECONDS))


def _claim(limit: int) -> list[Notification]:
    """Takes up to ``limit`` due emails for this worker: counts the attempt and leases them."""
    now = timezone.now()
    lease_until = now + dt.timedelta(seconds=settings.NOTIFICATION_LEASE_SECONDS)
    due = Notification.objects.filter(
        channel=Channel.EMAIL, status__in=DUE_STATUSES, next_attempt_at__lte=now
    ).order_by("next_attempt_at", "pk")
    claimed: list[int] = []
    if connection.features.has_select_for_update_skip_locked:
        with transaction.atomic():
            ids = list(
                due.select_for_update(skip_locked=True, of=("self",), no_key=True).values_list(
                    "pk", flat=True
                )[:limit]
            )
            Notification.objects.filter(pk__in=ids).update(
                next_attempt_at=lease_until, attempts=F("attempts") + 1
            )
            claimed = ids
    else:
        for pk in due.values_list("pk", flat=True)[:limit]:
            won = Notification.objects.filter(
                pk=pk, status__in=DUE_STATUSES, next_attempt_at__lte=now
            ).update(next_attempt_at=lease_until, attempts=F("attempts") + 1)
            if won:
                claimed.append(pk)
    return list(Notification.objects.filter(pk__in=claimed).order_by("next_attempt_at", "pk"))


def _message(notification: Notification, smtp: BaseEmailBackend) -> EmailMessage:
    headers = {"Auto-Submitted": "auto-generated"}
    if notification.unsubscribe_scope:
        link = unsubscribe_url(notification.email, notification.unsubscribe_scope)
        # RFC 8058 one-click unsubscribe: mail clients POST to the link.
        headers["List-Unsubscribe"] = f"<{link}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    subject, body = email_text(notification)
    return EmailMessage(
        subject=subject,
        body=body,
        to=[notification.email],
        headers=headers,
        connection=smtp,
    )


def deliver_due(*, limit: int = 50) -> Delivery:
    """Sends up to ``limit`` due emails and records each outcome. Holds no lock while sending.

    A failure schedules the next attempt after ``backoff``; after
    ``NOTIFICATION_MAX_ATTEMPTS`` attempts the row is marked dead (shown to staff).
    """
    result = Delivery()
    claimed = _claim(limit)
    if not claimed:
        return result
    smtp = get_connection(fail_silently=False)
    try:
        for notification in claimed:
            try:
                _message(notification, smtp).send()
            except Exception as error:  # any transport failure: retry later
                logger.warning(
                    "notification %s: attempt %s failed: %s",
                    notification.pk,
                    notification.attempts,
                    type(error).__name__,
                )
                _close_quietly(smtp)
                smtp = get_connection(fail_silently=False)
                if _record_failure(notification, error):
                    result.dead += 1
                else:
                    result.retried += 1
                continue
            Notification.objects.filter(pk=notification.pk).update(
                status=Status.SENT, sent_at=timezone.now(), last_error=""
            )
            result.sent += 1
    finally:
        _close_quietly(smtp)
    return result


def _close_quietly(smtp: BaseEmailBackend) -> None:
    # A broken connection is being thrown away anyway.
    with contextlib.suppress(Exception):
        smtp.close()


def _record_failure(notification: Notification, error: Exception) -> bool:
    """Schedules a retry, or marks the row dead after the last attempt. True when dead."""
    message = f"{type(error).__name__}: {error}"[:1000]
    dead = bool(notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS)
    Notification.objects.filter(pk=notification.pk).update(
        status=Status.DEAD if dead else Status.FAILED,
        next_attempt_at=timezone.now() + backoff(notification.attempts),
        last_error=message,
    )
    return dead
