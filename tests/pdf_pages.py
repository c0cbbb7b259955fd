"""PDFs as a reader sees them: every page rendered to an image (poppler's pdftoppm), and the
check that nothing runs into the page's side margins (a table wider than the page would)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from PIL import Image

A4_SHORT_CM, A4_LONG_CM = 21.0, 29.7


def render_pages(content: bytes, tmp_path: Path) -> list[Image.Image]:
    """Every page of the PDF as a greyscale image at 60 dpi."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    source = tmp_path / "document.pdf"
    source.write_bytes(content)
    subprocess.run(
        [
            shutil.which("pdftoppm") or "/usr/bin/pdftoppm",
            "-r",
            "60",
            "-png",
            str(source),
            str(tmp_path / "page"),
        ],
        check=True,
        timeout=60,
    )
    return [Image.open(p).convert("L") for p in sorted(tmp_path.glob("page*.png"))]


def is_a4(page: Image.Image) -> bool:
    """Upright or landscape A4 (within a pixel or two of rounding)."""
    short, long = sorted(page.size)
    return abs(long / short - A4_LONG_CM / A4_SHORT_CM) < 0.01


def margins_are_blank(page: Image.Image) -> bool:
    """Nothing is drawn in the outer 1.2 cm of either side (the layout keeps 1.5 cm)."""
    width, height = page.size
    page_cm = A4_SHORT_CM if width < height else A4_LONG_CM
    strip = round(width * 1.2 / page_cm)
    for box in ((0, 0, strip, height), (width - strip, 0, width, height)):
        low, _high = page.crop(box).getextrema()
        if low < 250:
            return False
    return True
