"""The one upload validator: a file is judged by its bytes, never by its name.

- ``evidence_check(upload)``: evidence for reports and assessments (PDF, PNG, JPG, DOCX, XLSX).
- ``inspect_upload(upload, accepted=[...], max_size_mb=...)``: a document scan or photo
  (``pdf``, ``jpg``, ``png``), fully decoded so that a damaged file is refused.
- ``photo_read(upload, max_bytes=..., max_side=...)``: a photo to re-encode (complaints,
  economy), decoded and turned upright; built on ``image_header_check(raw)`` and
  ``image_open_reduced(raw, max_side)``: the pixel count is read from the header BEFORE any
  pixel is decoded, and a JPEG is decoded at a reduced scale.

Every refusal is a ``DomainError`` (HTTP 400) with one of these codes:
``file_empty``, ``file_too_large``, ``file_type``, ``file_corrupt``, ``file_too_many_pixels``.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from kotacerdas.core.errors import DomainError

# Checked from the header before decoding. 40 megapixels covers phone cameras (and JPEGs are
# decoded reduced); Pillow's own bomb limit (89 megapixels, ~270 MB decoded) is far too
# generous for a web worker: a 9000 x 9000 PNG of 79 KB would take ~250 MB.
MAX_PIXELS = 40_000_000
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
_OFFICE = b"PK\x03\x04"
# extension -> (content type, magic prefix)
EVIDENCE_KINDS = {
    ".pdf": ("application/pdf", b"%PDF-"),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _OFFICE),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _OFFICE),
}
CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}
# Pillow format -> our kind. MPO: some phone cameras' JPEG variant.
IMAGE_KINDS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
TYPE_NAMES = {"pdf": "PDF", "jpg": "JPG (foto)", "png": "PNG", "webp": "WebP", "gif": "GIF"}


def _too_large(size: int, max_bytes: int) -> DomainError:
    return DomainError(
        _("Berkas terlalu besar (%(size).1f MB). Batasnya %(max)s MB.")
        % {"size": size / 1024 / 1024, "max": f"{max_bytes / 1024 / 1024:g}"},
        code="file_too_large",
    )


def check_size(upload: UploadedFile, max_bytes: int) -> None:
    """``file_empty`` or ``file_too_large`` (by the upload's declared size)."""
    size = upload.size or 0
    if size == 0:
        raise DomainError(_("Berkas kosong. Pilih berkas lain."), code="file_empty")
    if size > max_bytes:
        raise _too_large(size, max_bytes)


def _corrupt() -> DomainError:
    return DomainError(
        _(
            "Berkas rusak atau terpotong dan tidak dapat dibuka. Simpan atau foto ulang, lalu unggah lagi."
        ),
        code="file_corrupt",
    )


# --- images ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImageHeader:
    kind: str  # jpg, png, webp, gif
    width: int
    height: int


def image_header_check(raw: bytes | IO[bytes], *, max_pixels: int = MAX_PIXELS) -> ImageHeader:
    """The image's kind and size, read from its header only (no pixel is decoded).

    ``file_type`` when it is not an image we accept, ``file_too_many_pixels`` above
    ``max_pixels``.
    """
    stream = io.BytesIO(raw) if isinstance(raw, bytes) else raw
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(stream) as header:  # lazy: reads the header only
                width, height = header.size
                kind = IMAGE_KINDS.get(header.format or "")
    except UnidentifiedImageError:
        kind, width, height = None, 0, 0
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow refuses the header of an extreme image outright.
        raise DomainError(_("Gambar terlalu besar."), code="file_too_many_pixels") from None
    except (OSError, SyntaxError, ValueError):
        raise _corrupt() from None
    finally:
        stream.seek(0)
    if kind is None:
        raise DomainError(_("Jenis gambar tidak diterima."), code="file_type")
    if width * height > max_pixels:
        raise DomainError(
            _("Gambar terlalu besar: %(w)d×%(h)d piksel (maksimal %(mp)s megapiksel).")
            % {"w": width, "h": height, "mp": f"{max_pixels / 1_000_000:g}"},
            code="file_too_many_pixels",
        )
    return ImageHeader(kind=kind, width=width, height=height)


def image_open_reduced(raw: bytes, *, max_side: int, max_pixels: int = MAX_PIXELS) -> Image.Image:
    """The image decoded (header checked first); a JPEG larger than ``max_side`` is decoded at
    1/2 to 1/8 scale (``draft``), so a 48-megapixel photo costs a few MB, not 150 MB.
    ``file_corrupt`` when the pixels cannot be decoded."""
    header = image_header_check(raw, max_pixels=max_pixels)
    # draft() keeps both sides at least the requested size: ask for the image's own shape
    # scaled to fit ``max_side``, or a wide photo would not be reduced at all.
    factor = min(1.0, max_side / max(header.width, header.height, 1))
    wanted = (max(1, int(header.width * factor)), max(1, int(header.height * factor)))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(raw))
            image.draft("RGB", wanted)
            image.load()
    except Exception:  # Pillow raises many kinds of error on hostile input
        raise _corrupt() from None
    return image


