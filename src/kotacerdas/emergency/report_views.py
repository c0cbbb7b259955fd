"""Reports of the 112 desk: charts, CSV/XLSX exports, the regulator list and the monthly PDF."""

from __future__ import annotations

import io
from typing import Any

from django.db.models import Min
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from kotacerdas.accounts.models import Role, User
from kotacerdas.core.exports import XLSX_CONTENT_TYPE, csv_response, download_response, xlsx_bytes
from kotacerdas.emergency.access import REPORT_ROLES, is_desk
from kotacerdas.emergency.models import Call, CallType, Incident, RegulatorReport
from kotacerdas.emergency.reports import BUCKETS, STAGES, Period, Report, build
from kotacerdas.emergency.views import desk_nav
from kotacerdas.tenants.access import staff_page
from kotacerdas.tenants.models import Tenant


def first_year(tenant: Tenant) -> int:
    """The year of the tenant's first call or incident (this year when it has none yet)."""
    firsts = [
        Call.objects.filter(tenant=tenant).aggregate(first=Min("received_at"))["first"],
        Incident.objects.filter(tenant=tenant).aggregate(first=Min("received_at"))["first"],
    ]
    known = [timezone.localtime(f).year for f in firsts if f is not None]
    return min(known, default=timezone.localdate().year)


def _period(request: HttpRequest, tenant: Tenant) -> Period:
    today = timezone.localdate()
    raw = request.GET.get("bulan", "")
    try:
        if raw and not (raw.isascii() and len(raw) <= 7):
            raise ValueError
        year, month = (int(p) for p in raw.split("-")) if raw else (today.year, today.month)
        if not (1 <= month <= 12 and today.year + 1 >= year >= first_year(tenant)):
            raise ValueError
    except ValueError:
        raise Http404("period") from None
    return Period.month(tenant, year, month)


def stage_labels() -> dict[str, str]:
    return {
        "intake_dispatch": _("Diterima → diteruskan"),
        "dispatch_moving": _("Diteruskan → bergerak"),
        "moving_scene": _("Bergerak → tiba"),
        "intake_moving": _("Diterima → bergerak"),
        "intake_scene": _("Diterima → tiba"),
    }


def bucket_labels() -> list[str]:
    labels, low = [], 0
    for b in BUCKETS:
        labels.append(f"{low}-{b}")
        low = b
    return [*labels, f">{BUCKETS[-1]}"]


def _call_table(report: Report) -> tuple[list[str], list[list[Any]]]:
    headers = [_("Tanggal"), *[str(label) for label in CallType.labels], _("Sah"), _("Tidak sah")]
    rows = [
        [r["date"], *[r[t] for t in CallType.values], r["valid"], r["invalid"]]
        for r in report.calls_per_day
    ]
    return headers, rows


def _agency_table(report: Report) -> tuple[list[str], list[list[Any]]]:
    labels = stage_labels()
    headers = [_("Instansi")]
    for stage in STAGES:
        headers += [f"{labels[stage]} n", f"{labels[stage]} median", f"{labels[stage]} p90"]
    rows = []
    for row in report.agency_times:
        line: list[Any] = [row["agency"]]
        for stage in STAGES:
            dist = row[stage]
            line += [dist.count, dist.median, dist.p90]
        rows.append(line)
    return headers, rows


def _incident_tables(report: Report) -> tuple[list[str], list[list[Any]]]:
    headers = [_("Jenis"), _("Nama"), _("Jumlah")]
    rows: list[list[Any]] = [[_("Kategori"), n, c] for n, c in report.by_category]
    rows += [[_("Kecamatan"), n, c] for n, c in report.by_kecamatan]
    return headers, rows


