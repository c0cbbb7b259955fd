"""Reports of the 112 desk: charts, CSV/XLSX exports, the regulator list and the monthly PDF."""

from __future__ import annotations

from typing import Any

from django.db.models import Min
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib.units import cm
from reportlab.platypus import Spacer

from kotacerdas.accounts.models import Role, User
from kotacerdas.core import pdf
from kotacerdas.core.exports import XLSX_CONTENT_TYPE, csv_response, download_response, xlsx_bytes
from kotacerdas.emergency.access import REPORT_ROLES, is_desk
from kotacerdas.emergency.models import Call, CallType, Incident, RegulatorReport
from kotacerdas.emergency.reports import BUCKETS, STAGES, Period, Report, build
from kotacerdas.emergency.views._common import desk_nav
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


def _agency_pdf_rows(report: Report) -> tuple[list[str], list[list[Any]]]:
    """Response times one row per agency and stage, so that the table fits A4 upright."""
    labels = stage_labels()
    headers = [_("Instansi"), _("Tahap"), _("Jumlah"), _("Median (menit)"), _("P90 (menit)")]
    rows = []
    for row in report.agency_times:
        for stage in STAGES:
            dist = row[stage]
            if dist.count:
                rows.append(
                    [
                        row["agency"],
                        labels[stage],
                        dist.count,
                        formats.number_format(dist.median, 1),
                        formats.number_format(dist.p90, 1),
                    ]
                )
    return headers, rows


def _share_text(share: float | None, count: int, target: int, *, moving: bool) -> str:
    """One sentence of the summary; with no incidents it says so instead of "-% of 0"."""
    if not count:
        return (
            _("Belum ada tim yang bergerak pada bulan ini.")
            if moving
            else _("Belum ada insiden yang diteruskan pada bulan ini.")
        )
    values = {"t": target, "share": formats.number_format(share or 0, 1), "n": count}
    if moving:
        return _("Tim bergerak dalam %(t)s menit: %(share)s%% dari %(n)s insiden.") % values
    return _("Diteruskan dalam %(t)s menit: %(share)s%% dari %(n)s insiden.") % values


@staff_page(*REPORT_ROLES)
def monthly_pdf(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    """The month on a few A4 pages for the leadership (no personal data)."""
    period = _period(request, tenant)
    report = build(tenant, period)
    sheet = pdf.styles()
    totals = report.call_totals
    w = report.within_target
    title = _("Laporan bulanan 112 %(name)s — %(period)s") % {
        "name": tenant.name,
        "period": period.label,
    }
    calls = totals.get("valid", 0) + totals.get("invalid", 0)
    incident_headers, incident_rows = _incident_tables(report)
    agency_headers, agency_rows = _agency_pdf_rows(report)
    call_headers, call_rows = _call_table(report)
    none = _("Tidak ada data pada bulan ini.")
    story: list[Any] = [
        pdf.para(title, sheet["Title"]),
        pdf.para(
            _("Panggilan: %(all)s; sah %(valid)s; tidak sah (prank/ghost) %(invalid)s.")
            % {
                "all": calls,
                "valid": totals.get("valid", 0),
                "invalid": totals.get("invalid", 0),
            }
        ),
        pdf.para(
            _share_text(w["dispatch_share"], w["dispatched"], w["dispatch_target"], moving=False)
        ),
        pdf.para(_share_text(w["moving_share"], w["moving"], w["moving_target"], moving=True)),
        Spacer(1, 8),
        pdf.para(_("Insiden per kategori dan kecamatan"), sheet["Heading2"]),
        pdf.table(incident_headers, incident_rows, col_widths=[3 * cm, 11 * cm, 3 * cm])
        if incident_rows
        else pdf.para(none),
        Spacer(1, 8),
        pdf.para(_("Waktu respons per instansi (menit)"), sheet["Heading2"]),
        pdf.table(
            agency_headers,
            agency_rows,
            col_widths=[3.5 * cm, 5.5 * cm, 2.5 * cm, 3 * cm, 3 * cm],
        )
        if agency_rows
        else pdf.para(none),
        Spacer(1, 8),
        pdf.para(_("Panggilan per hari"), sheet["Heading2"]),
        pdf.table(call_headers, call_rows, col_widths=[3 * cm] + [2.4 * cm] * 6, font_size=7)
        if calls
        else pdf.para(none),
    ]
    return download_response(
        f"112-bulanan-{tenant.slug}-{period.label}.pdf",
        pdf.build(title=title, story=story),
        "application/pdf",
    )
