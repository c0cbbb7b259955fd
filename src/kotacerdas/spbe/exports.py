"""The assessment as XLSX and PDF, with what the assessment page shows."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.units import cm
from reportlab.platypus import Spacer

from kotacerdas.core import pdf
from kotacerdas.core.exports import xlsx_bytes
from kotacerdas.spbe.scoring import display, display_local
from kotacerdas.spbe.selectors import AssessmentResult


def _title(result: AssessmentResult) -> str:
    a = result.assessment
    return _("Evaluasi mandiri SPBE %(tenant)s tahun %(year)s") % {
        "tenant": a.tenant.name,
        "year": a.year,
    }


def summary_rows(result: AssessmentResult, *, for_pdf: bool = False) -> list[list[Any]]:
    """The summary; indices as numbers for a spreadsheet (its cells format them by locale),
    as text in the page's number format for the PDF."""

    def number(index: Any) -> Any:
        return display_local(index) if for_pdf else float(display(index))

    a = result.assessment
    rows: list[list[Any]] = [
        [_("Pemerintah daerah"), a.tenant.name, ""],
        [_("Kerangka"), a.framework.name, ""],
        [_("Tahun"), a.year, ""],
        [_("Status"), a.get_status_display(), ""],
    ]
    if result.score is None:
        rows.append(
            [
                _("Indeks SPBE"),
                _("belum lengkap (%(done)s dari %(total)s indikator)")
                % {"done": result.scored_count, "total": len(result.rows)},
                "",
            ]
        )
        return rows
    rows.append([_("Indeks SPBE"), number(result.score.index), result.score.predicate])
    rows += [
        [f"{d.code} {d.local_name}", number(d.index), d.predicate] for d in result.score.domains
    ]
    rows += [[f"{x.code} {x.local_name}", number(x.index), ""] for x in result.score.aspects]
    return rows


def indicator_rows(result: AssessmentResult) -> list[list[Any]]:
    return [
        [
            r.indicator.number,
            r.indicator.domain,
            r.indicator.aspect,
            r.indicator.name,
            r.indicator.name_en,
            float(r.indicator.weight),
            r.level or "",
            r.level_name,
            r.justification,
            len(r.evidence),
        ]
        for r in result.rows
    ]


def assessment_xlsx(result: AssessmentResult) -> bytes:
    return xlsx_bytes(
        [
            (_("Ringkasan"), [_("Butir"), _("Nilai"), _("Predikat")], summary_rows(result)),
            (
                _("Indikator"),
                [
                    _("Nomor"),
                    _("Domain"),
                    _("Aspek"),
                    _("Indikator"),
                    _("Indikator (Inggris)"),
                    _("Bobot"),
                    _("Tingkat"),
                    _("Nama tingkat"),
                    _("Penjelasan"),
                    _("Jumlah bukti"),
                ],
                indicator_rows(result),
            ),
        ]
    )


def assessment_pdf(result: AssessmentResult) -> bytes:
    """The assessment on A4 through ``core.pdf`` (DejaVu Sans: every glyph prints)."""
    styles = pdf.styles()
    story: list[Any] = [
        pdf.para(_title(result), styles["Title"]),
        pdf.para(
            _("Dicetak %(when)s") % {"when": timezone.localtime().strftime("%d-%m-%Y %H:%M")},
            styles["Normal"],
        ),
        Spacer(1, 0.4 * cm),
        pdf.table(
            [_("Butir"), _("Nilai"), _("Predikat")],
            summary_rows(result, for_pdf=True),
            col_widths=[9 * cm, 5 * cm, 4 * cm],
        ),
        Spacer(1, 0.5 * cm),
        pdf.table(
            [_("Nomor"), _("Indikator"), _("Bobot"), _("Tingkat"), _("Penjelasan")],
            [
                [
                    r.indicator.number,
                    f"{r.indicator.name} / {r.indicator.name_en}"
                    if r.indicator.name_en
                    else r.indicator.name,
                    r.indicator.weight_display,
                    f"{r.level or '-'} {r.level_name}",
                    r.justification[:600],
                ]
                for r in result.rows
            ],
            col_widths=[1.2 * cm, 6.5 * cm, 1.3 * cm, 2.7 * cm, 6.3 * cm],
        ),
    ]
    return pdf.build(title=_title(result), story=story)
