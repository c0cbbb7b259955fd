"""The personal-data check of uploads and of what is about to be submitted: a file with
cells that look like NIK/KK numbers, phone numbers, emails or names next to addresses is
refused with the cells listed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from kotacerdas.core.errors import DomainError
from kotacerdas.opendata import pii


class PersonalDataFound(DomainError):
    """The file holds cells that look like personal data; it was not stored."""

    code = "personal_data"
    status = 422

    def __init__(self, message: str, *, cells: list[dict[str, Any]], total: int):
        super().__init__(message)
        self.cells = cells
        self.total = total


def scan_json(content: bytes) -> tuple[list[pii.Finding], int]:
    try:
        document = json.loads(content)
    except (ValueError, UnicodeDecodeError):
        raise DomainError(
            _("Berkas bukan JSON yang sah."), code="invalid_json", status=422
        ) from None
    findings: list[pii.Finding] = []
    total = 0

    def walk(node: Any, path: str) -> None:
        nonlocal total
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, f"{path}.{key}" if path else str(key))
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{path}[{i}]")
        elif not isinstance(node, bool):
            kind = pii.scan_cell(node)
            if kind:
                total += 1
                if len(findings) < 200:
                    findings.append(pii.Finding(0, path, kind))

    walk(document, "")
    return findings, total


def scan_pdf(path: Path) -> tuple[list[pii.Finding], int]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        findings: list[pii.Finding] = []
        for number, page in enumerate(reader.pages, start=1):
            text = page.extract_text() or ""
            for line in text.splitlines():
                kind = pii.scan_cell(line)
                if kind:
                    findings.append(pii.Finding(number, _("halaman"), kind))
    except PdfReadError:
        raise DomainError(_("Berkas bukan PDF yang sah."), code="invalid_pdf", status=422) from None
    return findings[:200], len(findings)


def raise_findings(findings: list[pii.Finding], total: int) -> None:
    if not total:
        return
    first = findings[0]
    where = (
        _("baris %(row)s, kolom “%(column)s”") % {"row": first.row, "column": first.column}
        if first.row
        else _("“%(column)s”") % {"column": first.column}
    )
    raise PersonalDataFound(
        _(
            "Berkas memuat data pribadi dan tidak dapat diajukan: %(total)s sel, mis. %(kind)s "
            "pada %(where)s. Hapus atau samarkan sel-sel yang tercantum, lalu unggah lagi."
        )
        % {"total": total, "kind": pii.KIND_LABELS[first.kind], "where": where},
        cells=[f.as_dict() for f in findings],
        total=total,
    )
