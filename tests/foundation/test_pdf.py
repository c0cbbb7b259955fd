"""core.pdf: every glyph we print survives (text extracted back with pypdf), in the shipped font."""

from __future__ import annotations

import io
from typing import Any

from pypdf import PdfReader

from kotacerdas.core import pdf

TEXT = "Kecamatan Cipocok Jaya → selesai 12–14 Mei · ≥ 90% · Rp 1.500.000"


def _extract(data: bytes) -> tuple[str, set[str]]:
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    fonts: set[str] = set()
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for font in resources["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    return text, fonts


def test_indonesian_text_and_arrows_render_in_dejavu_sans() -> None:
    sheet = pdf.styles()
    story = [
        pdf.para("Laporan <b>bulanan</b> & ringkasan", sheet["Title"]),  # escaped, not markup
        pdf.para(TEXT),
        pdf.table(["Dimensi", "Capaian"], [["Tata kelola → layanan", "≥ 90%"], ["Ekonomi", None]]),
    ]
    data = pdf.build(title="Uji", story=story)
    assert data.startswith(b"%PDF")
    text, fonts = _extract(data)
    assert TEXT in text
    assert "Laporan <b>bulanan</b> & ringkasan" in text
    assert "Tata kelola → layanan" in text
    assert fonts and all("DejaVuSans" in f for f in fonts)
    assert any(f.endswith("DejaVuSans-Bold") for f in fonts)  # the table header


def test_a_long_table_breaks_across_landscape_pages_with_page_numbers() -> None:
    rows = [[str(i), f"Kelurahan {i} → OPD"] for i in range(200)]
    data = pdf.build(title="Panjang", story=[pdf.table(["No", "Wilayah"], rows)], wide=True)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) > 1
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert width > height  # landscape A4
    assert "Kelurahan 199 → OPD" in reader.pages[-1].extract_text()
