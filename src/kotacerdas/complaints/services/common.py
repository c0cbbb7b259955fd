"""What the complaint services share: the SLA policy, moves through the lifecycle kit, events
that change no state, the running SLA clock, and photos."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import User
from kotacerdas.complaints.models import Complaint, ComplaintPolicy, Event, Photo, Response, Status
from kotacerdas.complaints.photos import MAX_PHOTOS, photo_check, photo_public_copy
from kotacerdas.complaints.services import notices
from kotacerdas.complaints.workflow import COMPLAINT_LIFECYCLE
from kotacerdas.core.errors import DomainError
from kotacerdas.core.lifecycle import record, transition
from kotacerdas.tenants.models import Opd, Tenant

logger = logging.getLogger(__name__)
MAX_DESCRIPTION = 4000


def policy_for(tenant: Tenant) -> ComplaintPolicy:
    policy, _created = ComplaintPolicy.objects.get_or_create(tenant=tenant)
    return policy


def no_nul(text: str | None) -> str:
    """PostgreSQL text cannot hold NUL; every other character is kept as sent (feeds escape or
    drop what their format cannot carry)."""
    return (text or "").replace("\x00", "")


def _with_opd(event: Event, opd: Opd | None) -> Event:
    # The kit writes the common columns; the OPD concerned is this table's own column.
    if opd is not None:
        event.opd = opd
        Event.objects.filter(pk=event.pk).update(opd=opd)
    return event


def record_event(
    complaint: Complaint,
    action: str,
    *,
    actor: User | None = None,
    note: str = "",
    opd: Opd | None = None,
    public: bool = False,
    at: dt.datetime | None = None,
    to_state: str = "",
    data: dict[str, Any] | None = None,
) -> Event:
    """An act that changes no state (a classification, an internal note, a me-too); or, with
    ``to_state``, the complaint's creation."""
    event = record(
        complaint,
        lifecycle=COMPLAINT_LIFECYCLE,
        action=action,
        actor=actor,
        note=note,
        public=public,
        data=data,
        at=at,
        to_state=to_state,
    )
    assert isinstance(event, Event)  # noqa: S101 - the lifecycle's event model
    return _with_opd(event, opd)


def move(
    complaint: Complaint,
    action: str,
    *,
    actor: User | None,
    note: str = "",
    opd: Opd | None = None,
    public: bool = True,
    changes: Mapping[str, Any] | None = None,
) -> Complaint:
    """Applies ``action`` through the lifecycle kit: locks only the complaint's row, checks the
    transition table, sets the status and ``changes``, writes one event. A public move is
    told to the reporter (queued in this transaction). Returns the locked, fresh complaint;
    call ``refresh_due`` on it once the dispositions are settled."""
    moved = transition(
        complaint,
        action,
        lifecycle=COMPLAINT_LIFECYCLE,
        actor=actor,
        note=note,
        public=public,
        changes={"updated_at": timezone.now(), **(changes or {})},
    )
    event = _with_opd(moved._last_event, opd)  # type: ignore[attr-defined]
    if public:
        notices.status_changed(moved, event)
    return moved


def refresh_due(complaint: Complaint) -> Complaint:
    """Stores the SLA clock that currently runs: verification, an OPD's first response, or
    resolution. Call inside the transaction that changed the complaint."""
    due: dt.datetime | None
    if complaint.status in (Status.BARU, Status.DITUNDA):
        due = complaint.verify_due
    elif complaint.is_open:
        clocks = list(
            complaint.dispositions.filter(
                is_active=True, first_response_at__isnull=True
            ).values_list("response_due", flat=True)
        )
        if complaint.resolve_due:
            clocks.append(complaint.resolve_due)
        due = min(clocks) if clocks else None
    else:
        due = None
    if due != complaint.due_at:
        complaint.due_at = due
        Complaint.objects.filter(pk=complaint.pk).update(due_at=due)
    return complaint


def store_photos(
    complaint: Complaint, originals: Iterable[ContentFile[bytes]], response: Response | None = None
) -> None:
    """Stores the checked originals; their public copies are made after commit by the worker
    (``photo_publish``), and until then no page, feed or link shows them."""
    for original in originals:
        Photo.objects.create(complaint=complaint, response=response, original=original)


def clean_photos(photos: Sequence[UploadedFile]) -> list[ContentFile[bytes]]:
    if len(photos) > MAX_PHOTOS:
        raise DomainError(_("Paling banyak 5 foto."), code="too_many_photos")
    return [photo_check(p) for p in photos]


def photo_publish(*, photo: Photo) -> bool:
    """Makes ``photo``'s public copy (re-encoded, without EXIF) if it has none; False when it
    already had one or its original no longer decodes. Outside any transaction: the copy is
    stored first and recorded with a conditional UPDATE, so two workers racing store one."""
    if photo.image:
        return False
    try:
        with photo.original.open("rb") as handle:
            public = photo_public_copy(handle.read())
    except (DomainError, OSError):
        logger.warning("complaint photo %s: the original cannot be read or decoded", photo.pk)
        return False
    photo.image.save(public.name or "foto.jpg", public, save=False)
    recorded = Photo.objects.filter(pk=photo.pk, image="").update(
        image=photo.image.name, width=photo.width, height=photo.height
    )
    if not recorded:  # another worker was first
        photo.image.delete(save=False)
    return bool(recorded)
