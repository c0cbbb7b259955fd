"""The list of incidents that the command centre's 112 figures link to, filtered by period,
kecamatan, kind and state. Counts and places only: no caller data."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from kotacerdas.core.errors import DomainError
from kotacerdas.core.middleware import error_response
from kotacerdas.emergency import selectors
from kotacerdas.emergency.access import REPORT_ROLES
from kotacerdas.emergency.views._common import _user, desk_nav, latest_first_page
from kotacerdas.tenants import list_filters
from kotacerdas.tenants.access import staff_page
from kotacerdas.tenants.models import Tenant

PAGE = 50


@staff_page(*REPORT_ROLES)
def incident_list(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    """``dari``/``sampai``/``kecamatan`` as the command centre passes them, ``jenis`` (an
    incident category code) and ``terbuka=1`` (not closed); keyset pages (``setelah``)."""
    try:
        drill = list_filters.parse(tenant, request.GET)
    except DomainError as error:
        return error_response(request, status=400, code=error.code, message=error.message)
    kinds = selectors.incident_categories_by_code(tenant)
    kind = request.GET.get("jenis", "")
    if kind and kind not in kinds:
        return error_response(
            request,
            status=400,
            code="unknown_kind",
            message=_("Jenis insiden “%(code)s” tidak dikenal.") % {"code": kind[:40]},
        )
    open_only = request.GET.get("terbuka") == "1"
    rows = selectors.incident_list(
        tenant=tenant,
        start=drill.start,
        end=drill.end,
        kecamatan=drill.kecamatan,
        kind=kind,
        open_only=open_only,
    )
    total = rows.count()
    try:
        page, next_url = latest_first_page(request, rows, PAGE)
    except DomainError as error:
        return error_response(request, status=400, code=error.code, message=error.message)
    return render(
        request,
        "emergency/incident_list.html",
        {
            "tenant": tenant,
            "page": page,
            "total": total,
            "next_url": next_url,
            "drill": drill,
            "kind_name": kinds[kind].local_name if kind else "",
            "open_only": open_only,
            "nav": desk_nav(_user(request), tenant),
        },
    )
