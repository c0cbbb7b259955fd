"""The one PDF helper: A4 documents in DejaVu Sans, a font shipped in the package that has
every glyph we print (Indonesian text, "→", "–", "·", "≥", "Rp").

reportlab's built-in Helvetica covers Latin-1 only: an arrow or a "≥" comes out as a black
box. Every PDF of the platform is built here:

    story = [pdf.para(title, pdf.styles()["Title"]), pdf.table(headers, rows)]
    return download_response("laporan.pdf", pdf.build(title=title, story=story), PDF)

``para`` escapes its text, so user input is never read as reportlab markup.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, StyleSheet1, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"
HEADER_BACKGROUND = colors.HexColor("#e7f5ee")


@cache
def register_fonts() -> None:
    """Registers DejaVu Sans with reportlab once per process (``<b>``/``<i>`` map to it)."""
    for name in (FONT, FONT_BOLD, FONT_ITALIC):
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / f"{name}.ttf")))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD
    )


def styles() -> StyleSheet1:
    """reportlab's sample style sheet with every style in DejaVu Sans."""
    register_fonts()
    sheet = getSampleStyleSheet()
    for style in sheet.byName.values():
        if not isinstance(style, ParagraphStyle):
            continue
        font = style.fontName
        if "Bold" in font:
            style.fontName = FONT_BOLD
        elif "Italic" in font or "Oblique" in font:
            style.fontName = FONT_ITALIC
        else:
            style.fontName = FONT
    return sheet


def para(text: object, style: ParagraphStyle | None = None) -> Paragraph:
    """A paragraph of plain text (escaped); ``BodyText`` unless another style is given."""
    return Paragraph(escape(str(text)), style or styles()["BodyText"])


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    col_widths: Sequence[float] | None = None,
    font_size: float = 8,
) -> Table:
    """A grid with a bold, shaded header row repeated on every page; cells wrap."""
    cell = styles()["BodyText"].clone("cell", fontSize=font_size, leading=font_size * 1.25)
    head = cell.clone("head", fontName=FONT_BOLD)
    data = [[para(h, head) for h in headers]]
    data += [[para("" if v is None else v, cell) for v in row] for row in rows]
    grid = Table(data, repeatRows=1, colWidths=list(col_widths) if col_widths else None)
    grid.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),  # Table's default is Helvetica
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_BACKGROUND),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return grid


def _page_number(canvas: Canvas, doc: SimpleDocTemplate) -> None:
    canvas.saveState()
    canvas.setFont(FONT, 7)
    canvas.drawRightString(doc.pagesize[0] - doc.rightMargin, 0.8 * cm, str(doc.page))
    canvas.restoreState()


def build(
    *, title: str, story: Sequence[Flowable], wide: bool = False, author: str = "kotacerdas"
) -> bytes:
    """The PDF of ``story`` on A4 (``wide``: landscape), 1.5 cm margins, page numbers."""
    register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4) if wide else A4,
        title=title,
        author=author,
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        topMargin=1.5 * cm,
        bottomMargin=1.5 * cm,
        initialFontName=FONT,  # not Helvetica, even on a page that sets no font
    )
    doc.build(list(story), onFirstPage=_page_number, onLaterPages=_page_number)
    return buffer.getvalue()
