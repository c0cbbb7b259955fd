"""Complaint statistics per OPD and month, on the page and as CSV/XLSX."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kotacerdas.complaints import selectors
from kotacerdas.complaints.models import Complaint, Status
from kotacerdas.complaints.views.common import (
    STAFF_ROLES,
    bad_request,
    page_context,
)
from kotacerdas.core.exports import csv_response, xlsx_response
from kotacerdas.tenants.access import staff_page
from kotacerdas.tenants.models import Tenant

FIRST_YEAR, LAST_YEAR = 2000, 2100
# Headers in the reader's language; shares as percentages (0-100), like every other export.
STAT_HEADERS = [
    gettext_lazy("OPD"),
    gettext_lazy("Bulan"),
    gettext_lazy("Diterima"),
    gettext_lazy("Ditanggapi"),
    gettext_lazy("Tingkat tanggapan (%)"),
    gettext_lazy("Median jam ke tanggapan pertama"),
    gettext_lazy("Median jam ke penyelesaian"),
    gettext_lazy("Dalam SLA (%)"),
    gettext_lazy("Dibuka kembali"),
    gettext_lazy("Rata-rata nilai"),
]
PERCENT_COLUMNS = (4, 7)


def _percent(share: float | None) -> float | None:
    return None if share is None else round(share * 100, 1)


def _stat_rows(tenant: Tenant, year: int) -> list[list[Any]]:
    return [
        [
            r.opd,
            r.month,
            r.received,
            r.responded,
            _percent(r.response_rate),
            r.median_hours_first_response,
            r.median_hours_resolution,
            _percent(r.within_sla_share),
            r.reopens,
            r.average_rating,
        ]
        for r in selectors.statistics_per_opd_month(tenant=tenant, year=year)
    ]


@staff_page(*STAFF_ROLES)
def statistics(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    raw_year = request.GET.get("tahun", "")
    if not raw_year:
        year = timezone.localdate().year
    elif re.fullmatch(r"[0-9]{4}", raw_year) and FIRST_YEAR <= int(raw_year) <= LAST_YEAR:
        year = int(raw_year)
    else:
        return bad_request(
            request,
            _("Tahun harus angka antara %(first)d dan %(last)d.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR},
        )
    rows = _stat_rows(tenant, year)
    headers = [str(h) for h in STAT_HEADERS]
    if request.GET.get("format") == "csv":
        return csv_response(f"statistik-aduan-{tenant.slug}-{year}", headers, rows)
    if request.GET.get("format") == "xlsx":
        # Numbers stay numbers: the spreadsheet shows them in its reader's locale.
        return xlsx_response(
            f"statistik-aduan-{tenant.slug}-{year}", headers, rows, title=str(year)
        )
    per_opd: dict[str, list[int]] = {}
    for row in rows:
        totals = per_opd.setdefault(row[0], [0, 0])
        totals[0] += row[2]
        totals[1] += row[3]
    opds = sorted(per_opd)
    chart = {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [_("Diterima"), _("Ditanggapi")]},
        "grid": {"left": 40, "right": 10, "bottom": 60},
        "xAxis": {"type": "category", "data": opds, "axisLabel": {"rotate": 30}},
        "yAxis": {"type": "value"},
        "series": [
            {"name": _("Diterima"), "type": "bar", "data": [per_opd[o][0] for o in opds]},
            {"name": _("Ditanggapi"), "type": "bar", "data": [per_opd[o][1] for o in opds]},
        ],
    }
    months = sorted({row[1] for row in rows})
    by_month = {m: [r for r in rows if r[1] == m] for m in months}
    trend = {
        "tooltip": {"trigger": "axis"},
        "xAxis": {"type": "category", "data": months},
        "yAxis": {"type": "value", "max": 100},
        "grid": {"left": 40, "right": 10},
        "series": [
            {
                "name": _("Porsi dalam SLA"),
                "type": "line",
                "data": [
                    round(
                        sum(r[7] * r[2] for r in by_month[m])
                        / max(sum(r[2] for r in by_month[m]), 1),
                        3,
                    )
                    for m in months
                ],
            }
        ],
    }
    start, end = selectors.year_range(tenant, year)
    status_counts = dict(
        Complaint.objects.filter(tenant=tenant, created_at__gte=start, created_at__lt=end)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return render(
        request,
        "complaints/statistics.html",
        page_context(
            tenant,
            rows=rows,
            year=year,
            chart=chart,
            trend=trend,
            status_counts=[(Status(s).label, n) for s, n in status_counts.items()],
            overdue=Complaint.objects.filter(tenant=tenant).overdue().count(),
            open_total=Complaint.objects.filter(tenant=tenant).open().count(),
        ),
    )
