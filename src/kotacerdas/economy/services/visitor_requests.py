"""Visitors' requests (enquiries, bookings, orders) and their lifecycle: submitting, answering,
cancelling and rating; reminders on unanswered requests; the retention of visitors' contacts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kotacerdas.accounts.models import User
from kotacerdas.core.errors import DomainError
from kotacerdas.core.lifecycle import Lifecycle, record, transition
from kotacerdas.core.workflow import Workflow
from kotacerdas.economy.models import (
    Homestay,
    Producer,
    Product,
    RequestKind,
    RequestStatus,
    TourismVillage,
    TourPackage,
    VisitorRequest,
    VisitorRequestEvent,
)
from kotacerdas.economy.services.common import office_operators
from kotacerdas.notifications.models import Channel
from kotacerdas.notifications.services import notify
from kotacerdas.tenants.models import Tenant

S = RequestStatus
REQUEST_WORKFLOW = Workflow.build(
    "visitor_request",
    [
        ("answer", [S.NEW, S.ANSWERED], S.ANSWERED),
        ("confirm", [S.NEW, S.ANSWERED], S.CONFIRMED),
        ("decline", [S.NEW, S.ANSWERED], S.DECLINED),
        ("complete", [S.CONFIRMED], S.COMPLETED),
        ("cancel", [S.NEW, S.ANSWERED, S.CONFIRMED], S.CANCELLED),
    ],
    labels={s.value: str(s.value) for s in S},
)
REQUEST_LIFECYCLE = Lifecycle(workflow=REQUEST_WORKFLOW, event_model=VisitorRequestEvent)
MANAGER_ACTIONS = ("answer", "confirm", "decline", "complete")
# What the audit trail shows for each act (states use their own labels).
ACT_LABELS = {
    "submitted": gettext_lazy("Permintaan dikirim"),
    "rated": gettext_lazy("Dinilai pengunjung"),
    **{s.value: s.label for s in S},
}


def event_label(event: VisitorRequestEvent) -> str:
    return str(ACT_LABELS.get(event.to_state or event.action, event.action))


OPEN = (S.NEW, S.ANSWERED, S.CONFIRMED)


def addressees(req: VisitorRequest) -> list[User]:
    """Who answers a request: the village's managers, or the producer's members; the office
    concerned when there is nobody."""
    if req.village_id:
        people = list(req.village.managers.filter(is_active=True)[:20])  # type: ignore[union-attr]
        return people or office_operators(req.tenant, settings.ECONOMY_TOURISM_OPDS)
    people = list(req.producer.members.filter(is_active=True)[:20])  # type: ignore[union-attr]
    return people or office_operators(req.tenant, settings.ECONOMY_OVOP_OPDS)


def _tell_staff(req: VisitorRequest, key: str, message: str, params: dict[str, str]) -> None:
    url = reverse("economy:request", args=[req.tenant.slug, req.pk])
    for user in addressees(req):
        for channel in (Channel.EMAIL, Channel.INAPP):
            notify(
                key=f"{key}:{user.pk}:{channel}",
                channel=channel,
                tenant=req.tenant,
                user=user,
                message=message,
                params=params,
                url=url,
            )


def _tell_visitor(req: VisitorRequest, key: str, message: str, params: dict[str, str]) -> None:
    if req.contact_purged_at or not req.visitor_email:
        return
    notify(
        key=key,
        channel=Channel.EMAIL,
        tenant=req.tenant,
        email=req.visitor_email,
        message=message,
        params=params,
        language=req.language,  # the visitor wrote in it
        url=reverse("economy:track", args=[req.tenant.slug, req.token]),
        unsubscribe_scope=f"economy-request:{req.pk}",
    )


def _what(req: VisitorRequest) -> str:
    for item in (req.homestay, req.package, req.product):
        if item is not None:
            return str(item)
    return str(req.village or req.producer)


# --- visitors' requests -----------------------------------------------------------------------


def request_submit(
    *,
    tenant: Tenant,
    kind: str,
    village: TourismVillage | None = None,
    producer: Producer | None = None,
    homestay: Homestay | None = None,
    package: TourPackage | None = None,
    product: Product | None = None,
    visitor_name: str,
    visitor_email: str,
    visitor_phone: str = "",
    message: str = "",
    check_in: dt.date | None = None,
    check_out: dt.date | None = None,
    guests: int | None = None,
    quantity: int | None = None,
) -> VisitorRequest:
    """Files a visitor's request (no account needed) and tells its addressees and the visitor."""
    if kind not in RequestKind.values:
        raise DomainError(_("Jenis permintaan tidak dikenal."), code="invalid_kind")
    if (village is None) == (producer is None):
        raise DomainError(_("Permintaan ditujukan ke satu desa atau satu produsen."))
    if kind == RequestKind.HOMESTAY and (homestay is None or not check_in or not check_out):
        raise DomainError(_("Pilih homestay serta tanggal datang dan pulang."), code="incomplete")
    if check_in and check_out and check_out <= check_in:
        raise DomainError(_("Tanggal pulang harus setelah tanggal datang."), code="invalid_dates")
    if check_in and check_in < timezone.localdate():
        raise DomainError(_("Tanggal datang sudah lewat."), code="invalid_dates")
    if kind == RequestKind.ORDER and (product is None or not quantity):
        raise DomainError(_("Pilih produk dan jumlahnya."), code="incomplete")
    with transaction.atomic():
        req = VisitorRequest.objects.create(
            tenant=tenant,
            village=village,
            producer=producer,
            kind=kind,
            homestay=homestay,
            package=package,
            product=product,
            visitor_name=visitor_name,
            visitor_email=visitor_email,
            visitor_phone=visitor_phone,
            message=message,
            check_in=check_in,
            check_out=check_out,
            guests=guests,
            quantity=quantity,
            language=translation.get_language() or "id",
        )
        record(req, lifecycle=REQUEST_LIFECYCLE, action="submitted", actor=None, public=True)
        what = _what(req)
        _tell_staff(
            req,
            f"economy:req:{req.pk}:new",
            "economy.request_new",
            {"what": what, "kind": req.kind},
        )
        _tell_visitor(
            req, f"economy:req:{req.pk}:receipt", "economy.request_received", {"what": what}
        )
    return req


