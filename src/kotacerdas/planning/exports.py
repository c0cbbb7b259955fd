"""The masterplan and the annual evaluation report as PDF (reportlab) and XLSX."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import Http404, HttpResponse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.platypus import Spacer

from kotacerdas.core import pdf
from kotacerdas.core.exports import XLSX_CONTENT_TYPE, download_response, xlsx_bytes
from kotacerdas.planning import selectors
from kotacerdas.planning.models import Programme, Term
from kotacerdas.planning.scoring import (
    COMPONENT_LABELS,
    COMPONENTS,
    display,
    display_local,
    rupiah,
)
from kotacerdas.tenants.models import Tenant

PDF = "application/pdf"
TERM_ORDER = {term.value: i for i, term in enumerate(Term)}


def _localized(cell: Any) -> Any:
    """A number of a spreadsheet row as a PDF prints it: in the reader's number format."""
    if isinstance(cell, float):
        cell = Decimal(f"{cell:g}")  # a target as typed: 75, 12.5
    return formats.localize(cell, use_l10n=True) if isinstance(cell, Decimal) else cell


def _number(value: Any) -> str:
    return format(value.normalize(), "f")


def _programmes(tenant: Tenant) -> list[Programme]:
    programmes = list(selectors.programmes_of(tenant))
    programmes.sort(key=lambda p: (p.dimension.order, TERM_ORDER[p.term], p.name))
    return programmes


def _kpi_text(programme: Programme) -> str:
    return "; ".join(
        f"{k.local_name} ({k.local_unit}): {_number(k.baseline)} → "
        + ", ".join(f"{t.year} {_number(t.value)}" for t in k.targets.all())
        for k in programme.kpis.all()
    )


def masterplan_rows(tenant: Tenant) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """The masterplan as tables, shared by the PDF and the XLSX so both show the same."""
    programmes = _programmes(tenant)
    return {
        "programmes": (
            [
                _("Dimensi"),
                _("Elemen"),
                _("Jangka"),
                _("Program"),
                _("OPD pengampu"),
                _("OPD pendukung"),
                _("Status"),
                _("Tahun"),
                _("Program RPJMD"),
                _("Pagu total (Rp)"),
            ],
            [
                [
                    p.dimension.local_name,
                    p.element.local_name,
                    p.get_term_display(),
                    p.local_name,
                    p.lead_opd.acronym,
                    ", ".join(o.acronym for o in p.supporting_opds.all()),
                    p.get_status_display(),
                    f"{p.start_year}–{p.end_year}",
                    p.rpjmd_programme,
                    int(sum(b.amount for b in p.budget_lines.all())),
                ]
                for p in programmes
            ],
        ),
        "budget": (
            [_("Program"), _("Tahun"), _("Sumber dana"), _("Pagu (Rp)")],
            [
                [p.local_name, b.year, b.get_source_display(), int(b.amount)]
                for p in programmes
                for b in p.budget_lines.all()
            ],
        ),
        "kpis": (
            [
                _("Program"),
                _("Indikator"),
                _("Satuan"),
                _("Nilai dasar"),
                _("Arah"),
                _("Target per tahun"),
            ],
            [
                [
                    p.local_name,
                    k.local_name,
                    k.local_unit,
                    float(k.baseline),
                    k.get_direction_display(),
                    "; ".join(f"{t.year}: {_number(t.value)}" for t in k.targets.all()),
                ]
                for p in programmes
                for k in p.kpis.all()
            ],
        ),
        "partners": (
            [_("Program"), _("Unsur pentahelix"), _("Mitra")],
            [
                [p.local_name, m.get_kind_display(), m.name]
                for p in programmes
                for m in p.partners.all()
            ],
        ),
    }


def masterplan_xlsx(tenant: Tenant) -> HttpResponse:
    tables = masterplan_rows(tenant)
    masterplan = selectors.masterplan_of(tenant)
    summary: list[list[Any]] = []
    if masterplan:
        summary = [
            [_("Judul"), masterplan.title],
            [_("Visi"), masterplan.vision],
            [_("Misi"), masterplan.mission],
            [_("Strategi"), masterplan.strategy],
            [_("Cakupan"), f"{masterplan.start_year}–{masterplan.end_year}"],
        ]
        summary += [
            [label, f"{first}–{last}"] for _t, label, first, last in masterplan.term_ranges()
        ]
    content = xlsx_bytes(
        [
            (_("Masterplan"), [_("Butir"), _("Isi")], summary),
            (_("Program"), *tables["programmes"]),
            (_("Anggaran"), *tables["budget"]),
            (_("IKU"), *tables["kpis"]),
            (_("Pentahelix"), *tables["partners"]),
        ]
    )
    return download_response(f"masterplan-{tenant.slug}.xlsx", content, XLSX_CONTENT_TYPE)


