"""Figures for staff: requests, villages, products and permits, with CSV/XLSX."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import User
from kotacerdas.core.errors import DomainError
from kotacerdas.core.exports import XLSX_CONTENT_TYPE, csv_response, download_response, xlsx_bytes
from kotacerdas.core.kpi_sql import median
from kotacerdas.core.middleware import error_response
from kotacerdas.economy import selectors
from kotacerdas.economy.access import (
    requests_counted_for,
)
from kotacerdas.economy.config import product_groups
from kotacerdas.economy.models import (
    VillageClass,
)
from kotacerdas.economy.views.common import _worker
from kotacerdas.tenants import list_filters
from kotacerdas.tenants.access import tenant_page
from kotacerdas.tenants.models import Tenant

# --- figures ----------------------------------------------------------------------------------

FIGURE_MONTHS = 12


def _figures(user: User, tenant: Tenant) -> dict[str, Any]:
    """The figures page's tables (requests: ``requests_counted_for``)."""
    today = timezone.localdate()
    months = selectors.last_months(tenant, FIGURE_MONTHS, today=today)
    groups = product_groups()
    classes = dict(VillageClass.choices)
    return {
        "requests": selectors.requests_per_month(requests_counted_for(user, tenant), months),
        "villages": [
            {**row, "class_label": classes.get(row["village_class"], row["village_class"])}
            for row in selectors.villages_by_class_and_kecamatan(tenant)
        ],
        "products": [
            {**row, "group_label": groups.get(row["group"], row["group"])}
            for row in selectors.products_by_group_and_stars(tenant)
        ],
        "permits": list(selectors.permits_expiring(tenant, today=today)[:200]),
    }


def _figure_tables(data: dict[str, Any]) -> dict[str, tuple[str, list[str], list[list[Any]]]]:
    """Each table of the figures page as (title, headers, rows), for CSV and XLSX."""
    return {
        "permintaan": (
            _("Permintaan per bulan"),
            [_("Bulan"), _("Pertanyaan"), _("Pemesanan"), _("Dijawab"), _("Median jawaban (jam)")],
            [
                [r.month, r.enquiries, r.bookings, r.answered, r.median_first_answer_hours]
                for r in data["requests"]
            ],
        ),
        "desa": (
            _("Desa wisata"),
            [_("Kecamatan"), _("Klasifikasi"), _("Desa wisata")],
            [[r["kecamatan_name"], str(r["class_label"]), r["n"]] for r in data["villages"]],
        ),
        "produk": (
            _("Produk OVOP"),
            [_("Kelompok"), _("Bintang"), _("Produk")],
            [[str(r["group_label"]), r["stars"], r["n"]] for r in data["products"]],
        ),
        "izin": (
            _("Izin berakhir 90 hari"),
            [_("Berakhir"), _("Izin"), _("Nomor"), _("Produk"), _("Produsen")],
            [
                [
                    p.expires_on,
                    p.get_kind_display(),
                    p.number,
                    p.product.name,
                    p.product.producer.name,
                ]
                for p in data["permits"]
            ],
        ),
    }


