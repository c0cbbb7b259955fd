"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) at ``/open311/v2/``.

Every resource is served as XML and JSON. ``jurisdiction_id`` is required (one endpoint serves
every tenant). Errors follow the specification: a list of ``{code, description}`` with 404 for
an unknown jurisdiction, service, request or token, 403 for a missing or invalid ``api_key`` and
400 for everything else. The reporter's identity, email and phone are never emitted and secret
(rahasia) complaints do not exist here.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import uuid
from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any
from xml.etree import ElementTree as ET

import orjson
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import connection
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from kotacerdas.complaints import services
from kotacerdas.complaints.config import config_for, config_for_jurisdiction
from kotacerdas.complaints.idempotency import client_of
from kotacerdas.complaints.models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    Category,
    Channel,
    Complaint,
    Disposition,
    Event,
    Photo,
    Status,
)
from kotacerdas.core.errors import DomainError
from kotacerdas.tenants.models import Tenant

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)  # when this endpoint's behaviour last changed
MAX_RANGE = dt.timedelta(days=90)
MAX_PAGE_SIZE = 1000
CONTENT_TYPES = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
# XML names of list items; JSON drops these wrappers.
ITEM_NAMES = {
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "notes": "note",
}


class Open311Error(Exception):
    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status = status
        self.description = description


# --- rendering -------------------------------------------------------------------------------


# Characters XML 1.0 cannot carry at all, not even escaped (C0 controls other than tab, line
# feed and carriage return; lone surrogates; U+FFFE and U+FFFF). Stored text may hold them
# (an anonymous report can contain anything); the feed drops them so it stays well-formed.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return w3c(value)
    return _NOT_XML.sub("", str(value))


