"""Content checks for evidence uploads: the bytes must be what the file name says."""

from __future__ import annotations

import zipfile
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from kotacerdas.core.errors import DomainError

MAX_BYTES = 10 * 1024 * 1024

# extension -> (content type, magic prefix)
KINDS = {
    ".pdf": ("application/pdf", b"%PDF-"),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        b"PK\x03\x04",
    ),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK\x03\x04"),
}


def check_upload(upload: UploadedFile) -> tuple[str, str]:
    """(extension, content type) of an acceptable evidence file; ``DomainError`` otherwise."""
    name = upload.name or ""
    extension = PurePath(name).suffix.lower()
    if extension not in KINDS:
        raise DomainError(
            _("Jenis berkas tidak diterima. Unggah PDF, PNG, JPG, DOCX atau XLSX."),
            code="file_type",
        )
    if not upload.size or upload.size > MAX_BYTES:
        raise DomainError(_("Berkas kosong atau lebih dari 10 MB."), code="file_size")
    content_type, magic = KINDS[extension]
    upload.seek(0)
    head = upload.read(len(magic))
    upload.seek(0)
    valid = head == magic
    if valid and magic == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(upload) as archive:
                valid = "[Content_Types].xml" in archive.namelist()
        except zipfile.BadZipFile:
            valid = False
        upload.seek(0)
    if not valid:
        raise DomainError(
            _("Isi berkas “%(name)s” tidak sesuai dengan jenisnya.") % {"name": name},
            code="file_content",
        )
    return extension, content_type