def masterplan_pdf(tenant: Tenant) -> HttpResponse:
    styles = pdf.styles()
    masterplan = selectors.masterplan_of(tenant)
    title = (
        masterplan.title
        if masterplan
        else _("Masterplan kota cerdas %(name)s") % {"name": tenant.name}
    )
    story: list[Any] = [pdf.para(title, styles["Title"]), pdf.para(tenant.name, styles["Normal"])]
    if masterplan:
        story += [
            pdf.para(_("Visi"), styles["Heading2"]),
            pdf.para(masterplan.vision, styles["BodyText"]),
            pdf.para(_("Misi"), styles["Heading2"]),
        ]
        story += [
            pdf.para(f"{i}. {m}", styles["BodyText"])
            for i, m in enumerate(masterplan.mission_items(), 1)
        ]
        if masterplan.strategy_items():
            story.append(pdf.para(_("Strategi"), styles["Heading2"]))
            story += [pdf.para(f"- {s}", styles["BodyText"]) for s in masterplan.strategy_items()]
        story.append(
            pdf.para(
                " · ".join(
                    f"{label}: {first}–{last}"
                    for _t, label, first, last in masterplan.term_ranges()
                ),
                styles["BodyText"],
            )
        )
    tables = masterplan_rows(tenant)
    headers, rows = tables["programmes"]
    story += [
        pdf.para(_("Program per dimensi dan jangka"), styles["Heading2"]),
        pdf.table(headers, [[*r[:-1], rupiah(r[-1])] for r in rows]),
    ]
    headers, rows = tables["budget"]
    story += [
        Spacer(1, 12),
        pdf.para(_("Anggaran"), styles["Heading2"]),
        pdf.table(headers, [[*r[:-1], rupiah(r[-1])] for r in rows]),
    ]
    headers, rows = tables["kpis"]
    story += [
        Spacer(1, 12),
        pdf.para(_("Indikator kinerja utama"), styles["Heading2"]),
        pdf.table(headers, [[*r[:3], _localized(r[3]), *r[4:]] for r in rows]),
    ]
    story.append(
        pdf.para(
            _("Dibuat %(when)s") % {"when": f"{timezone.localtime():%d-%m-%Y %H:%M}"},
            styles["Italic"],
        )
    )
    return download_response(
        f"masterplan-{tenant.slug}.pdf", pdf.build(title=title, story=story, wide=True), PDF
    )


def evaluation_rows(tenant: Tenant, year: int) -> tuple[list[str], list[list[Any]], Any]:
    results = {r.evaluation.year: r for r in selectors.evaluation_results(tenant)}
    result = results.get(year)
    if result is None:
        raise Http404("evaluation")
    scores = {s.dimension_id: s for s in result.evaluation.scores.all()}
    headers = [
        _("Dimensi"),
        *(str(COMPONENT_LABELS[n]) for n in COMPONENTS),
        _("Indeks"),
        _("Justifikasi"),
    ]
    rows = []
    for dimension, value in result.by_dimension:
        score = scores.get(dimension.pk)
        components = [score.components()[n] if score else "" for n in COMPONENTS]
        rows.append(
            [
                dimension.local_name,
                *components,
                Decimal(display(value)) if value is not None else "",
                score.justification if score else "",
            ]
        )
    return headers, rows, result


def _spbe_rows(tenant: Tenant) -> list[list[Any]]:
    return [[y, Decimal(display(i)), p] for y, i, p in selectors.spbe_trend(tenant)]


def evaluation_xlsx(tenant: Tenant, year: int) -> HttpResponse:
    headers, rows, result = evaluation_rows(tenant, year)
    weights = result.evaluation.weights()
    summary: list[list[Any]] = [
        [_("Tahun"), year],
        [_("Indeks keseluruhan"), Decimal(display(result.overall)) if result.overall else ""],
    ]
    summary += [
        [_("Bobot %(name)s (%%)") % {"name": COMPONENT_LABELS[n]}, w] for n, w in weights.items()
    ]
    sheets: list[tuple[str, list[str], list[list[Any]]]] = [
        (_("Ringkasan"), [_("Butir"), _("Nilai")], summary),
        (_("Dimensi"), headers, rows),
    ]
    spbe = _spbe_rows(tenant)
    if spbe:
        sheets.append((_("SPBE"), [_("Tahun"), _("Indeks SPBE"), _("Predikat")], spbe))
    return download_response(
        f"evaluasi-{tenant.slug}-{year}.xlsx", xlsx_bytes(sheets), XLSX_CONTENT_TYPE
    )


def evaluation_pdf(tenant: Tenant, year: int) -> HttpResponse:
    headers, rows, result = evaluation_rows(tenant, year)
    styles = pdf.styles()
    title = _("Laporan evaluasi kota cerdas %(year)s") % {"year": year}
    weights = " · ".join(
        f"{COMPONENT_LABELS[n]} {w}%" for n, w in result.evaluation.weights().items()
    )
    story: list[Any] = [
        pdf.para(title, styles["Title"]),
        pdf.para(tenant.name, styles["Normal"]),
        pdf.para(
            _("Indeks keseluruhan: %(index)s")
            % {"index": display_local(result.overall) if result.overall else "—"},
            styles["Heading2"],
        ),
        pdf.para(_("Bobot: %(weights)s") % {"weights": weights}, styles["BodyText"]),
        pdf.table(headers, [[_localized(c) for c in r] for r in rows]),
    ]
    spbe = [[_localized(c) for c in r] for r in _spbe_rows(tenant)]
    if spbe:
        story += [
            Spacer(1, 12),
            pdf.para(_("Indeks SPBE"), styles["Heading2"]),
            pdf.table([_("Tahun"), _("Indeks SPBE"), _("Predikat")], spbe),
        ]
    return download_response(
        f"evaluasi-{tenant.slug}-{year}.pdf", pdf.build(title=title, story=story, wide=True), PDF
    )
