"""Evidence files (reports, assessments): the bytes must be what the file name says."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from kotacerdas.core.errors import DomainError

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


@dataclass(frozen=True)
class EvidenceFile:
    name: str  # safe to echo in a Content-Disposition header
    extension: str
    content_type: str


def evidence_content_type(name: str) -> str:
    return EVIDENCE_KINDS.get(PurePath(name).suffix.lower(), ("application/octet-stream",))[0]


def evidence_check(upload: UploadedFile) -> EvidenceFile:
    """An acceptable evidence file (PDF, PNG, JPG, DOCX or XLSX up to 10 MB, checked by its
    first bytes and, for Office files, by the archive's manifest); ``DomainError`` otherwise."""
    name = re.sub(r"[^\w.\- ]", "_", PurePath(upload.name or "").name)[:200]
    extension = PurePath(name).suffix.lower()
    if extension not in EVIDENCE_KINDS:
        raise DomainError(
            _("Jenis berkas tidak diterima. Unggah PDF, PNG, JPG, DOCX atau XLSX."),
            code="file_type",
        )
    if not upload.size or upload.size > MAX_EVIDENCE_BYTES:
        raise DomainError(_("Berkas kosong atau lebih dari 10 MB."), code="file_size")
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
            code="file_content",
        )
    return EvidenceFile(name=name, extension=extension, content_type=content_type)
