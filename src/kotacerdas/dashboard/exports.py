"""The KPI table as XLSX and the monthly leader's report as an A4 PDF (through the platform's
PDF helper, ``core/pdf.py``) with charts drawn server-side by reportlab graphics: no browser,
no outside service."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import cm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from kotacerdas.core import pdf
from kotacerdas.core.exports import xlsx_bytes
from kotacerdas.dashboard.selectors import Overview
from kotacerdas.dashboard.templatetags.dashboard_tags import format_value

LIGHT_COLOURS = {
    "ok": colors.HexColor("#2e7d32"),
    "warn": colors.HexColor("#f9a825"),
    "bad": colors.HexColor("#c62828"),
    "neutral": colors.HexColor("#607d8b"),
    "none": colors.HexColor("#bdbdbd"),
}
# The figures drawn as 12-month charts in the PDF, when they are registered.
CHARTED = [
    "complaints.received",
    "complaints.responded_within_sla",
    "services.received",
    "services.completed_within_sla",
    "emergency.calls",
    "emergency.moving_within_target",
]


def headers() -> list[str]:
    return [
        _("Dimensi"),
        _("Aplikasi"),
        _("Kode"),
        _("Indikator"),
        _("Nilai"),
        _("Satuan"),
        _("Periode lalu"),
        _("Target"),
        _("Status"),
        _("Dihitung"),
    ]


def rows(overview: Overview) -> list[list[Any]]:
    at = timezone.localtime(overview.computed_at).strftime("%Y-%m-%d %H:%M")
    return [
        [
            label,
            f.kpi.app,
            f.kpi.code,
            str(f.kpi.name),
            None if f.value is None else round(f.value, 4),
            f.kpi.unit,
            None if f.previous is None else round(f.previous, 4),
            f.kpi.target,
            f.status_label,
            at,
        ]
        for _code, label, items in overview.by_dimension()
        for f in items
    ]


def kpi_xlsx(overview: Overview) -> bytes:
    return xlsx_bytes([(overview.period.label, headers(), rows(overview))])


def _line_chart(title: str, months: list[str], values: list[float | None]) -> Drawing:
    width, height = 8.2 * cm, 5.2 * cm
    drawing = Drawing(width, height)
    drawing.add(String(4, height - 12, title, fontName=pdf.FONT_BOLD, fontSize=8))
    present = [v for v in values if v is not None]
    if not present:
        drawing.add(String(4, height / 2, _("Belum ada data."), fontName=pdf.FONT, fontSize=8))
        return drawing
    chart: HorizontalLineChart | VerticalBarChart = VerticalBarChart()
    chart.x, chart.y = 28, 22
    chart.width, chart.height = width - 36, height - 44
    chart.data = [[v if v is not None else 0 for v in values]]
    chart.categoryAxis.categoryNames = [m.split()[0] for m in months]
    chart.categoryAxis.labels.fontSize = 6
    chart.categoryAxis.labels.fontName = pdf.FONT
    chart.valueAxis.labels.fontName = pdf.FONT
    chart.valueAxis.labels.fontSize = 6
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(present) * 1.15 or 1
    chart.bars[0].fillColor = colors.HexColor("#0b6e4f")
    drawing.add(chart)
    return drawing


def leader_pdf(overview: Overview, trend: dict[str, Any]) -> bytes:
    styles = pdf.styles()
    small = styles["BodyText"].clone("small", fontSize=8, leading=10)
    tenant = overview.scope.tenant
    story: list[Any] = [
        Paragraph(escape(_("Laporan pimpinan: %(name)s") % {"name": tenant.name}), styles["Title"]),
        Paragraph(
            escape(
                _("Periode %(period)s, dibandingkan dengan %(previous)s. Angka dihitung %(at)s.")
                % {
                    "period": overview.period.label,
                    "previous": overview.previous.label,
                    "at": timezone.localtime(overview.computed_at).strftime("%d-%m-%Y %H:%M"),
                }
            ),
            styles["BodyText"],
        ),
        Spacer(1, 0.3 * cm),
    ]
    labels = {f.kpi.key: str(f.kpi.name) for f in overview.figures}
    charts = [
        _line_chart(labels[key], trend["months"], trend["series"][key])
        for key in CHARTED
        if key in labels and key in trend["series"]
    ]
    if charts:
        story.append(Paragraph(escape(_("Tren 12 bulan")), styles["Heading2"]))
        grid = [charts[i : i + 2] for i in range(0, len(charts), 2)]
        if len(grid[-1]) == 1:
            grid[-1].append(Drawing(1, 1))
        story.append(Table(grid, colWidths=[8.8 * cm, 8.8 * cm]))
    for _code, label, items in overview.by_dimension():
        data: list[list[Any]] = [
            [
                Paragraph(f"<b>{escape(_('Indikator'))}</b>", small),
                Paragraph(f"<b>{escape(_('Nilai'))}</b>", small),
                Paragraph(f"<b>{escape(_('Periode lalu'))}</b>", small),
                Paragraph(f"<b>{escape(_('Target'))}</b>", small),
                Paragraph(f"<b>{escape(_('Status'))}</b>", small),
            ]
        ]
        style = [
            ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8f0ec")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("FONTNAME", (0, 0), (-1, -1), pdf.FONT),
        ]
        for row, f in enumerate(items, start=1):
            unit = f.kpi.unit
            data.append(
                [
                    Paragraph(escape(str(f.kpi.name)), small),
                    Paragraph(escape(f"{format_value(f.value, unit)} {unit}"), small),
                    Paragraph(
                        "—" if f.kpi.snapshot else escape(format_value(f.previous, unit)), small
                    ),
                    Paragraph(
                        "—" if f.kpi.target is None else escape(format_value(f.kpi.target, unit)),
                        small,
                    ),
                    Paragraph(escape(f.status_label), small),
                ]
            )
            style.append(("BACKGROUND", (4, row), (4, row), LIGHT_COLOURS[f.status]))
            style.append(("TEXTCOLOR", (4, row), (4, row), colors.white))
        table = Table(
            data, colWidths=[7.4 * cm, 2.9 * cm, 2.4 * cm, 2 * cm, 3.1 * cm], repeatRows=1
        )
        table.setStyle(TableStyle(style))
        heading = Paragraph(escape(label), styles["Heading2"])
        # A short group stays with its heading; a long one may break, its header repeated.
        story.extend([KeepTogether([heading, table])] if len(data) <= 8 else [heading, table])
        story.append(Spacer(1, 0.2 * cm))
    return pdf.build(title=_("Laporan pimpinan"), story=story)
