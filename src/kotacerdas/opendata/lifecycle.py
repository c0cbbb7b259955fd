"""The dataset lifecycle: one transition table (``workflow.DATASET_WORKFLOW``), one event table.

``transition``, ``record`` and ``lock`` follow the lifecycle kit's contract
(``core.lifecycle``: row-only locks, one event per act, the event at ``_last_event``). Until
the kit is on main they are implemented here with the same signatures; switching is an import.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils import timezone

from kotacerdas.core.workflow import Workflow
from kotacerdas.opendata.models import DatasetEvent
from kotacerdas.opendata.workflow import DATASET_WORKFLOW

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Lifecycle:
    workflow: Workflow
    event_model: type[DatasetEvent]
    state_field: str = "status"


DATASET_LIFECYCLE = Lifecycle(workflow=DATASET_WORKFLOW, event_model=DatasetEvent)


def lock(subject: M) -> M:
    """Re-reads ``subject``'s own row, locked (FOR NO KEY UPDATE OF self; no-op on SQLite)."""
    manager = type(subject)._default_manager
    return manager.select_for_update(of=("self",), no_key=True).get(pk=subject.pk)


def _event(subject: Any, lifecycle: Lifecycle, **values: Any) -> DatasetEvent:
    return lifecycle.event_model.objects.create(
        tenant_id=subject.tenant_id, subject=subject, created_at=timezone.now(), **values
    )


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
) -> M:
    """Checks the table against the state read under the row lock, applies it, writes one event."""
    with transaction.atomic():
        locked = lock(subject)
        previous = getattr(locked, lifecycle.state_field)
        target = lifecycle.workflow.target(previous, action)
        setattr(locked, lifecycle.state_field, target)
        for name, value in (changes or {}).items():
            setattr(locked, name, value)
        locked.save()
        locked._last_event = _event(  # type: ignore[attr-defined]
            locked,
            lifecycle,
            actor=actor,
            action=action,
            from_state=previous,
            to_state=target,
            note=note,
            public=public,
            data=dict(data or {}),
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
) -> DatasetEvent:
    """An event that changes no state (a metadata edit, a new version)."""
    return _event(
        subject,
        lifecycle,
        actor=actor,
        action=action,
        from_state="",
        to_state="",
        note=note,
        public=public,
        data=dict(data or {}),
    )
