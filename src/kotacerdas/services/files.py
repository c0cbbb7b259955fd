"""Checking an upload by its content, not its name: Pillow for photos and scans, pypdf for PDFs."""

from __future__ import annotations

import warnings

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from kotacerdas.core.errors import DomainError

CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}
_IMAGE_FORMATS = {
    "JPEG": "jpg",
    "MPO": "jpg",
    "PNG": "png",
}  # MPO: some phone cameras' JPEG variant
TYPE_NAMES = {"pdf": "PDF", "jpg": "JPG (foto)", "png": "PNG"}


def _type_list(accepted: list[str]) -> str:
    return ", ".join(TYPE_NAMES[t] for t in accepted)


def inspect_upload(upload: UploadedFile, *, accepted: list[str], max_size_mb: int) -> str:
    """The file's real type (``pdf``, ``jpg`` or ``png``); ``DomainError`` with a clear message otherwise.

    Codes: ``file_empty``, ``file_too_large``, ``file_type``, ``file_corrupt``.
    """
    size = upload.size or 0
    if size == 0:
        raise DomainError(_("Berkas kosong. Pilih berkas lain."), code="file_empty")
    if size > max_size_mb * 1024 * 1024:
        raise DomainError(
            _(
                "Berkas terlalu besar (%(size).1f MB). Batasnya %(max)s MB; perkecil foto atau pindai ulang dengan resolusi lebih rendah."
            )
            % {"size": size / 1024 / 1024, "max": max_size_mb},
            code="file_too_large",
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    kind = "pdf" if head.startswith(b"%PDF-") else _image_kind(upload)
    if kind not in accepted:
        raise DomainError(
            _("Jenis berkas tidak diterima untuk dokumen ini. Gunakan %(types)s.")
            % {"types": _type_list(accepted)},
            code="file_type",
        )
    if kind == "pdf":
        _check_pdf(upload)
    upload.seek(0)
    return kind


def _image_kind(upload: UploadedFile) -> str:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                fmt = image.format or ""
                image.load()  # decodes every pixel: a truncated or damaged photo fails here
    except UnidentifiedImageError:
        return "unknown"
    except (
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        raise DomainError(
            _(
                "Gambar rusak atau terpotong dan tidak dapat dibuka. Foto ulang dokumen lalu unggah lagi."
            ),
            code="file_corrupt",
        ) from None
    return _IMAGE_FORMATS.get(fmt, "unknown")


def _check_pdf(upload: UploadedFile) -> None:
    upload.seek(0)
    try:
        reader = PdfReader(upload, strict=True)
        if len(reader.pages) == 0:
            raise PyPdfError("no pages")
        reader.pages[0].extract_text()
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, AttributeError, IndexError):
        raise DomainError(
            _(
                "Berkas PDF rusak atau tidak dapat dibaca. Simpan ulang atau pindai ulang dokumen lalu unggah lagi."
            ),
            code="file_corrupt",
        ) from None
