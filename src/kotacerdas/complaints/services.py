"""Every write on complaints. Each function is keyword-only, runs in a transaction and
records an ``Event`` (the audit trail that statistics, SLA clocks and the timeline read)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import secrets
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import Role, User
from kotacerdas.complaints.models import (
    AttributeDatatype,
    Category,
    CategoryAttribute,
    Channel,
    Complaint,
    ComplaintPolicy,
    Confidentiality,
    Disposition,
    Event,
    Open311Key,
    Photo,
    Response,
    Severity,
    Status,
    Supporter,
    TicketCounter,
)
from kotacerdas.complaints.photos import MAX_PHOTOS, CleanPhoto, photo_clean
from kotacerdas.complaints.workflow import COMPLAINT_WORKFLOW
from kotacerdas.core.errors import DomainError
from kotacerdas.regions.models import Region
from kotacerdas.tenants.calendar import deadline
from kotacerdas.tenants.models import Opd, Tenant

MAX_DESCRIPTION = 4000


def policy_for(tenant: Tenant) -> ComplaintPolicy:
    policy, _created = ComplaintPolicy.objects.get_or_create(tenant=tenant)
    return policy


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def open311_key_create(*, tenant: Tenant, name: str) -> tuple[Open311Key, str]:
    """Issues an Open311 api_key; the raw key is returned once and only its hash is stored."""
    raw = "o311_" + secrets.token_urlsafe(32)
    key = Open311Key.objects.create(
        tenant=tenant, name=name, prefix=raw[:12], key_hash=hash_key(raw)
    )
    return key, raw


def open311_key_find(*, tenant: Tenant, raw: str) -> Open311Key | None:
    """The tenant's unrevoked key ``raw``, or None."""
    if not raw:
        return None
    return Open311Key.objects.filter(
        tenant=tenant, key_hash=hash_key(raw), revoked_at__isnull=True
    ).first()


def open311_key_check(*, tenant: Tenant, raw: str) -> bool:
    return open311_key_find(tenant=tenant, raw=raw) is not None


def _attribute_value(attribute: CategoryAttribute, values: list[str]) -> Any:
    """One answer, checked against the attribute's datatype; raises ``DomainError`` naming it."""
    bad = DomainError(
        _("Jawaban untuk attribute[%(code)s] tidak sah.") % {"code": attribute.code},
        code="attribute_invalid",
    )
    keys = {str(v["key"]) for v in attribute.values}
    match attribute.datatype:
        case AttributeDatatype.NUMBER:
            try:
                number = float(values[0])
            except ValueError:
                raise bad from None
            if not math.isfinite(number):  # "nan", "inf", "1e400"
                raise bad
            return int(number) if number.is_integer() else number
        case AttributeDatatype.DATETIME:
            try:
                parsed = parse_datetime(values[0])
            except ValueError:  # well-formed but impossible, such as 2026-02-30T10:00
                raise bad from None
            if parsed is None or not 1900 <= parsed.year <= 2200:
                raise bad
            return (
                timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed
            ).isoformat()
        case AttributeDatatype.SINGLE:
            if values[0] not in keys:
                raise bad
            return values[0]
        case AttributeDatatype.MULTI:
            if any(v not in keys for v in values):
                raise bad
            return values
        case AttributeDatatype.STRING:
            return _no_nul(values[0])[:255]
        case _:
            return _no_nul(values[0])[:4000]


