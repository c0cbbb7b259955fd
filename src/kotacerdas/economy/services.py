"""Every write of the tourism-village and OVOP app: visitors' requests and their lifecycle,
reminders, the retention of visitors' contacts, permit-expiry reminders and the ADWI
self-assessment with carry-forward. Messages go through the outbox only."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from collections.abc import Iterable
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image

from kotacerdas.accounts.models import Role, User
from kotacerdas.core.errors import DomainError
from kotacerdas.core.lifecycle import Lifecycle, lock, record, transition
from kotacerdas.core.uploads import check_size, evidence_check, photo_read
from kotacerdas.core.workflow import Workflow
from kotacerdas.economy.config import ADWI_CATEGORIES
from kotacerdas.economy.models import (
    Assessment,
    Attraction,
    EvidenceFile,
    Homestay,
    Permit,
    Photo,
    Producer,
    Product,
    RequestKind,
    RequestStatus,
    TourismVillage,
    TourPackage,
    VisitorRequest,
    VisitorRequestEvent,
)
from kotacerdas.notifications.models import Channel
from kotacerdas.notifications.services import notify
from kotacerdas.tenants.models import Opd, Tenant

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


# --- who is responsible -----------------------------------------------------------------------


def office_operators(tenant: Tenant, acronyms: Iterable[str]) -> list[User]:
    opds = Opd.objects.filter(tenant=tenant, acronym__in=list(acronyms))
    return list(
        User.objects.filter(
            tenant=tenant, role=Role.OPD_OPERATOR, opd__in=opds, is_active=True
        ).order_by("pk")[:50]
    )


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


# --- OVOP permits -----------------------------------------------------------------------------


def permit_reminders(*, today: dt.date | None = None) -> int:
    """Tells the OVOP office (and the producer's members) of permits expiring within
    ``ECONOMY_PERMIT_REMINDER_DAYS``, once per permit and expiry date."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=settings.ECONOMY_PERMIT_REMINDER_DAYS)
    permits = Permit.objects.filter(expires_on__gte=today, expires_on__lte=horizon).select_related(
        "product__producer__tenant"
    )
    sent = 0
    for permit in permits.order_by("expires_on", "pk")[:5000]:
        producer = permit.product.producer
        people = office_operators(producer.tenant, settings.ECONOMY_OVOP_OPDS)
        people += list(producer.members.filter(is_active=True)[:20])
        url = reverse(
            "economy:product", args=[producer.tenant.slug, producer.slug, permit.product.slug]
        )
        params = {
            "permit": permit.kind,
            "number": permit.number,
            "product": permit.product.name,
            "producer": producer.name,
            "date": f"{permit.expires_on:%d-%m-%Y}",
        }
        with transaction.atomic():
            for user in people:
                made = notify(
                    key=f"economy:permit:{permit.pk}:{permit.expires_on}:{user.pk}",
                    channel=Channel.EMAIL,
                    tenant=producer.tenant,
                    user=user,
                    message="economy.permit_expiring",
                    params=params,
                    url=url,
                )
                sent += made is not None
    return sent


# --- ADWI self-assessment ---------------------------------------------------------------------


def assessment_current(*, village: TourismVillage, year: int) -> Assessment:
    """This year's assessment, or (unsaved, for a page: a GET writes nothing) the new one it
    would start as: a copy of the latest earlier year, so that nothing is typed twice."""
    existing = Assessment.objects.filter(village=village, year=year).first()
    if existing is not None:
        return existing
    previous = Assessment.objects.filter(village=village, year__lt=year).order_by("-year").first()
    return Assessment(
        village=village, year=year, answers=dict(previous.answers) if previous else {}
    )


def assessment_start(*, village: TourismVillage, year: int) -> Assessment:
    """This year's assessment, stored: a new one starts as a copy of the latest earlier year,
    so that nothing is typed twice."""
    existing = Assessment.objects.filter(village=village, year=year).first()
    if existing is not None:
        return existing
    previous = Assessment.objects.filter(village=village, year__lt=year).order_by("-year").first()
    answers = dict(previous.answers) if previous else {}
    with transaction.atomic():
        assessment, created = Assessment.objects.get_or_create(
            village=village, year=year, defaults={"answers": answers}
        )
        if created and previous is not None:
            # By reference: last year's files are this year's too, nothing is uploaded twice.
            assessment.evidence_files.set(previous.evidence_files.all())
    return assessment


def assessment_save(*, assessment: Assessment, answers: dict[str, dict[str, Any]]) -> Assessment:
    if assessment.status != Assessment.Status.DRAFT:
        raise DomainError(_("Penilaian yang sudah diajukan tidak dapat diubah."), code="not_draft")
    clean: dict[str, dict[str, Any]] = {}
    for code in ADWI_CATEGORIES:
        item = answers.get(code) or {}
        score = item.get("score")
        if score is not None and (not isinstance(score, int) or not 1 <= score <= 5):
            raise DomainError(_("Skor 1 sampai 5."), code="invalid_score")
        clean[code] = {
            "score": score,
            "note": str(item.get("note", ""))[:1000],
            "evidence": str(item.get("evidence", ""))[:300],
        }
    assessment.answers = clean
    assessment.save(update_fields=["answers", "updated_at"])
    return assessment


def assessment_submit(*, assessment: Assessment) -> Assessment:
    missing = [c for c in ADWI_CATEGORIES if not (assessment.answers.get(c) or {}).get("score")]
    if missing:
        raise DomainError(_("Semua kategori perlu diberi skor."), code="incomplete")
    updated = Assessment.objects.filter(pk=assessment.pk, status=Assessment.Status.DRAFT).update(
        status=Assessment.Status.SUBMITTED
    )
    if not updated:
        raise DomainError(_("Penilaian ini sudah diajukan."), code="not_draft")
    assessment.status = Assessment.Status.SUBMITTED
    return assessment


def assessment_review(
    *, assessment: Assessment, village_class: str, note: str = "", today: dt.date | None = None
) -> Assessment:
    """The tourism office reviews and sets the village's class."""
    today = today or timezone.localdate()
    with transaction.atomic():
        updated = Assessment.objects.filter(
            pk=assessment.pk, status=Assessment.Status.SUBMITTED
        ).update(status=Assessment.Status.REVIEWED, reviewed_class=village_class, review_note=note)
        if not updated:
            raise DomainError(
                _("Hanya penilaian yang diajukan dapat ditelaah."), code="not_submitted"
            )
        TourismVillage.objects.filter(pk=assessment.village_id).update(
            village_class=village_class, class_assessed_on=today
        )
    assessment.refresh_from_db()
    return assessment


def category_scores(assessment: Assessment) -> dict[str, int | None]:
    return {code: (assessment.answers.get(code) or {}).get("score") for code in ADWI_CATEGORIES}


# --- ADWI evidence files ----------------------------------------------------------------------

EVIDENCE_EXTENSIONS = (".pdf", ".png", ".jpg", ".jpeg")
MAX_EVIDENCE_PER_CATEGORY = 10


def _draft(assessment: Assessment) -> None:
    if assessment.status != Assessment.Status.DRAFT:
        raise DomainError(_("Penilaian yang sudah diajukan tidak dapat diubah."), code="not_draft")


def evidence_add(
    *, assessment: Assessment, category: str, upload: UploadedFile, actor: User
) -> EvidenceFile:
    """Stores a PDF or image (checked by its bytes in ``core.uploads``) in private storage and
    attaches it to ``assessment`` under ``category``."""
    _draft(assessment)
    if category not in ADWI_CATEGORIES:
        raise DomainError(_("Kategori tidak dikenal."), code="invalid_category")
    if PurePath(upload.name or "").suffix.lower() not in EVIDENCE_EXTENSIONS:
        raise DomainError(
            _("Jenis berkas tidak diterima. Unggah PDF, PNG atau JPG."), code="file_type"
        )
    checked = evidence_check(upload)
    attached = assessment.evidence_files.filter(category=category).count()
    if attached >= MAX_EVIDENCE_PER_CATEGORY:
        raise DomainError(
            _("Paling banyak %(n)d berkas per kategori.") % {"n": MAX_EVIDENCE_PER_CATEGORY},
            code="too_many_files",
        )
    with transaction.atomic():
        evidence = EvidenceFile(
            village_id=assessment.village_id,
            category=category,
            original_name=checked.name,
            content_type=checked.content_type,
            size=upload.size or 0,
            uploaded_by=actor,
        )
        evidence.file.save(f"{uuid.uuid4().hex}{checked.extension}", upload, save=False)
        evidence.save()
        assessment.evidence_files.add(evidence)
    return evidence


def evidence_remove(*, assessment: Assessment, evidence_pk: int) -> None:
    """Detaches a file from this year's draft; the file itself goes only when no other year's
    assessment still refers to it."""
    _draft(assessment)
    evidence = assessment.evidence_files.filter(pk=evidence_pk).first()
    if evidence is None:
        raise DomainError(_("Berkas tidak ditemukan."), code="not_found", status=404)
    with transaction.atomic():
        assessment.evidence_files.remove(evidence)
        if not evidence.assessments.exists():
            name = evidence.file.name
            evidence.delete()
            transaction.on_commit(lambda: evidence.file.storage.delete(name))


# --- photos -----------------------------------------------------------------------------------

MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_PHOTOS = 20  # per village (with its attractions and homestays) or per product
PHOTO_SIDE = 1600
THUMB_SIDE = 480


def _jpeg(image: Image.Image, side: int) -> tuple[bytes, int, int]:
    copy = image.copy()
    copy.thumbnail((side, side))
    out = io.BytesIO()
    copy.save(out, format="JPEG", quality=80, optimize=True, progressive=True)  # no exif=
    return out.getvalue(), copy.width, copy.height


def photo_add(
    *,
    upload: UploadedFile,
    actor: User,
    village: TourismVillage | None = None,
    attraction: Attraction | None = None,
    homestay: Homestay | None = None,
    product: Product | None = None,
    caption: str = "",
) -> Photo:
    """Re-encodes an uploaded photo (header checked before any pixel is decoded, a large JPEG
    decoded reduced, turned upright, every metadata dropped) into a page-sized JPEG and a
    thumbnail. The caller has checked that ``actor`` may act on the village or product."""
    if (village is None) == (product is None):
        raise DomainError(_("Foto untuk satu desa atau satu produk."), code="invalid_owner")
    for part in (attraction, homestay):
        if part is not None and part.village_id != getattr(village, "pk", None):
            raise DomainError(_("Bagian ini bukan milik desa tersebut."), code="invalid_owner")
    check_size(upload, MAX_PHOTO_BYTES)
    owner = (
        Photo.objects.filter(village=village) if village else Photo.objects.filter(product=product)
    )
    if owner.count() >= MAX_PHOTOS:  # refused early, before any decoding
        raise _too_many_photos()
    upright = photo_read(upload, max_bytes=MAX_PHOTO_BYTES, max_side=PHOTO_SIDE).upright
    stem = uuid.uuid4().hex
    tenant_id = village.tenant_id if village else product.producer.tenant_id  # type: ignore[union-attr]
    full, width, height = _jpeg(upright, PHOTO_SIDE)
    small, thumb_width, thumb_height = _jpeg(upright, THUMB_SIDE)
    photo = Photo(
        tenant_id=tenant_id,
        village=village,
        attraction=attraction,
        homestay=homestay,
        product=product,
        caption=caption.strip()[:150],
        uploaded_by=actor,
        width=width,
        height=height,
        thumb_width=thumb_width,
        thumb_height=thumb_height,
    )
    # Files first, outside the transaction: no storage I/O while the owner's row is locked.
    photo.image.save(f"{stem}.jpg", ContentFile(full), save=False)
    photo.thumb.save(f"{stem}-t.jpg", ContentFile(small), save=False)
    try:
        with transaction.atomic():
            # Two uploads at once: the owner's row lock serialises the count and the insert.
            lock(village if village is not None else product)  # type: ignore[type-var]
            if owner.count() >= MAX_PHOTOS:
                raise _too_many_photos()
            photo.save()
    except Exception:
        _delete_files(photo.image.storage, [photo.image.name, photo.thumb.name])
        raise
    return photo


def _too_many_photos() -> DomainError:
    return DomainError(_("Paling banyak %(n)d foto.") % {"n": MAX_PHOTOS}, code="too_many_photos")


def _delete_files(storage: Any, names: list[str]) -> None:
    for name in names:
        storage.delete(name)


def photo_remove(*, photo: Photo) -> None:
    names = [photo.image.name, photo.thumb.name]
    storage = photo.image.storage
    with transaction.atomic():
        photo.delete()
        transaction.on_commit(lambda: _delete_files(storage, names))
