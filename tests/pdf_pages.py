"""PDFs as a reader sees them: every page rendered to an image (PDFium, through pypdfium2), and
the check that nothing runs into the page's side margins (a table wider than the page would)."""

from __future__ import annotations

import pypdfium2 as pdfium
from PIL import Image

A4_SHORT_CM, A4_LONG_CM = 21.0, 29.7


def render_pages(content: bytes) -> list[Image.Image]:
    """Every page of the PDF as a greyscale image at 60 dpi."""
    document = pdfium.PdfDocument(content)
    try:
        return [page.render(scale=60 / 72).to_pil().convert("L") for page in document]
    finally:
        document.close()


def is_a4(page: Image.Image) -> bool:
    """Upright or landscape A4 (within rounding)."""
    short, long = sorted(page.size)
    return abs(long / short - A4_LONG_CM / A4_SHORT_CM) < 0.01


def margins_are_blank(page: Image.Image) -> bool:
    """Nothing is drawn in the outer 1.2 cm of either side (the layout keeps 1.5 cm)."""
    width, height = page.size
    page_cm = A4_SHORT_CM if width < height else A4_LONG_CM
    strip = round(width * 1.2 / page_cm)
    for box in ((0, 0, strip, height), (width - strip, 0, width, height)):
        low, _high = page.crop(box).getextrema()
        if low < 250:  # type: ignore[operator]
            return False
    return True
