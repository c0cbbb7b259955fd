"""Retention: purging the documents of closed applications after their period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import partial

from django.conf import settings
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from kotacerdas.services.models import (
    Application,
    Document,
    Status,
)
from kotacerdas.services.services.common import record_event


class Outcome(StrEnum):
    """How an application ended, which decides how long its identity documents are kept."""

    COMPLETED = "completed"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    ABANDONED_DRAFT = "abandoned_draft"


@dataclass(frozen=True)
class PurgeItem:
    application_id: int
    number: str
    service: str
    outcome: Outcome
    since: dt.datetime  # when the retention clock started (closed, or draft expired)


def _retention_rule(outcome: Outcome, cutoff: dt.datetime) -> tuple[Q, str]:
    """The filter of applications past their retention, and the field that started the clock."""
    match outcome:
        case Outcome.COMPLETED:
            return Q(status=Status.COMPLETED, closed_at__lt=cutoff), "closed_at"
        case Outcome.REJECTED:
            return Q(status=Status.REJECTED, closed_at__lt=cutoff), "closed_at"
        case Outcome.CANCELLED:
            return Q(status=Status.CANCELLED, closed_at__lt=cutoff), "closed_at"
        case Outcome.ABANDONED_DRAFT:
            return Q(status=Status.DRAFT, draft_expires_at__lt=cutoff), "draft_expires_at"


def retention_days() -> dict[Outcome, int]:
    """Days each outcome's documents are kept (setting ``SERVICES_RETENTION_DAYS``)."""
    configured: dict[str, int] = settings.SERVICES_RETENTION_DAYS
    return {outcome: int(configured[outcome.value]) for outcome in Outcome}


def _delete_files(storage: Storage, names: list[str]) -> None:
    for name in names:
        storage.delete(name)


def _purge_one(pk: int, rule: Q) -> bool:
    """Delete one application's uploads in its own transaction; False if it no longer qualifies."""
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update(of=("self",), no_key=True)
            .filter(rule, pk=pk, documents_purged_at__isnull=True)
            .first()
        )
        if locked is None:  # renewed, reopened or purged by a parallel run meanwhile
            return False
        storage = Document._meta.get_field("file").storage
        names = list(locked.documents.values_list("file", flat=True))
        count = locked.documents.all().delete()[0]
        fields = ["documents_purged_at"]
        if locked.status == Status.DRAFT:
            # A draft never became a request: its answers (NIK, KK, address) go too.
            locked.form_data, locked.nik, locked.kk_number, locked.delivery_address = {}, "", "", ""
            fields += ["form_data", "nik", "kk_number", "delivery_address"]
        locked.documents_purged_at = timezone.now()
        locked.save(update_fields=fields)
        record_event(locked, actor=None, action="documents_purge", note=str(count), public=False)
        transaction.on_commit(partial(_delete_files, storage, names))
    return True


def documents_purge(
    *,
    commit: bool,
    days: Mapping[Outcome, int] | None = None,
    batch_size: int = 200,
) -> Iterator[PurgeItem]:
    """Yield every application whose uploads are past their retention period (UU 27/2022).

    The period runs from closing (completed, rejected, cancelled) or from the draft's expiry
    (an abandoned draft), per outcome (``retention_days()`` unless ``days`` is given). With
    ``commit`` each one's uploaded documents (never the result) are deleted as it is yielded,
    one transaction each; an abandoned draft also loses its answers. Rows are read in batches
    of ``batch_size`` by primary key, so memory stays bounded however many are due.
    """
    periods = retention_days() if days is None else days
    now = timezone.now()
    for outcome in Outcome:
        rule, clock = _retention_rule(outcome, now - dt.timedelta(days=periods[outcome]))
        last = 0
        while True:
            batch = list(
                Application.objects.filter(rule, documents_purged_at__isnull=True, pk__gt=last)
                .order_by("pk")
                .values_list("pk", "number", "service__name", clock)[:batch_size]
            )
            if not batch:
                break
            last = batch[-1][0]
            for pk, number, service, since in batch:
                if commit and not _purge_one(pk, rule):
                    continue
                yield PurgeItem(pk, number, service, outcome, since)


# --- catalogue -------------------------------------------------------------------------
