"""Reading service requests: the list (filtered by ids, service codes, status and dates, at most
90 days, paged by keyset), one request by its id, and a request by its token. A POST to the list
submits a request (``submit``)."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

from django.db import connection
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from kotacerdas.complaints.models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    Category,
    Complaint,
    Disposition,
    Event,
    Photo,
    Status,
)
from kotacerdas.complaints.open311.common import (
    CONTENT_TYPES,
    MAX_PAGE_SIZE,
    MAX_RANGE,
    Open311Error,
    open311_view,
    render,
    w3c,
)
from kotacerdas.complaints.open311.feed_sql import page_json
from kotacerdas.complaints.open311.submit import post_request
from kotacerdas.tenants.models import Tenant

ITEM_FIELDS = (
    "pk",
    "ticket",
    "status",
    "status_note",
    "description",
    "created_at",
    "updated_at",
    "closed_at",
    "resolve_due",
    "due_at",
    "address",
    "lat",
    "long",
    "media_url",
    "category__code",
    "category__name",
    "category__opd__name",
    "region__name",
)


def public_requests(tenant: Tenant) -> Any:
    return Complaint.objects.public().filter(tenant=tenant)


def request_items(qs: Any, request: HttpRequest, tenant: Tenant) -> list[dict[str, Any]]:
    """The request items of ``qs`` (filtered, ordered, sliced) from plain rows: one query for
    the complaints with their category, OPD and region, one each for the active dispositions,
    the public photos and (``extensions=true``) the public events of those complaints."""
    return _items_from_rows(list(qs.values(*ITEM_FIELDS)), request, tenant)


def _items_from_rows(
    rows: list[dict[str, Any]], request: HttpRequest, tenant: Tenant
) -> list[dict[str, Any]]:
    ids = [row["pk"] for row in rows]
    agencies: dict[int, list[str]] = {}
    photos: dict[int, int] = {}
    notes: dict[int, list[dict[str, Any]]] | None = None
    labels = {status.value: str(status.label) for status in Status}
    if ids:
        for complaint_id, opd_name in Disposition.objects.filter(
            complaint_id__in=ids, is_active=True
        ).values_list("complaint_id", "opd__name"):
            agencies.setdefault(complaint_id, []).append(opd_name)
        # Descending, so that each complaint's first photo is the one left in the mapping.
        photos = dict(
            Photo.objects.published()
            .filter(complaint_id__in=ids, response__isnull=True)
            .order_by("-pk")
            .values_list("complaint_id", "pk")
        )
    if notes_wanted(request):
        notes = {complaint_id: [] for complaint_id in ids}
        events = (
            Event.objects.filter(complaint_id__in=ids, public=True)
            .exclude(action="disposition")
            .values_list("complaint_id", "created_at", "action", "to_state", "note")
        )
        for complaint_id, created_at, action, to_state, note in events:
            notes[complaint_id].append(
                {
                    "datetime": w3c(created_at),
                    "type": action,
                    "status": "closed" if to_state in CLOSED_STATUSES else "open",
                    "summary": note or (labels.get(to_state, to_state) if to_state else action),
                }
            )
    zone = timezone.get_current_timezone()

    def when(value: dt.datetime | None) -> str | None:
        return value.astimezone(zone).isoformat(timespec="seconds") if value else None

    items = []
    for row in rows:
        pk, status = row["pk"], row["status"]
        closed = status in CLOSED_STATUSES
        photo = photos.get(pk)
        media = (
            request.build_absolute_uri(reverse("complaints:photo", args=[tenant.slug, photo]))
            if photo
            else row["media_url"]
        )
        note = labels.get(status, status) + (
            f": {row['status_note']}" if row["status_note"] else ""
        )
        items.append(
            {
                "service_request_id": row["ticket"],
                "status": "closed" if closed else "open",
                "status_notes": note,
                "service_name": row["category__name"],
                "service_code": row["category__code"],
                "description": row["description"] or None,
                "agency_responsible": ", ".join(
                    agencies.get(pk) or [row["category__opd__name"] or ""]
                )
                or None,
                "service_notice": None,
                "requested_datetime": when(row["created_at"]),
                "updated_datetime": when(
                    (row["closed_at"] or row["updated_at"]) if closed else row["updated_at"]
                ),
                # services.expected_datetime: the resolution deadline, else the running clock.
                "expected_datetime": None if closed else when(row["resolve_due"] or row["due_at"]),
                "address": row["address"] or row["region__name"] or None,
                "address_id": None,
                "zipcode": None,
                "lat": row["lat"],
                "long": row["long"],
                "media_url": media or None,
                **({"notes": notes[pk]} if notes is not None else {}),
            }
        )
    return items


# Dates outside these years are typing errors, and near the ends of the calendar the 90-day
# window or the time zone would overflow Python's datetime.
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100
MAX_PAGE = 1_000_000
_ASCII_DIGITS = re.compile(r"[0-9]{1,12}")


def _when(name: str, raw: str, zone: Any) -> dt.datetime:
    bad = Open311Error(
        400,
        _("%(name)s harus tanggal W3C yang sah, misalnya 2026-03-01T00:00:00+07:00.")
        % {"name": name},
    )
    try:
        parsed = parse_datetime(raw.replace(" ", "+")) if "T" in raw else None
        if parsed is None:
            day = parse_date(raw)
            if day is None:
                raise bad
            parsed = dt.datetime.combine(day, dt.time(0, 0))
    except (ValueError, OverflowError):  # 2026-02-30, month 13, hour 25, offset +99:00
        raise bad from None
    if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
        raise Open311Error(
            400,
            _("%(name)s harus antara tahun %(first)d dan %(last)d.")
            % {"name": name, "first": EARLIEST_YEAR, "last": LATEST_YEAR},
        )
    if timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=zone)
    return parsed


def _positive(name: str, raw: str, default: int, maximum: int) -> int:
    """A positive whole number in ASCII digits (``isdigit`` also accepts "²") up to ``maximum``."""
    if not raw:
        return default
    if not _ASCII_DIGITS.fullmatch(raw) or int(raw) < 1:
        raise Open311Error(400, _("%(name)s harus bilangan bulat positif.") % {"name": name})
    value = int(raw)
    if value > maximum:
        raise Open311Error(
            400, _("%(name)s paling besar %(max)d.") % {"name": name, "max": maximum}
        )
    return value


def _comma(raw: str) -> list[str]:
    return [part.strip() for part in raw.split(",") if part.strip()]


def _get_requests(request: HttpRequest, fmt: str, tenant: Tenant) -> HttpResponse:
    params = request.GET
    page = _positive("page", params.get("page", ""), 1, MAX_PAGE)
    page_size = _positive("page_size", params.get("page_size", ""), MAX_PAGE_SIZE, MAX_PAGE_SIZE)
    qs = _filtered(public_requests(tenant), params, tenant).order_by("-created_at", "-pk")
    cursor = params.get("after", "").strip()
    if cursor:  # keyset: a deep page costs what the first one does
        created_at, pk = _cursor_of(cursor)
        qs = qs.filter(Q(created_at__lt=created_at) | Q(created_at=created_at, pk__lt=pk))
        page_qs = qs[:page_size]
    else:
        offset = (page - 1) * page_size
        page_qs = qs[offset : offset + page_size]
    last: tuple[dt.datetime, int] | None
    if fmt == "json" and not notes_wanted(request) and connection.vendor == "postgresql":
        body, count, last = page_json(page_qs, request, tenant)
        response = HttpResponse(body, content_type=CONTENT_TYPES["json"])
    else:
        rows = list(page_qs.values(*ITEM_FIELDS))
        count = len(rows)
        last = (rows[-1]["created_at"], rows[-1]["pk"]) if rows else None
        items = _items_from_rows(rows, request, tenant)
        response = render(fmt, "service_requests", items, plain=True)
    if count == page_size and last is not None:  # a full page: the next one by keyset
        query = request.GET.copy()
        query.pop("page", None)
        query["after"] = f"{int(last[0].timestamp() * 1_000_000)}_{last[1]}"
        response["Link"] = f'<{request.build_absolute_uri("?" + query.urlencode())}>; rel="next"'
    return response


_CURSOR = re.compile(r"([0-9]{1,18})_([0-9]{1,18})")


def _cursor_of(raw: str) -> tuple[dt.datetime, int]:
    """``after``: ``<microseconds since 1970 UTC>_<id>`` of the last item of the page before,
    as the ``Link: rel="next"`` header of a full page gives it."""
    match = _CURSOR.fullmatch(raw)
    try:
        if match is None:
            raise ValueError(raw)
        when = dt.datetime.fromtimestamp(int(match.group(1)) / 1_000_000, tz=dt.UTC)
    except (ValueError, OverflowError, OSError):
        raise Open311Error(400, _("after harus penunjuk halaman dari tautan rel=next.")) from None
    return when, int(match.group(2))


def _filtered(qs: Any, params: Any, tenant: Tenant) -> Any:
    """``qs`` narrowed by the GET parameters (ids; else service codes, status and dates)."""
    ids = _comma(params.get("service_request_id", ""))
    if ids:  # overrides every other filter
        qs = qs.filter(ticket__in=ids)
    else:
        codes = _comma(params.get("service_code", ""))
        if codes:  # ids first: one category per code lets the index give the order
            qs = qs.filter(
                category_id__in=list(
                    Category.objects.filter(tenant=tenant, code__in=codes).values_list(
                        "pk", flat=True
                    )
                )
            )
        statuses = set(_comma(params.get("status", "").lower()))
        if statuses - {"open", "closed"}:
            raise Open311Error(400, _("status harus open, closed, atau keduanya."))
        if statuses == {"open"}:
            qs = qs.filter(status__in=OPEN_STATUSES)
        elif statuses == {"closed"}:
            qs = qs.filter(status__in=CLOSED_STATUSES)
        zone = timezone.get_current_timezone()
        start_raw, end_raw = (
            params.get("start_date", "").strip(),
            params.get("end_date", "").strip(),
        )
        start = _when("start_date", start_raw, zone) if start_raw else None
        end = _when("end_date", end_raw, zone) if end_raw else None
        if start and end:
            if end < start:
                raise Open311Error(400, _("end_date harus setelah start_date."))
            if end - start > MAX_RANGE:
                raise Open311Error(
                    400, _("Rentang start_date sampai end_date paling lama 90 hari.")
                )
        elif start:
            end = start + MAX_RANGE
        elif end:
            start = end - MAX_RANGE
        else:
            end = timezone.now()
            start = end - MAX_RANGE
        qs = qs.filter(created_at__gte=start, created_at__lte=end)
    return qs


def notes_wanted(request: HttpRequest) -> bool:
    return request.GET.get("extensions", "").strip().lower() == "true"


@csrf_exempt
@require_http_methods(["GET", "POST"])
@open311_view
def request_list(request: HttpRequest, fmt: str, tenant: Tenant) -> HttpResponse:
    if request.method == "POST":
        return post_request(request, fmt, tenant)
    return _get_requests(request, fmt, tenant)


@open311_view
def request_detail(
    request: HttpRequest, fmt: str, tenant: Tenant, service_request_id: str
) -> HttpResponse:
    items = request_items(
        public_requests(tenant).filter(ticket=service_request_id)[:1], request, tenant
    )
    if not items:
        raise Open311Error(
            404, _("service_request_id “%(id)s” tidak ditemukan.") % {"id": service_request_id}
        )
    return render(fmt, "service_requests", items, plain=True)


@open311_view
def token_detail(request: HttpRequest, fmt: str, tenant: Tenant, token: str) -> HttpResponse:
    token_uuid = _uuid_or_none(token)
    complaint = (
        Complaint.objects.public().filter(tenant=tenant, open311_token=token_uuid).first()
        if token_uuid
        else None
    )
    if complaint is None:
        raise Open311Error(404, _("token “%(token)s” tidak ditemukan.") % {"token": token})
    return render(
        fmt, "service_requests", [{"service_request_id": complaint.ticket, "token": token}]
    )


def _uuid_or_none(raw: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(raw)
    except ValueError:
        return None
