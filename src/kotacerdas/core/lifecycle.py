"""The lifecycle kit: one way to move a tenant-owned object through its states.

An app declares its transition table once (``core.workflow.Workflow``), keeps its own event
table (a concrete subclass of ``LifecycleEvent`` with a ``subject`` foreign key,
``related_name="events"``) and changes state only through ``transition``:

    COMPLAINT_LIFECYCLE = Lifecycle(workflow=COMPLAINT_WORKFLOW, event_model=ComplaintEvent)

    complaint = transition(complaint, "close", lifecycle=COMPLAINT_LIFECYCLE, actor=user,
                           note=note, public=True, changes={"closed_at": now})
    notify(key=f"complaints:{complaint._last_event.pk}:reporter:email", ...)

Locks are row-only: ``select_for_update(of=("self",), no_key=True)``. A plain
``select_for_update()`` with ``select_related()`` would also lock the joined tenant row, and
every other write that references that tenant (an insert of another complaint, say) would
queue behind it. ``no_key`` takes PostgreSQL's FOR NO KEY UPDATE, which does not block
inserts of rows whose foreign key points at the locked row. SQLite has no row locks: its
writers are serialised by the database (``transaction_mode = IMMEDIATE``), so the lock is a
no-op there.

Never make a network call (SMTP, HTTP, SIAK, MQTT) while such a lock is held: write a
notification with ``notifications.services.notify`` in the same transaction instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotacerdas.core.workflow import Workflow

M = TypeVar("M", bound=models.Model)


class LifecycleEvent(models.Model):
    """One row of an object's audit trail: a transition or another recorded act.

    Abstract: each app keeps its own table and adds
    ``subject = models.ForeignKey(<Model>, on_delete=models.CASCADE, related_name="events")``.
    ``from_state`` and ``to_state`` are empty for an act that changes no state (``record``).
    ``public`` events may be shown to the citizen concerned; the others are for staff.
    """

    tenant = models.ForeignKey(
        "tenants.Tenant", on_delete=models.CASCADE, related_name="+", verbose_name=_("pemda")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pelaku"),
    )
    action = models.CharField(_("tindakan"), max_length=40)
    from_state = models.CharField(_("dari status"), max_length=30, blank=True)
    to_state = models.CharField(_("ke status"), max_length=30, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    public = models.BooleanField(_("publik"), default=False)
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("waktu"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]
        # Audits, statistics and SLA clocks read a tenant's events by time.
        indexes = [models.Index(fields=["tenant", "created_at"])]

    def __str__(self) -> str:
        return f"{self.action} {self.from_state}→{self.to_state}"


@dataclass(frozen=True)
class Lifecycle:
    """An app's lifecycle: its one transition table and the table its events go to.

    ``subject_field`` names the event model's foreign key to the subject (``subject`` by
    convention; an app whose existing event table calls it otherwise may say so).
    """

    workflow: Workflow
    event_model: type[LifecycleEvent]
    state_field: str = "status"
    subject_field: str = "subject"


def lock(subject: M) -> M:
    """Re-reads ``subject``'s own row under a row lock and returns the fresh instance.

    Call inside ``transaction.atomic``. Locks only this row (FOR NO KEY UPDATE OF self), never
    the rows it references; a no-op lock on SQLite.
    """
    manager = type(subject)._default_manager
    return manager.select_for_update(of=("self",), no_key=True).get(pk=subject.pk)


def _write_event(
    subject: models.Model,
    *,
    lifecycle: Lifecycle,
    action: str,
    actor: Any,
    note: str,
    public: bool,
    data: dict[str, Any] | None,
    from_state: str,
    to_state: str,
    at: dt.datetime | None,
) -> LifecycleEvent:
    event = lifecycle.event_model(
        tenant_id=subject.tenant_id,  # type: ignore[attr-defined]
        actor=actor,
        action=action,
        from_state=from_state,
        to_state=to_state,
        note=note,
        public=public,
        data=dict(data or {}),
        created_at=at or timezone.now(),
    )
    setattr(event, lifecycle.subject_field, subject)
    event.save(force_insert=True)
    return event


def transition(
    subject: M,
    action: str,
    *,
    lifecycle: Lifecycle,
    actor: Any,
    note: str = "",
    public: bool = False,
    data: dict[str, Any] | None = None,
    changes: Mapping[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> M:
    """Applies ``action`` from the lifecycle's table to ``subject`` and records it.

    Opens (or joins) ``transaction.atomic``; locks only the subject's row, re-reads it, checks
    the table against the state read under the lock (so two people acting at once cannot both
    move it from the same state), sets the new state and the other ``changes``, saves and
    writes one event. Raises ``InvalidTransition`` when the table forbids the move. Returns
    the locked, refreshed subject; the caller's instance is left as it was. The event is at
    ``returned._last_event`` (for notification keys).
    """
    with transaction.atomic():
        locked = lock(subject)
        previous = getattr(locked, lifecycle.state_field)
        target = lifecycle.workflow.target(previous, action)
        setattr(locked, lifecycle.state_field, target)
        for name, value in (changes or {}).items():
            setattr(locked, name, value)
        locked.save()
        locked._last_event = _write_event(  # type: ignore[attr-defined]
            locked,
            lifecycle=lifecycle,
            action=action,
            actor=actor,
            note=note,
            public=public,
            data=data,
            from_state=previous,
            to_state=target,
            at=at,
        )
    return locked


def record(
    subject: models.Model,
    *,
    lifecycle: Lifecycle,
    action: str,
    actor: Any,
    note: str = "",
    public: bool = False,
    data: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
    to_state: str = "",
) -> LifecycleEvent:
    """Records an act that changes no state (a comment, a me-too), or with ``to_state`` the
    state a subject starts in (its creation; no transition is checked). Takes no lock.

    Joins the caller's transaction without a savepoint (two round trips fewer): if writing
    the event fails, the caller's whole write fails with it."""
    with transaction.atomic(savepoint=False):
        return _write_event(
            subject,
            lifecycle=lifecycle,
            action=action,
            actor=actor,
            note=note,
            public=public,
            data=data,
            from_state="",
            to_state=to_state,
            at=at,
        )
