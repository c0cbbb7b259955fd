"""Statistics of the services, as a page, CSV and XLSX."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kotacerdas.core import exports
from kotacerdas.core.errors import DomainError
from kotacerdas.core.middleware import error_response
from kotacerdas.services import selectors
from kotacerdas.services.models import (
    Service,
)
from kotacerdas.services.views.common import _pk
from kotacerdas.tenants import list_filters
from kotacerdas.tenants.access import staff_page
from kotacerdas.tenants.models import Tenant

# Lazy: module-level text is translated when shown, in the reader's language.
STAT_HEADERS = [
    gettext_lazy("Layanan"),
    gettext_lazy("Bulan"),
    gettext_lazy("Permohonan"),
    gettext_lazy("Selesai"),
    gettext_lazy("Selesai dalam SLA (%)"),
    gettext_lazy("Median waktu selesai (jam)"),
    gettext_lazy("Tingkat perbaikan (%)"),
    gettext_lazy("Sepenuhnya daring (%)"),
    gettext_lazy("Lewat loket (%)"),
]


def _month(value: str) -> dt.date | None:
    """``YYYY-MM`` as the first day of that month; None when it is not one."""
    if len(value) != 7 or not value.isascii():
        return None
    try:
        return dt.date.fromisoformat(f"{value}-01")
    except ValueError:
        return None


@staff_page()
def statistics(request: HttpRequest, tenant: Tenant, fmt: str = "") -> HttpResponse:
    service_id = request.GET.get("service", "")
    this_month = timezone.localdate().replace(day=1)
    default_first = (this_month - dt.timedelta(days=330)).replace(day=1)  # the last 12 months
    first = _month(request.GET["dari"]) if request.GET.get("dari") else default_first
    last = _month(request.GET["sampai"]) if request.GET.get("sampai") else this_month
    # The command centre's figures link here with days (TTTT-BB-HH) and an OPD.
    days = len(request.GET.get("dari", "")) == len("2026-01-01")
    drill = list_filters.ListFilter()
    if days:
        try:
            drill = list_filters.parse(tenant, request.GET)
        except DomainError as error:
            return error_response(request, status=400, code=error.code, message=error.message)
        first, last = drill.first, drill.last
    opd_id = _pk(request.GET.get("opd", ""))
    if opd_id and not tenant.opds.filter(pk=opd_id).exists():
        return error_response(
            request, status=400, code="unknown_opd", message=_("OPD tidak dikenal.")
        )
    span = (last.year - first.year) * 12 + last.month - first.month + 1 if first and last else 0
    if first is None or last is None or not 1 <= span <= selectors.MAX_STAT_MONTHS:
        return error_response(
            request,
            status=400,
            code="invalid_range",
            message=_(
                "Rentang bulan tidak sah: isi dari dan sampai sebagai TTTT-BB, dari tidak setelah "
                "sampai, paling lama %(months)s bulan."
            )
            % {"months": selectors.MAX_STAT_MONTHS},
        )
    rows = selectors.service_statistics(
        tenant, first=first, last=last, service_id=_pk(service_id), days=days, opd_id=opd_id
    )
    headers = [str(h) for h in STAT_HEADERS]
    if fmt == "csv":
        return exports.csv_response(
            f"statistik-layanan-{tenant.slug}", headers, [r.row() for r in rows]
        )
    if fmt == "xlsx":
        return exports.xlsx_response(
            f"statistik-layanan-{tenant.slug}",
            headers,
            [r.row() for r in rows],
            title=_("Statistik"),
        )
    months = sorted({r.month for r in rows})
    names = sorted({r.service for r in rows})
    by_key = {(r.service, r.month): r for r in rows}
    volume = {
        "tooltip": {"trigger": "axis"},
        "legend": {"type": "scroll"},
        "grid": {"containLabel": True},
        "xAxis": {"type": "category", "data": months},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {
                "name": n,
                "type": "bar",
                "stack": "all",
                "data": [by_key[(n, m)].applications if (n, m) in by_key else 0 for m in months],
            }
            for n in names
        ],
    }
    sla = {
        "tooltip": {"trigger": "axis"},
        "legend": {"type": "scroll"},
        "grid": {"containLabel": True},
        "xAxis": {"type": "category", "data": months},
        "yAxis": {"type": "value", "max": 100},
        "series": [
            {
                "name": n,
                "type": "line",
                "connectNulls": True,
                "data": [
                    (r[4] if (n, m) in by_key and (r := by_key[(n, m)].row()) else None)
                    for m in months
                ],
            }
            for n in names
        ],
    }
    return render(
        request,
        "services/statistics.html",
        {
            "rows": rows,
            "headers": headers,
            "volume": volume,
            "sla": sla,
            "services": Service.objects.filter(tenant=tenant),
            "service_id": service_id,
            "first": f"{first:%Y-%m}",
            "last": f"{last:%Y-%m}",
            "list_filter": drill,
            "list_total": sum(r.applications for r in rows),
            "list_noun": _("permohonan"),
        },
    )
