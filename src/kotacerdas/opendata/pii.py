"""The personal-data scanner that every tabular upload passes before it can be stored.

UU 27/2022 (Pelindungan Data Pribadi): open data never carries a NIK or KK number, a phone
number, an e-mail address, or a person's name together with an address. The scanner looks at
every cell (and at the column names, which often say what a column holds) and returns the
cells it suspects, so the producer can fix exactly those. It errs on the side of blocking: a
false alarm costs the producer an edit, a miss leaks a citizen's identity.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

# NIK and KK numbers are 16 digits starting with a province code (11 to 96); people write them
# with spaces or dots between groups, and spreadsheets store them as numbers.
NIK_RE = re.compile(r"(?<!\d)(?:1[1-9]|[2-9]\d)\d{4}[ .-]?\d{6}[ .-]?\d{4}(?!\d)")
# Indonesian phone numbers: mobiles (08…, +628…, 628…) and landlines written with +62 or an
# area code in brackets.
PHONE_RE = re.compile(
    r"(?<![\w+])(?:\+62|62|0)[ -]?8[1-9](?:[ -]?\d){6,11}(?!\d)"
    r"|\+62[ -]?\(?[1-9]\d{1,3}\)?(?:[ -]?\d){5,8}(?!\d)"
    r"|\(0[1-9]\d{1,3}\)[ -]?\d{3,4}[ -]?\d{3,5}(?!\d)"
)
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
STREET_RE = re.compile(
    r"\b(?:jl|jln|jalan|gg|gang|komp|kompleks|perum|perumahan|blok)\b\.?\s*\S+"
    r"|\brt\.?\s*/?\s*\d{1,3}\s*/?\s*(?:rw\.?\s*)?\d{1,3}\b",
    re.IGNORECASE,
)

# Column names that say what they hold, matched on their words ("hp_pelapor" has "hp").
ID_WORDS = {"nik", "kk", "nokk", "nomorkk", "nomorinduk", "kartukeluarga", "ktp"}
PHONE_WORDS = {
    "hp",
    "nohp",
    "telp",
    "notelp",
    "telepon",
    "phone",
    "wa",
    "whatsapp",
    "ponsel",
    "handphone",
}
EMAIL_WORDS = {"email", "surel", "mail"}
PERSON_WORDS = {
    "pelapor",
    "pemohon",
    "warga",
    "penduduk",
    "penerima",
    "pasien",
    "siswa",
    "pegawai",
    "fullname",
}
ADDRESS_WORDS = {"alamat", "address", "domisili", "rtrw", "rt", "rw"}
# "nama_kecamatan", "nama_opd" and the like name places and bodies, not people.
NOT_PERSON_WORDS = {
    "kecamatan",
    "kelurahan",
    "desa",
    "kabupaten",
    "kota",
    "provinsi",
    "wilayah",
    "opd",
    "dinas",
    "instansi",
    "unit",
    "layanan",
    "program",
    "kegiatan",
    "sekolah",
    "puskesmas",
    "rumah",
    "sakit",
    "rs",
    "jalan",
    "ruas",
    "pasar",
    "usaha",
    "perusahaan",
    "produk",
    "komoditas",
    "kategori",
    "jenis",
    "barang",
    "dataset",
    "kolom",
    "bulan",
    "hari",
    "objek",
    "wisata",
    "kantor",
    "faskes",
}


def _words(name: str) -> set[str]:
    """The words of a column name (snake_case, spaces, camelCase) and all of them joined."""
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", name).lower()
    parts = [w for w in re.split(r"[^a-z]+", spaced) if w]
    return set(parts) | {"".join(parts)}


def _is_person_column(words: set[str]) -> bool:
    if words & NOT_PERSON_WORDS:
        return False
    return "nama" in words or "name" in words or bool(words & PERSON_WORDS)


class Kind:
    NIK = "nik"
    PHONE = "telepon"
    EMAIL = "surel"
    NAME_ADDRESS = "nama_alamat"


KIND_LABELS = {
    Kind.NIK: _("nomor berbentuk NIK/KK"),
    Kind.PHONE: _("nomor telepon"),
    Kind.EMAIL: _("alamat surel"),
    Kind.NAME_ADDRESS: _("nama orang bersama alamat"),
}


@dataclass(frozen=True)
class Finding:
    row: int  # the row in the file as a spreadsheet shows it (the header is row 1)
    column: str
    kind: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "kind": self.kind}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return str(int(value))
    return str(value)


def scan_cell(value: Any) -> str | None:
    """The kind of personal data ``value`` looks like, or None."""
    text = _text(value).strip()
    if not text:
        return None
    if NIK_RE.search(text):
        return Kind.NIK
    if EMAIL_RE.search(text):
        return Kind.EMAIL
    if PHONE_RE.search(text):
        return Kind.PHONE
    return None


def scan_rows(
    columns: Sequence[str], rows: Iterable[tuple[int, Mapping[str, Any]]], *, limit: int = 200
) -> tuple[list[Finding], int]:
    """Scans ``rows`` (file row number, {column: value}); returns up to ``limit`` findings and
    the total number of suspect cells."""
    words = {column: _words(column) for column in columns}
    id_cols = {c for c, w in words.items() if w & ID_WORDS}
    phone_cols = {c for c, w in words.items() if w & PHONE_WORDS}
    email_cols = {c for c, w in words.items() if w & EMAIL_WORDS}
    address_cols = {c for c, w in words.items() if w & ADDRESS_WORDS}
    name_cols = {c for c, w in words.items() if _is_person_column(w)} - address_cols
    findings: list[Finding] = []
    total = 0

    def add(row: int, column: str, kind: str) -> None:
        nonlocal total
        total += 1
        if len(findings) < limit:
            findings.append(Finding(row, column, kind))

    for row_number, row in rows:
        has_address = any(_text(row.get(c)).strip() for c in address_cols) or any(
            STREET_RE.search(_text(v)) for v in row.values()
        )
        for column in columns:
            value = row.get(column)
            text = _text(value).strip()
            if not text or text in {"-", "0"}:
                continue
            kind = scan_cell(value)
            if kind is None:
                if column in id_cols and re.search(r"\d{6,}", text):
                    kind = Kind.NIK
                elif column in phone_cols and re.search(r"\d{6,}", text.replace(" ", "")):
                    kind = Kind.PHONE
                elif column in email_cols and "@" in text:
                    kind = Kind.EMAIL
                elif column in name_cols and has_address and re.search(r"[^\W\d_]{2}", text):
                    kind = Kind.NAME_ADDRESS
            if kind is not None:
                add(row_number, column, kind)
    return findings, total