def attributes_clean(category: Category, raw: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """Validates answers to the category's extra questions (Open311 ``attribute[CODE]``).

    ``raw`` maps an attribute code to its submitted values. Raises ``DomainError`` naming the code.
    """
    cleaned: dict[str, Any] = {}
    for attribute in category.attributes.all():
        values = [v.strip() for v in raw.get(attribute.code, []) if v is not None and v.strip()]
        if values:
            cleaned[attribute.code] = _attribute_value(attribute, values)
        elif attribute.required:
            raise DomainError(
                _("Pertanyaan “%(q)s” (attribute[%(code)s]) wajib diisi.")
                % {"q": attribute.description, "code": attribute.code},
                code="attribute_required",
            )
    return cleaned


def _no_nul(text: str | None) -> str:
    return (text or "").replace("\x00", "")


def request_fingerprint(fields: Mapping[str, Any], files: Iterable[UploadedFile] = ()) -> str:
    """The SHA-256 of a submission: its fields in a canonical order and its files' bytes."""
    digest = hashlib.sha256()
    digest.update(json.dumps(fields, sort_keys=True, default=str, ensure_ascii=False).encode())
    for upload in files:
        digest.update(b"\0file\0")
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
    return digest.hexdigest()


def idempotent_replay(
    *, tenant: Tenant, client: str, key: str, fingerprint: str
) -> Complaint | None:
    """The complaint that ``client`` filed earlier under ``key``, if any. The same key with a
    different body is an error (422), never a silent replay of something else."""
    earlier = (
        Complaint.objects.filter(
            tenant=tenant, idempotency_client=client[:80], idempotency_key=key.strip()[:100]
        )
        .select_related("tenant")
        .first()
    )
    if earlier is not None and earlier.idempotency_fingerprint != fingerprint:
        raise DomainError(
            _(
                "Idempotency-Key ini sudah dipakai untuk laporan lain dengan isi berbeda. "
                "Gunakan kunci baru untuk laporan baru."
            ),
            code="idempotency_key_reused",
            status=422,
        )
    return earlier


def _next_ticket(tenant: Tenant, prefix: str, when: dt.datetime) -> str:
    """The next ticket number of the tenant's year. The counter row stays locked until the
    caller's transaction ends, so two submissions never get the same number."""
    year = timezone.localtime(when).year
    counters = TicketCounter.objects.filter(tenant=tenant, year=year)
    if not counters.update(last=F("last") + 1):
        try:
            with transaction.atomic():
                TicketCounter.objects.create(tenant=tenant, year=year, last=1)
        except IntegrityError:  # another submission created it first
            counters.update(last=F("last") + 1)
    last = counters.values_list("last", flat=True).get()
    return f"{prefix}-{year}-{last:06d}"


def _event(
    complaint: Complaint,
    action: str,
    *,
    actor: User | None = None,
    note: str = "",
    opd: Opd | None = None,
    from_status: str = "",
    to_status: str = "",
    is_public: bool = True,
    at: dt.datetime | None = None,
) -> Event:
    return Event.objects.create(
        complaint=complaint,
        action=action,
        actor=actor,
        note=note,
        opd=opd,
        from_status=from_status,
        to_status=to_status,
        is_public=is_public,
        created_at=at or timezone.now(),
    )


def _store_photos(
    complaint: Complaint, cleaned: Iterable[CleanPhoto], response: Response | None = None
) -> None:
    for photo in cleaned:
        Photo.objects.create(
            complaint=complaint, response=response, image=photo.public, original=photo.original
        )


def _clean_photos(photos: Sequence[UploadedFile]) -> list[CleanPhoto]:
    if len(photos) > MAX_PHOTOS:
        raise DomainError(_("Paling banyak 5 foto."), code="too_many_photos")
    return [photo_clean(p) for p in photos]


def _refresh_due(complaint: Complaint) -> None:
    """The SLA clock that currently runs: verification, an OPD's first response, or resolution."""
    if complaint.status in (Status.BARU, Status.DITUNDA):
        complaint.due_at = complaint.verify_due
    elif complaint.is_open:
        clocks = list(
            complaint.dispositions.filter(
                is_active=True, first_response_at__isnull=True
            ).values_list("response_due", flat=True)
        )
        if complaint.resolve_due:
            clocks.append(complaint.resolve_due)
        complaint.due_at = min(clocks) if clocks else None
    else:
        complaint.due_at = None


def expected_datetime(complaint: Complaint) -> dt.datetime | None:
    """Open311 ``expected_datetime``: the resolution deadline if there is one, else the running clock."""
    if not complaint.is_open:
        return None
    return complaint.resolve_due or complaint.due_at


@transaction.atomic
def complaint_submit(
    *,
    tenant: Tenant,
    category: Category,
    description: str,
    channel: str = Channel.WEB,
    lat: float | None = None,
    long: float | None = None,
    region: Region | None = None,
    address: str = "",
    confidentiality: str = Confidentiality.BIASA,
    reporter: User | None = None,
    reporter_name: str = "",
    reporter_email: str = "",
    reporter_phone: str = "",
    attributes: Mapping[str, Any] | None = None,
    photos: Sequence[UploadedFile] = (),
    idempotency_key: str | None = None,
    client: str = "",
    fingerprint: str = "",
    entered_by: User | None = None,
    device_id: str = "",
    account_id: str = "",
    media_url: str = "",
) -> tuple[Complaint, bool]:
    """Files a complaint; returns ``(complaint, created)``. Starts the verification clock.

    ``idempotency_key`` is bound to ``client`` (see ``idempotency_client``) and to
    ``fingerprint`` (see ``request_fingerprint``): a retry by the same client with the same
    body returns the first complaint; the same key with another body raises a 422."""
    idempotency_key = (idempotency_key or "").strip()[:100] or None
    if idempotency_key:
        existing = idempotent_replay(
            tenant=tenant, client=client, key=idempotency_key, fingerprint=fingerprint
        )
        if existing:
            return existing, False
    # PostgreSQL text cannot hold NUL; every other character is kept as sent (feeds escape or
    # drop what their format cannot carry).
    description = _no_nul(description).strip()
    address, reporter_name = _no_nul(address), _no_nul(reporter_name)
    reporter_phone, reporter_email = _no_nul(reporter_phone), _no_nul(reporter_email)
    if not description:
        raise DomainError(_("Uraian aduan wajib diisi."), code="description_required")
    if len(description) > MAX_DESCRIPTION:
        raise DomainError(
            _("Uraian terlalu panjang: %(n)d karakter, maksimal 4.000.") % {"n": len(description)},
            code="description_too_long",
        )
    if category.tenant_id != tenant.pk or not category.is_active:
        raise DomainError(_("Kategori tidak dikenal."), code="category_unknown")
    if (lat is None) != (long is None):
        raise DomainError(_("Lintang dan bujur harus diisi bersama."), code="location_invalid")
    if lat is not None and long is not None and not (-90 <= lat <= 90 and -180 <= long <= 180):
        raise DomainError(_("Koordinat di luar jangkauan."), code="location_invalid")
    if region is not None and not region.code.startswith(tenant.code + "."):
        raise DomainError(_("Kelurahan/desa bukan bagian dari wilayah ini."), code="region_invalid")
    if lat is None and region is None and not address.strip():
        raise DomainError(
            _("Tentukan lokasi: titik di peta, kelurahan/desa, atau alamat/patokan."),
            code="location_required",
        )
    cleaned_photos = _clean_photos(photos)
    now = timezone.now()
    policy = policy_for(tenant)
    severity = category.default_severity
    verify_due = deadline(tenant, now, policy.verification_amount, policy.verification_unit)
    try:
        # The savepoint only serves the idempotency race below; without a key it is a round trip
        # too many, and an IntegrityError rolls the whole submission back either way.
        with transaction.atomic(savepoint=bool(idempotency_key)):
            complaint = Complaint.objects.create(
                tenant=tenant,
                ticket=_next_ticket(tenant, policy.ticket_prefix, now),
                idempotency_key=idempotency_key,
                idempotency_client=client[:80] if idempotency_key else "",
                idempotency_fingerprint=fingerprint if idempotency_key else "",
                category=category,
                description=description,
                attributes=dict(attributes or {}),
                lat=lat,
                long=long,
                region=region,
                address=address.strip()[:255],
                channel=channel,
                severity=severity,
                confidentiality=confidentiality,
                reporter=reporter,
                reporter_name=reporter_name.strip()[:150],
                reporter_email=reporter_email.strip(),
                reporter_phone=reporter_phone.strip()[:30],
                device_id=device_id[:100],
                account_id=account_id[:100],
                media_url=media_url[:500],
                created_at=now,
                updated_at=now,
                verify_due=verify_due,
                due_at=verify_due,
                resolve_due=deadline(tenant, now, policy.ringan_amount, policy.ringan_unit)
                if severity == Severity.RINGAN
                else None,
            )
    except IntegrityError:
        # Two retries raced on the same key: the other one won.
        if idempotency_key and (
            existing := idempotent_replay(
                tenant=tenant, client=client, key=idempotency_key, fingerprint=fingerprint
            )
        ):
            return existing, False
        raise
    _store_photos(complaint, cleaned_photos)
    _event(
        complaint,
        "submit",
        actor=entered_by,
        to_status=Status.BARU,
        at=now,  # the note is rendered from the channel when shown, in the reader's language
    )
    return complaint, True


def _locked(complaint: Complaint) -> Complaint:
    return (
        Complaint.objects.select_for_update()
        .select_related("tenant", "category")
        .get(pk=complaint.pk)
    )


def _move(
    complaint: Complaint,
    action: str,
    *,
    actor: User | None,
    note: str = "",
    opd: Opd | None = None,
    is_public: bool = True,
) -> str:
    """Applies ``action`` from the workflow table, records it and returns the previous status."""
    previous = complaint.status
    complaint.status = COMPLAINT_WORKFLOW.target(previous, action)
    complaint.updated_at = timezone.now()
    _event(
        complaint,
        action,
        actor=actor,
        note=note,
        opd=opd,
        from_status=previous,
        to_status=complaint.status,
        is_public=is_public,
    )
    return previous


def _save(complaint: Complaint) -> None:
    _refresh_due(complaint)
    complaint.save()


def _open_disposition(complaint: Complaint, opd: Opd, actor: User | None) -> Disposition:
    if opd.tenant_id != complaint.tenant_id:
        raise DomainError(_("OPD bukan milik pemerintah daerah ini."), code="opd_invalid")
    policy = policy_for(complaint.tenant)
    now = timezone.now()
    due = deadline(complaint.tenant, now, policy.response_amount, policy.response_unit)
    disposition, created = Disposition.objects.get_or_create(
        complaint=complaint,
        opd=opd,
        defaults={"created_by": actor, "response_due": due, "created_at": now},
    )
    if not created:
        Disposition.objects.filter(pk=disposition.pk).update(
            is_active=True,
            response_due=due,
            first_response_at=None,
            resolved_at=None,
            created_at=now,
        )
    return disposition


@transaction.atomic
def complaint_classify(
    *,
    complaint: Complaint,
    actor: User,
    classification: str | None = None,
    severity: str | None = None,
    confidentiality: str | None = None,
) -> Complaint:
    """The administrator sets classification, severity and confidentiality."""
    complaint = _locked(complaint)
    changes = []
    if classification and classification != complaint.classification:
        complaint.classification = classification
        changes.append(_("klasifikasi: %s") % complaint.get_classification_display())
    if severity and severity != complaint.severity:
        complaint.severity = severity
        changes.append(_("tingkat: %s") % complaint.get_severity_display())
        policy = policy_for(complaint.tenant)
        complaint.resolve_due = (
            deadline(
                complaint.tenant, complaint.created_at, policy.ringan_amount, policy.ringan_unit
            )
            if severity == Severity.RINGAN
            else None
        )
    if confidentiality and confidentiality != complaint.confidentiality:
        complaint.confidentiality = confidentiality
        changes.append(_("kerahasiaan: %s") % complaint.get_confidentiality_display())
    if changes:
        _event(complaint, "classify", actor=actor, note="; ".join(changes), is_public=False)
        _save(complaint)
    return complaint


@transaction.atomic
def complaint_dispose(
    *, complaint: Complaint, actor: User, opds: Sequence[Opd], note: str = ""
) -> Complaint:
    """Verifies the complaint and sends it to one or more OPDs, each with its own response clock."""
    if not opds:
        raise DomainError(_("Pilih minimal satu OPD tujuan."), code="opd_required")
    complaint = _locked(complaint)
    _move(complaint, "dispose", actor=actor, note=note.strip())
    for opd in opds:
        _open_disposition(complaint, opd, actor)
        _event(complaint, "disposition", actor=actor, opd=opd)
    complaint.verified_at = complaint.verified_at or timezone.now()
    _save(complaint)
    return complaint


@transaction.atomic
def complaint_forward(*, complaint: Complaint, actor: User, opd: Opd, note: str) -> Complaint:
    """Not this OPD's authority: the administrator forwards it to another OPD."""
    complaint = _locked(complaint)
    complaint.dispositions.exclude(opd=opd).update(is_active=False)
    _move(complaint, "forward", actor=actor, opd=opd, note=note.strip())
    _open_disposition(complaint, opd, actor)
    _save(complaint)
    return complaint


@transaction.atomic
def complaint_hold(*, complaint: Complaint, actor: User, note: str = "") -> Complaint:
    complaint = _locked(complaint)
    _move(complaint, "hold", actor=actor, note=note, is_public=False)
    _save(complaint)
    return complaint


@transaction.atomic
def complaint_decline(*, complaint: Complaint, actor: User, reason: str) -> Complaint:
    """Bukan wewenang: closes the complaint with a public reason."""
    if not reason.strip():
        raise DomainError(_("Sebutkan alasan bukan wewenang."), code="reason_required")
    complaint = _locked(complaint)
    _move(complaint, "decline", actor=actor, note=reason.strip())
    complaint.status_note = reason.strip()[:500]
    complaint.closed_at = timezone.now()
    _save(complaint)
    return complaint


@transaction.atomic
def complaint_archive(*, complaint: Complaint, actor: User, note: str = "") -> Complaint:
    complaint = _locked(complaint)
    _move(complaint, "archive", actor=actor, note=note)
    complaint.closed_at = complaint.closed_at or timezone.now()
    _save(complaint)
    return complaint


def own_disposition(complaint: Complaint, actor: User) -> Disposition | None:
    """The actor's OPD's active disposition of the complaint; None for the region administrator
    acting for the region (whose work counts for no OPD). Anyone else: a 404 error."""
    disposition = (
        complaint.dispositions.filter(opd_id=actor.opd_id, is_active=True).first()
        if actor.opd_id
        else None
    )
    if disposition is None and not actor.administers(complaint.tenant):
        raise DomainError(
            _("Aduan ini tidak didisposisikan ke OPD Anda."), code="not_disposed", status=404
        )
    return disposition


@transaction.atomic
def response_add(
    *,
    complaint: Complaint,
    actor: User,
    body: str,
    is_public: bool = True,
    photos: Sequence[UploadedFile] = (),
) -> Response:
    """An OPD answers. The first public answer stops that OPD's first-response clock."""
    body = _no_nul(body).strip()
    if not body:
        raise DomainError(_("Isi tanggapan wajib diisi."), code="body_required")
    if len(body) > MAX_DESCRIPTION:
        raise DomainError(
            _("Tanggapan terlalu panjang (maksimal 4.000 karakter)."), code="body_too_long"
        )
    cleaned = _clean_photos(photos)
    complaint = _locked(complaint)
    COMPLAINT_WORKFLOW.target(
        complaint.status, "respond"
    )  # an invalid move fails before anything else
    disposition = own_disposition(complaint, actor)
    opd = disposition.opd if disposition else None
    now = timezone.now()
    response = Response.objects.create(
        complaint=complaint,
        opd=opd,
        author=actor,
        body=body,
        is_public=is_public,
        created_at=now,
    )
    _store_photos(complaint, cleaned, response)
    if is_public:
        _move(complaint, "respond", actor=actor, opd=opd, note=body)
        # Only the answering OPD's clock stops: another OPD's part keeps its own.
        if disposition is not None and disposition.first_response_at is None:
            Disposition.objects.filter(pk=disposition.pk).update(first_response_at=now)
    else:
        _event(complaint, "internal_note", actor=actor, opd=opd, note=body, is_public=False)
    _save(complaint)
    return response


@transaction.atomic
def complaint_resolve(*, complaint: Complaint, actor: User, note: str) -> Complaint:
    """An OPD marks ITS part done: only its own disposition gets a resolution (and, if it never
    answered, its first response). The complaint is done (``selesai``, the citizen may confirm
    or reopen) when every active disposition is done; until then it stays ``diproses`` and the
    other OPDs' clocks run on. The region administrator acting for the region closes it for
    everyone instead (``complaint_close``)."""
    note = note.strip()
    if not note:
        raise DomainError(_("Jelaskan penyelesaiannya."), code="note_required")
    complaint = _locked(complaint)
    COMPLAINT_WORKFLOW.target(complaint.status, "resolve")  # an invalid move fails first
    disposition = own_disposition(complaint, actor)
    if disposition is None:
        return complaint_close(complaint=complaint, actor=actor, reason=note)
    if disposition.resolved_at is not None:
        raise DomainError(
            _("Bagian %(opd)s sudah ditandai selesai.") % {"opd": disposition.opd.acronym},
            code="already_resolved",
            status=409,
        )
    now = timezone.now()
    Disposition.objects.filter(pk=disposition.pk).update(
        resolved_at=now,
        resolution_note=note[:500],
        first_response_at=Coalesce(F("first_response_at"), now),
    )
    pending = complaint.dispositions.filter(is_active=True, resolved_at__isnull=True).exists()
    if pending:
        _move(complaint, "resolve_part", actor=actor, opd=disposition.opd, note=note)
    else:
        _move(complaint, "resolve", actor=actor, opd=disposition.opd, note=note)
        complaint.resolved_at = complaint.closed_at = now
        complaint.status_note = note[:500]
    _save(complaint)
    return complaint


@transaction.atomic
def complaint_close(*, complaint: Complaint, actor: User, reason: str) -> Complaint:
    """The region administrator closes a complaint whose OPDs have not all finished, with a
    public reason. No OPD is credited with a response or a resolution it did not give."""
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Sebutkan alasan menutup aduan."), code="reason_required")
    if not actor.administers(complaint.tenant):
        raise DomainError(_("Tidak ditemukan."), code="not_found", status=404)
    complaint = _locked(complaint)
    _move(complaint, "close", actor=actor, note=reason)
    complaint.resolved_at = complaint.closed_at = timezone.now()
    complaint.status_note = reason[:500]
    _save(complaint)
    return complaint


@transaction.atomic
def complaint_confirm(*, complaint: Complaint, note: str = "") -> Complaint:
    """The citizen confirms the solution."""
    complaint = _locked(complaint)
    _move(complaint, "confirm", actor=None, note=note.strip())
    _save(complaint)
    return complaint


@transaction.atomic
def complaint_reopen(*, complaint: Complaint, reason: str) -> Complaint:
    """The citizen reopens within the policy's window (14 days). The complaint returns to the
    same OPD(s) with a fresh response clock, and the reopen counts against them."""
    if not reason.strip():
        raise DomainError(_("Sebutkan alasan membuka kembali."), code="reason_required")
    complaint = _locked(complaint)
    policy = policy_for(complaint.tenant)
    if complaint.resolved_at and timezone.now() > complaint.resolved_at + dt.timedelta(
        days=policy.reopen_days
    ):
        raise DomainError(
            _("Aduan hanya dapat dibuka kembali dalam %(n)d hari setelah selesai.")
            % {"n": policy.reopen_days},
            code="reopen_expired",
        )
    _move(complaint, "reopen", actor=None, note=reason.strip())
    complaint.reopen_count += 1
    complaint.resolved_at = complaint.closed_at = None
    complaint.status_note = ""
    due = deadline(complaint.tenant, timezone.now(), policy.response_amount, policy.response_unit)
    complaint.dispositions.filter(is_active=True).update(
        reopen_count=F("reopen_count") + 1,
        first_response_at=None,
        resolved_at=None,
        response_due=due,
    )
    if complaint.severity == Severity.RINGAN:
        complaint.resolve_due = deadline(
            complaint.tenant, timezone.now(), policy.ringan_amount, policy.ringan_unit
        )
    _save(complaint)
    return complaint


@transaction.atomic
def complaint_rate(*, complaint: Complaint, rating: int, comment: str = "") -> Complaint:
    if rating not in range(1, 6):
        raise DomainError(_("Nilai harus 1 sampai 5."), code="rating_invalid")
    complaint = _locked(complaint)
    if complaint.status not in (Status.SELESAI, Status.DITUTUP):
        raise DomainError(
            _("Penilaian dapat diberikan setelah aduan selesai."), code="rating_too_early"
        )
    complaint.rating = rating
    complaint.rating_comment = comment.strip()[:500]
    _event(complaint, "rate", note=str(rating), is_public=False)
    complaint.save(update_fields=["rating", "rating_comment"])
    return complaint


@transaction.atomic
def complaint_me_too(
    *, complaint: Complaint, user: User | None, browser: str
) -> tuple[Complaint, bool]:
    """A citizen backs an existing report instead of filing a duplicate: at most once per account
    and once per browser (``browser`` is a random id kept in the browser's session). Returns
    ``(complaint, added)``; a repeat adds nothing."""
    if user is None and not browser:
        raise DomainError(_("Dukungan tidak dapat dicatat tanpa sesi peramban."), code="no_session")
    if not complaint.is_open:
        raise DomainError(
            _("Aduan yang sudah selesai tidak dapat didukung lagi."), code="complaint_closed"
        )
    try:
        with transaction.atomic():  # the savepoint keeps the outer transaction usable
            Supporter.objects.create(complaint=complaint, user=user, browser=browser[:64])
    except IntegrityError:
        return complaint, False
    Complaint.objects.filter(pk=complaint.pk).update(me_too_count=F("me_too_count") + 1)
    _event(complaint, "me_too", actor=user, is_public=False)
    complaint.refresh_from_db(fields=["me_too_count"])
    return complaint, True


def _admins(tenant: Tenant) -> list[str]:
    emails = list(
        User.objects.filter(tenant=tenant, role=Role.REGION_ADMIN, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    return emails or ([tenant.email] if tenant.email else [])


def escalations_send(*, now: dt.datetime | None = None) -> list[Complaint]:
    """Emails the OPD heads and region administrators about each overdue complaint, once per
    deadline: a conditional UPDATE claims the complaint, so reruns and parallel runs send no repeats."""
    now = now or timezone.now()
    sent = []
    candidates = (
        Complaint.objects.open().filter(due_at__lt=now).select_related("tenant", "category")
    )
    for complaint in candidates.iterator():
        if complaint.escalated_due == complaint.due_at:
            continue
        with transaction.atomic():
            claimed = (
                Complaint.objects.filter(pk=complaint.pk, due_at=complaint.due_at)
                .exclude(escalated_due=complaint.due_at)
                .update(escalated_due=complaint.due_at)
            )
            if not claimed:
                continue
            dispositions = complaint.dispositions.filter(
                is_active=True, first_response_at__isnull=True
            )
            heads = [
                d.opd.head_email for d in dispositions.select_related("opd") if d.opd.head_email
            ]
            recipients = sorted(set(heads + _admins(complaint.tenant)))
            _event(complaint, "escalate", note=", ".join(recipients), is_public=False, at=now)
            if (
                recipients
            ):  # inside the transaction: a failed send releases the claim for the next run
                send_mail(
                    _("[Aduan terlambat] %(ticket)s %(category)s")
                    % {"ticket": complaint.ticket, "category": complaint.category.name},
                    _(
                        "Aduan %(ticket)s (%(status)s) melewati batas SLA pada %(due)s. Mohon segera ditindaklanjuti."
                    )
                    % {
                        "ticket": complaint.ticket,
                        "status": complaint.get_status_display(),
                        "due": timezone.localtime(complaint.due_at).strftime("%d-%m-%Y %H:%M")
                        if complaint.due_at
                        else "-",
                    },
                    None,
                    recipients,
                )
        sent.append(complaint)
    return sent
