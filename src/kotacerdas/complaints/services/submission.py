"""Filing a complaint: the extra questions, idempotent retries, ticket numbers."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import User
from kotacerdas.complaints.config import config_for
from kotacerdas.complaints.models import (
    AttributeDatatype,
    Category,
    CategoryAttribute,
    Channel,
    Complaint,
    Confidentiality,
    Severity,
    Status,
    TicketCounter,
)
from kotacerdas.complaints.services import notices
from kotacerdas.complaints.services.common import (
    MAX_DESCRIPTION,
    clean_photos,
    no_nul,
    record_event,
    store_photos,
)
from kotacerdas.core.errors import DomainError
from kotacerdas.regions.models import Region
from kotacerdas.tenants.models import Tenant


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
            return no_nul(values[0])[:255]
        case _:
            return no_nul(values[0])[:4000]


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


def _number(complaint: Complaint, prefix: str) -> None:
    """Gives ``complaint`` (inserted with a provisional ticket) the next number of its tenant's
    year. Call it last in the transaction.

    PostgreSQL: one statement, from the tenant's sequence for the year
    (``complaints_next_ticket``, migration 0009). ``nextval`` takes no lock, so submissions of
    a tenant do not wait for each other's COMMIT; a number is skipped only when a submission
    fails after this statement. SQLite runs one writer at a time: the year's counter row,
    which never skips."""
    year = timezone.localtime(complaint.created_at).year
    if connection.vendor == "postgresql":
        complaints = connection.ops.quote_name(Complaint._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"""UPDATE {complaints} SET ticket = %s || CASE WHEN n < 1000000
                    THEN lpad(n::text, 6, '0') ELSE n::text END
                FROM (SELECT complaints_next_ticket(%s, %s) AS n) AS next
                WHERE id = %s RETURNING ticket""",  # noqa: S608 - the model's own table
                [f"{prefix}-{year}-", complaint.tenant_id, year, complaint.pk],
            )
            complaint.ticket = cursor.fetchone()[0]
        return
    counters = connection.ops.quote_name(TicketCounter._meta.db_table)
    bump = (
        f"UPDATE {counters} SET last = last + 1 WHERE tenant_id = %s AND year = %s RETURNING last"  # noqa: S608 - the model's own table
    )
    with connection.cursor() as cursor:
        cursor.execute(bump, [complaint.tenant_id, year])
        row = cursor.fetchone()
        if row is None:  # the year's first ticket (one writer at a time: no race)
            TicketCounter.objects.create(tenant_id=complaint.tenant_id, year=year, last=1)
            row = (1,)
    complaint.ticket = f"{prefix}-{year}-{row[0]:06d}"
    Complaint.objects.filter(pk=complaint.pk).update(ticket=complaint.ticket)


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
    language: str = "id",
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
    description = no_nul(description).strip()
    address, reporter_name = no_nul(address), no_nul(reporter_name)
    reporter_phone, reporter_email = no_nul(reporter_phone), no_nul(reporter_email)
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
    cleaned_photos = clean_photos(photos)
    now = timezone.now()
    config = config_for(tenant)
    policy, calendar = config.policy, config.calendar
    severity = category.default_severity
    verify_due = calendar.deadline(now, policy.verification_amount, policy.verification_unit)
    try:
        # The savepoint only serves the idempotency race below; without a key it is a round trip
        # too many, and an IntegrityError rolls the whole submission back either way.
        with transaction.atomic(savepoint=bool(idempotency_key)):
            complaint = Complaint.objects.create(
                tenant=tenant,
                ticket="~" + uuid.uuid4().hex[:24],  # numbered last, by _number
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
                language=(language or "id")[:8],
                created_at=now,
                updated_at=now,
                verify_due=verify_due,
                due_at=verify_due,
                resolve_due=calendar.deadline(now, policy.ringan_amount, policy.ringan_unit)
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
    store_photos(complaint, cleaned_photos)
    # No note: the timeline renders "received through <channel>" in the reader's language.
    event = record_event(
        complaint, "submit", actor=entered_by, public=True, at=now, to_state=Status.BARU
    )
    _number(complaint, policy.ticket_prefix)
    notices.received(complaint, event)
    return complaint, True