def _charts(data: dict[str, Any]) -> dict[str, Any]:
    months = [r.month for r in data["requests"]]
    by_class: dict[str, int] = defaultdict(int)
    for row in data["villages"]:
        by_class[row["village_class"]] += row["n"]
    groups = sorted({str(r["group_label"]) for r in data["products"]})
    star_levels: list[int | None] = [5, 4, 3, 2, 1, None]
    counts = {(str(r["group_label"]), r["stars"]): r["n"] for r in data["products"]}
    return {
        "requests": {
            "tooltip": {"trigger": "axis"},
            "legend": {"bottom": 0},
            "grid": {"left": 40, "right": 40, "top": 20, "bottom": 60},
            "xAxis": {"type": "category", "data": months},
            "yAxis": [
                {"type": "value", "minInterval": 1},
                {"type": "value", "name": _("jam")},
            ],
            "series": [
                {
                    "name": _("Pertanyaan"),
                    "type": "bar",
                    "stack": "n",
                    "data": [r.enquiries for r in data["requests"]],
                },
                {
                    "name": _("Pemesanan"),
                    "type": "bar",
                    "stack": "n",
                    "data": [r.bookings for r in data["requests"]],
                },
                {
                    "name": _("Median jawaban pertama (jam)"),
                    "type": "line",
                    "yAxisIndex": 1,
                    "connectNulls": True,
                    "data": [r.median_first_answer_hours for r in data["requests"]],
                },
            ],
        },
        "classes": {
            "tooltip": {},
            "xAxis": {
                "type": "category",
                "data": [str(label) for _v, label in VillageClass.choices],
            },
            "yAxis": {"type": "value", "minInterval": 1},
            "series": [
                {"type": "bar", "data": [by_class.get(v, 0) for v, _l in VillageClass.choices]}
            ],
        },
        "products": {
            "tooltip": {"trigger": "axis"},
            "legend": {"bottom": 0},
            "grid": {"left": 40, "right": 10, "top": 20, "bottom": 60},
            "xAxis": {"type": "category", "data": groups},
            "yAxis": {"type": "value", "minInterval": 1},
            "series": [
                {
                    "name": f"★{stars}" if stars else _("belum dinilai"),
                    "type": "bar",
                    "stack": "n",
                    "data": [counts.get((g, stars), 0) for g in groups],
                }
                for stars in star_levels
            ],
        },
    }


def _period(user: User, tenant: Tenant, request: HttpRequest) -> dict[str, Any]:
    """The requests of ``dari``/``sampai``/``kecamatan`` (as the command centre passes them):
    the total of those ``angka`` counts (all, ``pemesanan`` or ``dijawab``), with the period's
    bookings, answered requests and median first answer. ``DomainError`` (400) on a bad one."""
    drill = list_filters.parse(tenant, request.GET)
    counted = request.GET.get("angka", "")
    if counted and counted not in selectors.REQUEST_FIGURES:
        raise DomainError(
            _("Angka harus “pemesanan” atau “dijawab”."), code="invalid_figure_filter"
        )
    if not drill.active:
        return {"list_filter": drill, "list_total": None}
    rows = selectors.requests_of_period(
        requests_counted_for(user, tenant),
        start=drill.start,
        end=drill.end,
        kecamatan=drill.kecamatan,
    )
    counts = rows.aggregate(
        total=Count("pk"),
        **{name: Count("pk", filter=where) for name, where in selectors.REQUEST_FIGURES.items()},
    )
    seconds = median(rows, selectors.first_answer_seconds())
    return {
        "list_filter": drill,
        "list_total": counts[counted or "total"],
        "list_noun": _("permintaan"),
        "period_counts": counts,
        "period_median_hours": None if seconds is None else round(seconds / 3600, 1),
    }


@tenant_page
def figures(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    user = _worker(request, tenant)
    if isinstance(user, HttpResponse):
        return user
    try:
        period = _period(user, tenant, request)
    except DomainError as error:
        return error_response(request, status=400, code=error.code, message=error.message)
    data = _figures(user, tenant)
    return render(
        request,
        "economy/figures.html",
        {
            "tenant": tenant,
            **data,
            **period,
            "charts": _charts(data),
            "tables": [(key, title) for key, (title, _h, _r) in _figure_tables(data).items()],
        },
    )


@tenant_page
def figures_export(request: HttpRequest, tenant: Tenant, table: str, fmt: str) -> HttpResponse:
    """One table as CSV (``<table>.csv``) or every table as one workbook (``semua.xlsx``)."""
    user = _worker(request, tenant)
    if isinstance(user, HttpResponse):
        return user
    tables = _figure_tables(_figures(user, tenant))
    stamp = f"{timezone.localdate():%Y%m%d}"
    if fmt == "xlsx" and table == "semua":
        return download_response(
            f"angka-wisata-ovop-{tenant.slug}-{stamp}.xlsx",
            xlsx_bytes(list(tables.values())),
            XLSX_CONTENT_TYPE,
        )
    if fmt == "csv" and table in tables:
        _title, headers, rows = tables[table]
        return csv_response(f"{table}-{tenant.slug}-{stamp}", headers, rows)
    raise Http404("table")