@dataclass(frozen=True)
class Photo:
    kind: str  # jpg, png, webp, gif
    raw: bytes  # the upload as it came (for private storage)
    upright: Image.Image  # decoded (reduced), turned by its EXIF orientation, RGB


def photo_read(
    upload: UploadedFile, *, max_bytes: int, max_side: int, max_pixels: int = MAX_PIXELS
) -> Photo:
    """A photo to re-encode: size checked, kind and pixel count read from the header, decoded
    (a large JPEG reduced to about ``max_side``), turned upright. Re-encode ``upright``
    without its metadata (GPS included) before showing it to anyone."""
    check_size(upload, max_bytes)
    upload.seek(0)
    raw = upload.read()
    if len(raw) > max_bytes:  # the declared size may lie
        raise _too_large(len(raw), max_bytes)
    return photo_decode(raw, max_side=max_side, max_pixels=max_pixels)


def photo_decode(raw: bytes, *, max_side: int, max_pixels: int = MAX_PIXELS) -> Photo:
    """``photo_read`` without the size checks, for bytes already accepted (a stored original)."""
    with image_open_reduced(raw, max_side=max_side, max_pixels=max_pixels) as image:
        kind = IMAGE_KINDS.get(image.format or "", "jpg")
        try:
            upright = ImageOps.exif_transpose(image).convert("RGB")
        except Exception:  # a hostile EXIF block
            raise _corrupt() from None
    return Photo(kind=kind, raw=raw, upright=upright)


# --- document scans and photos (services) ------------------------------------------------


def inspect_upload(
    upload: UploadedFile, *, accepted: list[str], max_size_mb: float, max_pixels: int = MAX_PIXELS
) -> str:
    """The file's real kind (``pdf``, ``jpg`` or ``png``), checked by content: an image's pixel
    count from its header, then every pixel decoded; a PDF opened and its first page read."""
    check_size(upload, int(max_size_mb * 1024 * 1024))
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        kind = "pdf"
    else:
        try:
            kind = image_header_check(upload, max_pixels=max_pixels).kind
        except DomainError as error:
            if error.code != "file_type":
                raise
            kind = "unknown"
    if kind not in accepted:
        raise DomainError(
            _("Jenis berkas tidak diterima. Gunakan %(types)s.")
            % {"types": ", ".join(TYPE_NAMES.get(t, t) for t in accepted)},
            code="file_type",
        )
    if kind == "pdf":
        _check_pdf(upload)
    else:
        _check_pixels(upload)
    upload.seek(0)
    return kind


def _check_pixels(upload: UploadedFile) -> None:
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                image.load()  # decodes every pixel: a truncated or damaged photo fails here
    except Exception:  # Pillow raises many kinds of error on hostile input
        raise _corrupt() from None


def _check_pdf(upload: UploadedFile) -> None:
    upload.seek(0)
    try:
        reader = PdfReader(upload, strict=True)
        if len(reader.pages) == 0:
            raise PyPdfError("no pages")
        reader.pages[0].extract_text()
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, AttributeError, IndexError):
        raise _corrupt() from None


# --- evidence files (planning, spbe) -----------------------------------------------------


@dataclass(frozen=True)
class EvidenceFile:
    name: str  # safe to echo in a Content-Disposition header
    extension: str
    content_type: str


def evidence_content_type(name: str) -> str:
    return EVIDENCE_KINDS.get(PurePath(name).suffix.lower(), ("application/octet-stream",))[0]


def evidence_check(upload: UploadedFile) -> EvidenceFile:
    """An acceptable evidence file (PDF, PNG, JPG, DOCX or XLSX up to 10 MB, checked by its
    first bytes, an image also by its header's pixel count, an Office file by its manifest);
    ``DomainError`` otherwise."""
    name = re.sub(r"[^\w.\- ]", "_", PurePath(upload.name or "").name)[:200]
    extension = PurePath(name).suffix.lower()
    if extension not in EVIDENCE_KINDS:
        raise DomainError(
            _("Jenis berkas tidak diterima. Unggah PDF, PNG, JPG, DOCX atau XLSX."),
            code="file_type",
        )
    check_size(upload, MAX_EVIDENCE_BYTES)
    content_type, magic = EVIDENCE_KINDS[extension]
    upload.seek(0)
    valid = upload.read(len(magic)) == magic
    upload.seek(0)
    if valid and magic == _OFFICE:
        try:
            with zipfile.ZipFile(upload) as archive:
                valid = "[Content_Types].xml" in archive.namelist()
        except zipfile.BadZipFile:
            valid = False
        upload.seek(0)
    if not valid:
        raise DomainError(
            _("Isi berkas “%(name)s” tidak sesuai dengan jenisnya.") % {"name": name},
            code="file_type",
        )
    if content_type.startswith("image/"):
        image_header_check(upload)
    return EvidenceFile(name=name, extension=extension, content_type=content_type)