@staff_page(*REPORT_ROLES)
def reports(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    period = _period(request, tenant)
    report = build(tenant, period)
    labels = stage_labels()
    charts = {
        "days": [r["date"].isoformat() for r in report.calls_per_day],
        "valid": [r["valid"] for r in report.calls_per_day],
        "invalid": [r["invalid"] for r in report.calls_per_day],
        "categories": [{"name": n, "value": c} for n, c in report.by_category],
        "kecamatan": [[n for n, _c in report.by_kecamatan], [c for _n, c in report.by_kecamatan]],
        "buckets": bucket_labels(),
        "agencies": [
            {"name": r["agency"], "data": r["intake_moving"].buckets()} for r in report.agency_times
        ],
        "labels": {
            "valid": _("Sah"),
            "invalid": _("Tidak sah (prank/ghost)"),
            "minutes": _("menit"),
        },
    }
    return render(
        request,
        "emergency/reports.html",
        {
            "tenant": tenant,
            "report": report,
            "period": period,
            "charts": charts,
            "stage_labels": [labels[s] for s in STAGES],
            "stages": STAGES,
            "agency_rows": _agency_table(report)[1],
            "nav": desk_nav(request.user, tenant),  # type: ignore[arg-type]
        },
    )


@staff_page(*REPORT_ROLES)
def report_export(request: HttpRequest, tenant: Tenant, name: str, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404("format")
    if name == "regulator":
        # Prank callers' numbers go to the regulator through the supervisor, and to no one else.
        if not (isinstance(request.user, User) and is_desk(request.user, tenant, Role.SUPERVISOR)):
            raise Http404("report")
        headers = [_("Nomor"), _("Jumlah prank/ghost"), _("Panggilan pertama"), _("Masuk daftar")]
        rows = [
            [
                r.number,
                r.invalid_calls,
                timezone.localtime(r.first_call_at).isoformat(timespec="minutes"),
                timezone.localtime(r.listed_at).isoformat(timespec="minutes"),
            ]
            for r in RegulatorReport.objects.filter(tenant=tenant).order_by("listed_at")
        ]
        filename = f"112-regulator-{tenant.slug}"
    else:
        period = _period(request, tenant)
        report = build(tenant, period)
        tables = {
            "panggilan": _call_table,
            "insiden": _incident_tables,
            "waktu-respons": _agency_table,
        }
        if name not in tables:
            raise Http404("report")
        headers, rows = tables[name](report)
        filename = f"112-{name}-{tenant.slug}-{period.label}"
    if fmt == "csv":
        return csv_response(filename, headers, rows)
    return download_response(
        f"{filename}.xlsx", xlsx_bytes([(name, headers, rows)]), XLSX_CONTENT_TYPE
    )


def _pdf_table(headers: list[str], rows: list[list[Any]]) -> Table:
    table = Table(
        [headers, *[["" if v is None else str(v) for v in r] for r in rows]], repeatRows=1
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTSIZE", (0, 0), (-1, -1), 7),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#0b6e4f")),
                ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
            ]
        )
    )
    return table


@staff_page(*REPORT_ROLES)
def monthly_pdf(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    """The month on a few pages for the leadership (no personal data)."""
    period = _period(request, tenant)
    report = build(tenant, period)
    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, title=f"112 {tenant.short_name} {period.label}")
    totals = report.call_totals
    w = report.within_target
    story: list[Any] = [
        Paragraph(
            _("Laporan bulanan 112 %(name)s — %(period)s")
            % {"name": tenant.name, "period": period.label},
            styles["Title"],
        ),
        Paragraph(
            _("Panggilan: %(all)s; sah %(valid)s; tidak sah (prank/ghost) %(invalid)s.")
            % {
                "all": totals.get("valid", 0) + totals.get("invalid", 0),
                "valid": totals.get("valid", 0),
                "invalid": totals.get("invalid", 0),
            },
            styles["Normal"],
        ),
        Paragraph(
            _("Diteruskan dalam %(t)s menit: %(share)s%% dari %(n)s insiden.")
            % {
                "t": w["dispatch_target"],
                "share": w["dispatch_share"] if w["dispatch_share"] is not None else "-",
                "n": w["dispatched"],
            },
            styles["Normal"],
        ),
        Paragraph(
            _("Tim bergerak dalam %(t)s menit: %(share)s%% dari %(n)s insiden.")
            % {
                "t": w["moving_target"],
                "share": w["moving_share"] if w["moving_share"] is not None else "-",
                "n": w["moving"],
            },
            styles["Normal"],
        ),
        Spacer(1, 8),
        Paragraph(_("Insiden per kategori dan kecamatan"), styles["Heading2"]),
        _pdf_table(*_incident_tables(report)),
        Spacer(1, 8),
        Paragraph(_("Waktu respons per instansi (menit)"), styles["Heading2"]),
        _pdf_table(*_agency_table(report)),
        Spacer(1, 8),
        Paragraph(_("Panggilan per hari"), styles["Heading2"]),
        _pdf_table(*_call_table(report)),
    ]
    doc.build(story)
    return download_response(
        f"112-bulanan-{tenant.slug}-{period.label}.pdf", buffer.getvalue(), "application/pdf"
    )
