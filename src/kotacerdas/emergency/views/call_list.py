"""The list of calls that the command centre's call figures link to, filtered by period and
type: when, what type (prank or ghost or not), the incident it became and who took it. Never
the caller's number, name or the call-taker's note: the figures' rows, not the callers."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from kotacerdas.core.errors import DomainError
from kotacerdas.core.middleware import error_response
from kotacerdas.emergency import selectors
from kotacerdas.emergency.access import BOARD_ROLES, CALL_LIST_ROLES, is_desk
from kotacerdas.emergency.models import INVALID_CALL_TYPES, CallType
from kotacerdas.emergency.views._common import _user, desk_nav, latest_first_page
from kotacerdas.tenants import list_filters
from kotacerdas.tenants.access import staff_page
from kotacerdas.tenants.models import Tenant

PAGE = 50


def _filters(request: HttpRequest, tenant: Tenant) -> tuple[list_filters.ListFilter, str, bool]:
    """The period, the call type (``jenis``) and ``iseng=1`` (prank and ghost only).
    Raises ``DomainError`` (400) on a bad one; a call records no place, so no kecamatan."""
    drill = list_filters.parse(tenant, request.GET)
    if drill.kecamatan:
        raise DomainError(
            _("Panggilan tidak mencatat kecamatan; saring insidennya."), code="invalid_filter"
        )
    call_type = request.GET.get("jenis", "")
    if call_type and call_type not in CallType.values:
        raise DomainError(
            _("Jenis panggilan “%(code)s” tidak dikenal.") % {"code": call_type[:40]},
            code="unknown_kind",
        )
    invalid = request.GET.get("iseng", "")
    if invalid not in ("", "1"):
        raise DomainError(_("Saringan “iseng” hanya boleh 1."), code="invalid_filter")
    return drill, call_type, invalid == "1"


@staff_page(*CALL_LIST_ROLES)
def call_list(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    """``dari``/``sampai`` as the command centre passes them, ``jenis`` (a call type) and
    ``iseng=1``; keyset pages (``setelah``), the latest call first."""
    try:
        drill, call_type, invalid_only = _filters(request, tenant)
        rows = selectors.call_list(
            tenant=tenant,
            start=drill.start,
            end=drill.end,
            call_type=call_type,
            invalid_only=invalid_only,
        )
        total = rows.count()
        page, next_url = latest_first_page(request, rows.values(*selectors.CALL_LIST_FIELDS), PAGE)
    except DomainError as error:
        return error_response(request, status=400, code=error.code, message=error.message)
    labels = dict(CallType.choices)
    for row in page:
        row["type_label"] = labels.get(row["call_type"], row["call_type"])
        row["invalid"] = row["call_type"] in INVALID_CALL_TYPES
    user = _user(request)
    return render(
        request,
        "emergency/call_list.html",
        {
            "tenant": tenant,
            "page": page,
            "total": total,
            "next_url": next_url,
            "drill": drill,
            "type_label": labels.get(call_type, ""),
            "invalid_only": invalid_only,
            "incident_links": is_desk(user, tenant, *BOARD_ROLES),
            "nav": desk_nav(user, tenant),
        },
    )
