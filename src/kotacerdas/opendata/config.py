"""The catalogue's configurable vocabularies.

The Satu Data field lists (data standard, MS-Keg, MS-Var) follow Perpres 39/2019 and
Peraturan BPS 5/2020 as far as the domain note confirms them; the note marks the exact
field sets as uncertain, so they are data here, not model columns: a Pemda (or a later
regulation) changes a list without a migration. ``OPENDATA_*`` settings override them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class License:
    id: str
    title: str
    url: str
    od_conformance: str = "approved"


LICENSES: dict[str, License] = {
    lic.id: lic
    for lic in [
        License(
            "CC-BY-4.0",
            "Creative Commons Attribution 4.0",
            "https://creativecommons.org/licenses/by/4.0/",
        ),
        License(
            "CC-BY-SA-4.0",
            "Creative Commons Attribution Share-Alike 4.0",
            "https://creativecommons.org/licenses/by-sa/4.0/",
        ),
        License(
            "CC0-1.0",
            "Creative Commons CCZero 1.0",
            "https://creativecommons.org/publicdomain/zero/1.0/",
        ),
        License(
            "ODC-BY-1.0",
            "Open Data Commons Attribution License 1.0",
            "https://opendatacommons.org/licenses/by/1-0/",
        ),
        License(
            "ODbL-1.0",
            "Open Data Commons Open Database License 1.0",
            "https://opendatacommons.org/licenses/odbl/1-0/",
        ),
    ]
}
DEFAULT_LICENSE = "CC-BY-4.0"

# Update frequency, keyed by the EU frequency vocabulary's codes (DCAT-AP dct:accrualPeriodicity).
FREQUENCIES: dict[str, Promise] = {
    "DAILY": _("Harian"),
    "WEEKLY": _("Mingguan"),
    "MONTHLY": _("Bulanan"),
    "QUARTERLY": _("Triwulanan"),
    "ANNUAL_2": _("Semesteran"),
    "ANNUAL": _("Tahunan"),
    "IRREG": _("Tidak tentu"),
    "NEVER": _("Tidak diperbarui"),
}

# Data standard (Perpres 39/2019 art. 6): concept, definition, classification, measure, unit,
# and the optional data-standard code (Peraturan BPS 4/2021, like SD00001.00.00).
DATA_STANDARD_FIELDS: dict[str, Promise] = {
    "konsep": _("Konsep"),
    "definisi": _("Definisi"),
    "klasifikasi": _("Klasifikasi"),
    "ukuran": _("Ukuran"),
    "satuan": _("Satuan"),
    "kode_standar": _("Kode standar data"),
}

# MS-Keg, the metadata of the activity that produced the data (Peraturan BPS 5/2020).
MS_KEG_FIELDS: dict[str, Promise] = {
    "penyelenggara": _("Penyelenggara"),
    "penanggung_jawab": _("Penanggung jawab (jabatan)"),
    "perencanaan": _("Perencanaan dan persiapan"),
    "desain": _("Desain kegiatan"),
    "sampel": _("Desain sampel"),
    "penjaminan_kualitas": _("Penjaminan kualitas"),
    "pengolahan": _("Pengolahan dan analisis"),
    "diseminasi": _("Diseminasi hasil"),
}

# MS-Var per column. ``name`` and ``type`` are the Table Schema's own keys; the others are
# stored as extra properties on the same field descriptor, so the dictionary travels with
# the data (Table Schema allows additional properties).
MS_VAR_FIELDS: dict[str, Promise] = {
    "title": _("Alias"),
    "description": _("Definisi"),
    "konsep": _("Konsep"),
    "referensi_waktu": _("Referensi waktu"),
    "satuan": _("Satuan"),
    "klasifikasi": _("Klasifikasi"),
    "aturan_validasi": _("Aturan validasi"),
}

# Groups every tenant starts with: the six smart-city dimensions and common Satu Data sectors.
DEFAULT_GROUPS: list[tuple[str, Promise]] = [
    ("smart-governance", _("Smart governance")),
    ("smart-branding", _("Smart branding")),
    ("smart-economy", _("Smart economy")),
    ("smart-living", _("Smart living")),
    ("smart-society", _("Smart society")),
    ("smart-environment", _("Smart environment")),
    ("kependudukan", _("Kependudukan")),
    ("kesehatan", _("Kesehatan")),
    ("pendidikan", _("Pendidikan")),
    ("infrastruktur", _("Infrastruktur")),
    ("pelayanan-publik", _("Pelayanan publik")),
]

TABULAR_FORMATS = {"CSV", "XLSX"}
FILE_FORMATS = {"CSV", "XLSX", "JSON", "GEOJSON", "PDF"}
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


def small_cell_threshold() -> int:
    """Aggregates below this count are suppressed in automatic datasets (a common rule is 5)."""
    return int(settings.OPENDATA_SMALL_CELL_THRESHOLD)