def request_act(
    *, req: VisitorRequest, action: str, actor: User, reply: str = ""
) -> VisitorRequest:
    """A manager's answer, confirmation, refusal or completion; tells the visitor by email."""
    if action not in MANAGER_ACTIONS:
        raise DomainError(_("Tindakan tidak dikenal."), code="invalid_action")
    if action in ("answer", "decline") and not reply.strip():
        raise DomainError(_("Tulis jawaban untuk pengunjung."), code="reply_required")
    changes: dict[str, Any] = {}
    if reply.strip():
        changes["reply"] = reply.strip()
    if req.answered_at is None:
        changes["answered_at"] = timezone.now()
    with transaction.atomic():
        req = transition(
            req,
            action,
            lifecycle=REQUEST_LIFECYCLE,
            actor=actor,
            note=reply.strip(),
            public=True,
            changes=changes,
        )
        event = req._last_event  # type: ignore[attr-defined]
        _tell_visitor(
            req,
            f"economy:event:{event.pk}:visitor",
            "economy.request_news",
            {"status": req.status, "reply": reply.strip()},
        )
    return req


def request_cancel(*, req: VisitorRequest) -> VisitorRequest:
    """The visitor cancels through the private link."""
    with transaction.atomic():
        req = transition(req, "cancel", lifecycle=REQUEST_LIFECYCLE, actor=None, public=True)
        event = req._last_event  # type: ignore[attr-defined]
        _tell_staff(
            req,
            f"economy:event:{event.pk}:cancelled",
            "economy.request_cancelled",
            {"what": _what(req)},
        )
    return req


def request_rate(*, req: VisitorRequest, rating: int) -> VisitorRequest:
    if req.status != RequestStatus.COMPLETED:
        raise DomainError(_("Penilaian diberikan setelah kunjungan selesai."), code="not_completed")
    if not 1 <= rating <= 5:
        raise DomainError(_("Nilai 1 sampai 5."), code="invalid_rating")
    updated = VisitorRequest.objects.filter(pk=req.pk, rating__isnull=True).update(rating=rating)
    if not updated:
        raise DomainError(_("Permintaan ini sudah dinilai."), code="already_rated")
    record(req, lifecycle=REQUEST_LIFECYCLE, action="rated", actor=None, data={"rating": rating})
    req.rating = rating
    return req


def reminders_unanswered(*, now: dt.datetime | None = None) -> int:
    """Reminds the addressees of requests still unanswered after
    ``ECONOMY_ANSWER_REMINDER_HOURS``; once per request (the notification key)."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(hours=settings.ECONOMY_ANSWER_REMINDER_HOURS)
    due = VisitorRequest.objects.filter(
        status=RequestStatus.NEW, created_at__lt=cutoff
    ).select_related("tenant", "village", "producer", "homestay", "package", "product")
    count = 0
    for req in due.order_by("pk")[:1000]:
        with transaction.atomic():
            _tell_staff(
                req,
                f"economy:req:{req.pk}:reminder",
                "economy.request_unanswered",
                {
                    "what": _what(req),
                    "time": f"{timezone.localtime(req.created_at):%Y-%m-%d %H:%M}",
                },
            )
        count += 1
    return count


def contacts_due(*, now: dt.datetime | None = None) -> QuerySet[VisitorRequest]:
    """Finished requests older than the retention period whose contacts are still kept."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.ECONOMY_VISITOR_RETENTION_DAYS)
    return VisitorRequest.objects.filter(
        created_at__lt=cutoff, contact_purged_at__isnull=True
    ).exclude(status__in=OPEN)


def contacts_purge(*, now: dt.datetime | None = None) -> int:
    """Blanks the visitor's name, email, phone and message of finished requests past the
    retention period (the request and its figures stay)."""
    now = now or timezone.now()
    return contacts_due(now=now).update(
        visitor_name="",
        visitor_email="",
        visitor_phone="",
        message="",
        contact_purged_at=now,
    )