def w3c(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return w3c(value)
    if isinstance(value, Mapping):
        return {k: _json_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    return None if value == "" else value


def _xml_fill(parent: ET.Element, name: str, value: Any) -> None:
    element = ET.SubElement(parent, name)
    if isinstance(value, Mapping):
        for key, item in value.items():
            _xml_fill(element, key, item)
    elif isinstance(value, list):
        for item in value:
            _xml_fill(element, ITEM_NAMES.get(name, "item"), item)
    else:
        element.text = _text(value)


def render(
    fmt: str, root: str, body: Any, status: int = 200, *, plain: bool = False
) -> HttpResponse:
    """``body`` is a list (JSON array; XML ``<root><item/>…</root>``) or a mapping (object).
    ``plain``: it holds only JSON types already, with None for every empty value."""
    if fmt == "json":
        return HttpResponse(
            orjson.dumps(body if plain else _json_value(body)),
            status=status,
            content_type=CONTENT_TYPES[fmt],
        )
    else:
        element = ET.Element(root)
        if isinstance(body, list):
            for item in body:
                _xml_fill(element, ITEM_NAMES[root], item)
        else:
            for key, item in body.items():
                _xml_fill(element, key, item)
        content = '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(
            element, encoding="unicode"
        )
    return HttpResponse(content.encode(), status=status, content_type=CONTENT_TYPES[fmt])


def open311_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Checks the format, resolves ``jurisdiction_id`` into a tenant and renders errors."""

    @wraps(view)
    def wrapper(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
        if fmt not in CONTENT_TYPES:
            return render(
                "xml",
                "errors",
                [
                    {
                        "code": 400,
                        "description": _("Format tidak didukung: gunakan .xml atau .json."),
                    }
                ],
                400,
            )
        try:
            params = request.POST if request.method == "POST" else request.GET
            code = (
                params.get("jurisdiction_id", "").strip()
                or request.GET.get("jurisdiction_id", "").strip()
            )
            if not code:
                raise Open311Error(400, _("jurisdiction_id wajib diisi."))
            config = config_for_jurisdiction(code)
            if config is None:
                raise Open311Error(
                    404, _("jurisdiction_id “%(code)s” tidak dikenal.") % {"code": code}
                )
            return view(request, fmt, config.tenant, **kwargs)
        except Open311Error as error:
            return render(
                fmt,
                "errors",
                [{"code": error.status, "description": error.description}],
                error.status,
            )
        except DomainError as error:
            status = error.status if error.status in (400, 403, 404, 422) else 400
            return render(fmt, "errors", [{"code": status, "description": error.message}], status)

    return wrapper


# --- discovery and services ------------------------------------------------------------------


def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    """Describes the endpoint itself; the one resource that needs no ``jurisdiction_id``."""
    if fmt not in CONTENT_TYPES:
        return render(
            "xml",
            "errors",
            [{"code": 400, "description": _("Format tidak didukung: gunakan .xml atau .json.")}],
            400,
        )
    code = request.GET.get("jurisdiction_id", "").strip()
    tenant = Tenant.objects.filter(jurisdiction_id=code, is_active=True).first() if code else None
    if code and tenant is None:
        return render(
            fmt,
            "errors",
            [
                {
                    "code": 404,
                    "description": _("jurisdiction_id “%(code)s” tidak dikenal.") % {"code": code},
                }
            ],
            404,
        )
    url = request.build_absolute_uri("/open311/v2/")
    contact = (tenant.email if tenant else "") or _("Hubungi Diskominfo pemerintah daerah Anda.")
    return render(
        fmt,
        "discovery",
        {
            "changeset": CHANGESET,
            "contact": contact,
            "key_service": _(
                "Minta api_key kepada administrator daerah (kotacerdas create_open311_key)."
            ),
            "endpoints": [
                {
                    "specification": SPECIFICATION,
                    "url": url,
                    "changeset": CHANGESET,
                    "type": "production",
                    "formats": ["text/xml", "application/json"],
                }
            ],
        },
    )


def _service(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description or category.name,
        "metadata": bool(getattr(category, "attribute_count", 0)),
        "type": "realtime",
        "keywords": ",".join(k.strip() for k in category.keywords.split(",") if k.strip()),
        "group": category.group,
    }


@open311_view
def service_list(request: HttpRequest, fmt: str, tenant: Tenant) -> HttpResponse:
    categories = Category.objects.filter(tenant=tenant, is_active=True).annotate(
        attribute_count=Count("attributes")
    )
    return render(fmt, "services", [_service(c) for c in categories])


def _category(tenant: Tenant, code: str) -> Category:
    """The tenant's active category ``code`` with its extra questions (cached)."""
    category = config_for(tenant).by_code.get(code)
    if category is None:
        raise Open311Error(404, _("service_code “%(code)s” tidak dikenal.") % {"code": code})
    return category


@open311_view
def service_definition(
    request: HttpRequest, fmt: str, tenant: Tenant, service_code: str
) -> HttpResponse:
    category = _category(tenant, service_code)
    attributes = [
        {
            "variable": True,
            "code": a.code,
            "datatype": a.datatype,
            "required": a.required,
            "datatype_description": a.datatype_description or a.get_datatype_display(),
            "order": a.order,
            "description": a.description,
            **(
                {"values": [{"key": str(v["key"]), "name": v["name"]} for v in a.values]}
                if a.datatype in ("singlevaluelist", "multivaluelist")
                else {}
            ),
        }
        for a in category.attributes.all()
    ]
    return render(
        fmt, "service_definition", {"service_code": category.code, "attributes": attributes}
    )


# --- service requests ------------------------------------------------------------------------


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


def _public_requests(tenant: Tenant) -> Any:
    return Complaint.objects.public().filter(tenant=tenant)


def _request_items(qs: Any, request: HttpRequest, tenant: Tenant) -> list[dict[str, Any]]:
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
    qs = _filtered(_public_requests(tenant), params, tenant).order_by("-created_at", "-pk")
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
        body, count, last = _page_json(page_qs, request, tenant)
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


def _local_time_sql(column: str) -> str:
    """``column`` (timestamptz) as W3C text in the current time zone, e.g.
    ``2026-03-02T09:00:00+07:00``: what ``w3c`` writes in Python, the offset taken per row."""
    local = f"({column} AT TIME ZONE %(zone)s)"
    offset = f"({local} - ({column} AT TIME ZONE 'UTC'))"
    return (
        f"to_char({local}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN {offset} < interval '0' "
        f"THEN '-' || to_char(-{offset}, 'HH24:MI') ELSE '+' || to_char({offset}, 'HH24:MI') END"
    )


def _page_json(
    page_qs: Any, request: HttpRequest, tenant: Tenant
) -> tuple[bytes, int, tuple[dt.datetime, int] | None]:
    """The JSON list of the page's request items, built by PostgreSQL in one statement (the same
    items as ``_request_items`` without notes): no rows, dates or names pass through Python.
    Also the number of items and the (created_at, id) of the last one."""
    page_sql, page_params = page_qs.values_list("pk").query.sql_with_params()
    marker = 987654321  # any photo id, replaced by the row's own
    photo_url = request.build_absolute_uri(
        reverse("complaints:photo", args=[tenant.slug, marker])
    ).split(str(marker))
    closed = tuple(str(s) for s in CLOSED_STATUSES)
    # Item keys in the order of _request_items.
    sql = f"""
        SELECT coalesce(json_agg(json_build_object(
            'service_request_id', c.ticket,
            'status', CASE WHEN c.status = ANY(%(closed)s) THEN 'closed' ELSE 'open' END,
            'status_notes', coalesce(%(labels)s::jsonb ->> c.status, c.status)
                || CASE WHEN c.status_note <> '' THEN ': ' || c.status_note ELSE '' END,
            'service_name', cat.name,
            'service_code', cat.code,
            'description', nullif(c.description, ''),
            'agency_responsible', nullif(coalesce(agencies.names, opd.name), ''),
            'service_notice', NULL,
            'requested_datetime', {_local_time_sql("c.created_at")},
            'updated_datetime', {
        _local_time_sql(
            "CASE WHEN c.status = ANY(%(closed)s) THEN coalesce(c.closed_at, c.updated_at) "
            "ELSE c.updated_at END"
        )
    },
            'expected_datetime', CASE WHEN c.status = ANY(%(closed)s) THEN NULL ELSE {
        _local_time_sql("coalesce(c.resolve_due, c.due_at)")
    } END,
            'address', coalesce(nullif(c.address, ''), nullif(region.name, '')),
            'address_id', NULL,
            'zipcode', NULL,
            'lat', c.lat,
            'long', c.long,
            'media_url', CASE WHEN photo.id IS NOT NULL
                THEN %(photo_prefix)s || photo.id || %(photo_suffix)s
                ELSE nullif(c.media_url, '') END
        ) ORDER BY c.created_at DESC, c.id DESC), '[]')::text,
        count(*),
        (array_agg(c.created_at ORDER BY c.created_at, c.id))[1],
        (array_agg(c.id ORDER BY c.created_at, c.id))[1]
        FROM complaints_complaint c
        JOIN complaints_category cat ON cat.id = c.category_id
        LEFT JOIN tenants_opd opd ON opd.id = cat.opd_id
        LEFT JOIN regions_region region ON region.code = c.region_id
        LEFT JOIN LATERAL (
            SELECT string_agg(o.name, ', ' ORDER BY d.created_at, d.id) AS names
            FROM complaints_disposition d JOIN tenants_opd o ON o.id = d.opd_id
            WHERE d.complaint_id = c.id AND d.is_active
        ) agencies ON true
        LEFT JOIN LATERAL (
            SELECT min(p.id) AS id FROM complaints_photo p
            WHERE p.complaint_id = c.id AND p.response_id IS NULL AND p.image <> ''
        ) photo ON true
        WHERE c.id IN (PAGE)
    """  # noqa: S608 - no value is formatted in: every one is a parameter
    params: dict[str, Any] = {
        "closed": list(closed),
        "labels": orjson.dumps({status.value: str(status.label) for status in Status}).decode(),
        "zone": str(timezone.get_current_timezone()),
        "photo_prefix": photo_url[0],
        "photo_suffix": photo_url[1],
    }
    # The page's own SQL uses positional parameters: inline them as named ones.
    names = [f"page{i}" for i in range(len(page_params))]
    params.update(zip(names, page_params, strict=True))
    sql = sql.replace("PAGE", page_sql.replace("%%", "%%%%") % tuple(f"%({n})s" for n in names))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        body, count, created_at, pk = cursor.fetchone()
    return body.encode(), count, (created_at, pk) if pk is not None else None


def _attributes_from(post: Any) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for key in post:
        match = re.fullmatch(r"attribute\[([^\]]+)\](\[\])?", key)
        if match:
            found.setdefault(match.group(1), []).extend(post.getlist(key))
    return found


def _float(name: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):  # also "nan", "inf" and "1e400"
        raise Open311Error(400, _("%(name)s harus berupa angka.") % {"name": name})
    return value


def _post_request(request: HttpRequest, fmt: str, tenant: Tenant) -> HttpResponse:
    post = request.POST
    api_key = post.get("api_key", "").strip()
    if not api_key:
        raise Open311Error(403, _("api_key wajib diisi."))
    key_id = config_for(tenant).open311_key_id(api_key)
    if key_id is None:
        raise Open311Error(403, _("api_key tidak sah."))
    code = post.get("service_code", "").strip()
    if not code:
        raise Open311Error(400, _("service_code wajib diisi."))
    category = _category(tenant, code)
    lat_raw, long_raw = post.get("lat", "").strip(), post.get("long", "").strip()
    address = post.get("address_string", "").strip() or post.get("address_id", "").strip()
    if bool(lat_raw) != bool(long_raw):
        raise Open311Error(400, _("lat dan long harus dikirim bersama."))
    if not lat_raw and not address:
        raise Open311Error(400, _("Lokasi wajib: lat dan long, address_string, atau address_id."))
    lat = _float("lat", lat_raw) if lat_raw else None
    long = _float("long", long_raw) if long_raw else None
    email = post.get("email", "").strip()
    if email:
        try:
            EmailValidator()(email)
        except ValidationError:
            raise Open311Error(400, _("email tidak sah.")) from None
    media_urls = [u.strip() for u in post.getlist("media_url") if u.strip()]
    for url in media_urls:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise Open311Error(400, _("media_url harus URL http(s).")) from None
    description = post.get("description", "").strip()
    if len(description) > services.MAX_DESCRIPTION:
        raise Open311Error(400, _("description paling banyak 4.000 karakter."))
    attributes = services.attributes_clean(category, _attributes_from(post))
    complaint, _created = services.complaint_submit(
        tenant=tenant,
        category=category,
        description=description or category.name,
        channel=Channel.OPEN311,
        lat=lat,
        long=long,
        address=address,
        reporter_name=" ".join(
            p for p in (post.get("first_name", "").strip(), post.get("last_name", "").strip()) if p
        ),
        reporter_email=email,
        reporter_phone=post.get("phone", "").strip(),
        device_id=post.get("device_id", "").strip(),
        account_id=post.get("account_id", "").strip(),
        media_url=media_urls[0] if media_urls else "",
        attributes=attributes,
        idempotency_key=request.headers.get("Idempotency-Key"),
        language=translation.get_language() or "id",
        # A key is replayed only to the api_key that used it, and only for the same body.
        client=client_of(request, open311_key_id=key_id),
        fingerprint=services.request_fingerprint(
            {k: post.getlist(k) for k in sorted(post) if k != "api_key"}
        ),
    )
    notice = _("Nomor tiket %(ticket)s. Batas verifikasi %(due)s.") % {
        "ticket": complaint.ticket,
        "due": timezone.localtime(complaint.verify_due).strftime("%d-%m-%Y %H:%M"),
    }
    return render(
        fmt,
        "service_requests",
        [{"service_request_id": complaint.ticket, "service_notice": notice, "account_id": None}],
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
@open311_view
def request_list(request: HttpRequest, fmt: str, tenant: Tenant) -> HttpResponse:
    if request.method == "POST":
        return _post_request(request, fmt, tenant)
    return _get_requests(request, fmt, tenant)


@open311_view
def request_detail(
    request: HttpRequest, fmt: str, tenant: Tenant, service_request_id: str
) -> HttpResponse:
    items = _request_items(
        _public_requests(tenant).filter(ticket=service_request_id)[:1], request, tenant
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
