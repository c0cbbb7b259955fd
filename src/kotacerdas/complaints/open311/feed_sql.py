"""The JSON page of the request feed built by PostgreSQL in one statement, for the common case
(JSON, no notes): the same items as ``feed.request_items`` without rows passing through Python."""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson
from django.db import connection
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from kotacerdas.complaints.models import (
    CLOSED_STATUSES,
    Status,
)
from kotacerdas.tenants.models import Tenant


def _local_time_sql(column: str) -> str:
    """``column`` (timestamptz) as W3C text in the current time zone, e.g.
    ``2026-03-02T09:00:00+07:00``: what ``w3c`` writes in Python, the offset taken per row."""
    local = f"({column} AT TIME ZONE %(zone)s)"
    offset = f"({local} - ({column} AT TIME ZONE 'UTC'))"
    return (
        f"to_char({local}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN {offset} < interval '0' "
        f"THEN '-' || to_char(-{offset}, 'HH24:MI') ELSE '+' || to_char({offset}, 'HH24:MI') END"
    )


def page_json(
    page_qs: Any, request: HttpRequest, tenant: Tenant
) -> tuple[bytes, int, tuple[dt.datetime, int] | None]:
    """The JSON list of the page's request items, built by PostgreSQL in one statement (the same
    items as ``request_items`` without notes): no rows, dates or names pass through Python.
    Also the number of items and the (created_at, id) of the last one."""
    page_sql, page_params = page_qs.values_list("pk").query.sql_with_params()
    marker = 987654321  # any photo id, replaced by the row's own
    photo_url = request.build_absolute_uri(
        reverse("complaints:photo", args=[tenant.slug, marker])
    ).split(str(marker))
    closed = tuple(str(s) for s in CLOSED_STATUSES)
    # Item keys in the order of request_items.
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
