"""Shared by the services app's writes: events, moves, notices to the applicant, edit checks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import User
from kotacerdas.core.errors import DomainError
from kotacerdas.core.lifecycle import record, transition
from kotacerdas.core.messages import bilingual
from kotacerdas.notifications.models import Channel
from kotacerdas.notifications.services import notify
from kotacerdas.services.models import (
    Application,
    Event,
    Notice,
    Status,
)
from kotacerdas.services.workflow import APPLICATION_LIFECYCLE, APPLICATION_WORKFLOW


def draft_lifetime() -> dt.timedelta:
    """A draft untouched this long expires (setting ``SERVICES_DRAFT_DAYS``)."""
    return dt.timedelta(days=settings.SERVICES_DRAFT_DAYS)


def record_event(
    application: Application,
    *,
    actor: User | None,
    action: str,
    note: str = "",
    public: bool = True,
    data: dict[str, Any] | None = None,
) -> Event:
    """An act on the application that changes no state."""
    event = record(
        application,
        lifecycle=APPLICATION_LIFECYCLE,
        action=action,
        actor=actor,
        note=note,
        public=public,
        data=data,
    )
    assert isinstance(event, Event)  # noqa: S101 - the lifecycle's event model
    return event


def move(
    application: Application,
    *,
    actor: User | None,
    action: str,
    note: str = "",
    changes: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
) -> Application:
    """One lifecycle move (``core.lifecycle.transition``: locks only the application's row,
    checks the table, writes the event). Returns the locked, refreshed application."""
    target = APPLICATION_WORKFLOW.target(application.status, action)
    # ``transition`` re-reads the row under its lock: what the caller set on this (already
    # locked) instance is saved first so that it is not lost.
    application.save()
    now = timezone.now()
    extra = dict(changes or {})
    if target in (Status.COMPLETED, Status.REJECTED, Status.CANCELLED):
        extra["closed_at"] = now
    if target == Status.COMPLETED:
        extra["completed_at"] = now
    return transition(
        application,
        action,
        lifecycle=APPLICATION_LIFECYCLE,
        actor=actor,
        note=note,
        public=True,
        data=data,
        changes=extra,
        at=now,
    )


def last_event(application: Application) -> Event:
    """The event ``transition`` wrote for the move that returned ``application``."""
    event = application.__dict__["_last_event"]
    assert isinstance(event, Event)  # noqa: S101 - set by core.lifecycle.transition
    return event


def notify_applicant(application: Application, event: Event, kind: str, **params: str) -> None:
    """Tell the applicant: an in-app notice on the services page, the bell, and an email, all
    written in this transaction through the outbox (``notifications.notify``), sent after
    commit. Identity numbers are never in the message."""
    applicant = application.applicant
    Notice.objects.create(
        user=applicant,
        application=application,
        message_key=kind,
        params=params,
        created_at=timezone.now(),
    )
    message = {
        "kind": kind,
        "values": params,
        "number": application.number,
        "service": bilingual(application.service, "name"),
        "name": applicant.display_name,
    }
    url = reverse("services:application_detail", args=[application.tenant.slug, application.pk])
    for channel in (Channel.INAPP, Channel.EMAIL):
        notify(
            key=f"services:{event.pk}:applicant:{channel}",
            channel=channel,
            tenant=application.tenant,
            message="services.applicant",
            params=message,
            user=applicant,
            url=url,
            unsubscribe_scope=f"services-application:{application.pk}"
            if channel == Channel.EMAIL
            else "",
        )


def check_editable(application: Application) -> None:
    if not application.is_editable:
        raise DomainError(
            _("Permohonan berstatus “%(status)s” tidak dapat diubah lagi.")
            % {"status": application.get_status_display()},
            code="not_editable",
        )
    if (
        application.status == Status.DRAFT
        and application.draft_expires_at
        and application.draft_expires_at <= timezone.now()
    ):
        raise DomainError(
            _(
                "Draf ini kedaluwarsa pada %(date)s karena lama tidak diubah. Lanjutkan di draf baru: isian dan dokumen Anda ikut disalin."
            )
            % {"date": timezone.localtime(application.draft_expires_at).strftime("%d-%m-%Y")},
            code="draft_expired",
        )


# --- the citizen -----------------------------------------------------------------------
