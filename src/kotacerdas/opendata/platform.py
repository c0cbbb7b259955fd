"""Datasets the platform publishes from its own modules.

Each generator reads another app ONLY through that app's selectors or the KPI registry (no
model imports) and returns aggregate tables. Counts below the small-cell threshold
(``OPENDATA_SMALL_CELL_THRESHOLD``, default 5) are suppressed together with every figure
derived from the same cell (a median of three complaints describes three people), and the
row says so in ``disamarkan``. Publishing is idempotent: an unchanged table adds no version.

Other apps (sensors, Wi-Fi) add their tables with an AppConfig attribute
``opendata_datasets = "kotacerdas.<app>.<module>.<function>"``: ``fn(tenant) ->
list[PlatformTable]``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any
from zoneinfo import ZoneInfo

from django.apps import apps
from django.utils.translation import gettext as _

from kotacerdas.opendata.config import small_cell_threshold
from kotacerdas.tenants.models import Tenant


@dataclass
class Column:
    name: str
    type: str  # Table Schema type
    title: str = ""
    description: str = ""
    satuan: str = ""


@dataclass
class PlatformTable:
    key: str  # unique per tenant, stable: the dataset's platform_key
    title: str
    notes: str
    opd_acronym: str
    columns: list[Column]
    rows: list[list[Any]]
    groups: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    frequency: str = "MONTHLY"
    primary_key: list[str] = field(default_factory=list)
    # Columns holding counts of people or cases: these decide suppression.
    count_columns: list[str] = field(default_factory=list)


def suppress(table: PlatformTable, *, threshold: int | None = None) -> PlatformTable:
    """Blanks every figure of a row whose count columns hold a value under the threshold
    (zero is not suppressed: it identifies no one) and marks the row ``disamarkan``."""
    limit = small_cell_threshold() if threshold is None else threshold
    names = [c.name for c in table.columns]
    keep = set(table.primary_key)
    counts = [names.index(c) for c in table.count_columns]
    rows = []
    for row in table.rows:
        small = any(isinstance(row[i], int | float) and 0 < row[i] < limit for i in counts)
        kept = [value if names[i] in keep else None for i, value in enumerate(row)]
        rows.append([*(kept if small else row), small])
    table.columns = [
        *table.columns,
        Column(
            "disamarkan",
            "boolean",
            _("Disamarkan"),
            _("Benar bila angka baris ini dikosongkan karena kurang dari %(n)s kasus.")
            % {"n": limit},
        ),
    ]
    table.rows = rows
    return table


def _months(
    tenant: Tenant, count: int, today: dt.date
) -> list[tuple[str, dt.datetime, dt.datetime]]:
    """The last ``count`` whole months before ``today``'s month, as (YYYY-MM, start, end)."""
    zone = ZoneInfo(tenant.time_zone)
    first = today.replace(day=1)
    result = []
    for _i in range(count):
        end = first
        first = (first - dt.timedelta(days=1)).replace(day=1)
        result.append(
            (
                f"{first:%Y-%m}",
                dt.datetime.combine(first, dt.time(), tzinfo=zone),
                dt.datetime.combine(end, dt.time(), tzinfo=zone),
            )
        )
    return sorted(result)


def _kecamatan(tenant: Tenant) -> list[tuple[str, str]]:
    from kotacerdas.regions.selectors import region_children

    return [(r.code, r.name) for r in region_children(tenant.region)]


def _kpi(key: str) -> Any:
    from kotacerdas.core.kpis import get

    return get(key)


def _value(
    key: str, tenant: Tenant, start: dt.datetime, end: dt.datetime, kecamatan: str | None = None
) -> float | None:
    from kotacerdas.core.kpis import KpiQuery

    kpi = _kpi(key)
    if kpi is None:
        return None
    value = kpi.compute(KpiQuery(tenant=tenant, start=start, end=end, kecamatan=kecamatan))
    return None if value is None else round(float(value), 2)


def _int(value: float | None) -> int:
    return int(value or 0)


# Columns several tables share. Functions, not constants: their titles are translated when a
# table is built, in the language active then.
def _kecamatan_columns() -> list[Column]:
    return [
        Column("kode_kecamatan", "string", _("Kode kecamatan"), _("Kode wilayah Kemendagri")),
        Column("kecamatan", "string", _("Kecamatan")),
    ]


def _month_column(description: str = "") -> Column:
    return Column("bulan", "string", _("Bulan"), description)


def _median_resolution_column(unit: str) -> Column:
    return Column(
        f"median_{unit}_penyelesaian", "number", _("Median waktu penyelesaian"), satuan=unit
    )


def _rating_column() -> Column:
    return Column(
        "rata_rata_penilaian", "number", _("Rata-rata penilaian warga"), satuan="skor 1-5"
    )


def complaints_per_opd_month(tenant: Tenant, today: dt.date) -> list[PlatformTable]:
    if not apps.is_installed("kotacerdas.complaints"):
        return []
    selectors = import_module("kotacerdas.complaints.selectors")
    rows = [
        [
            s.opd,
            s.month,
            s.received,
            s.responded,
            None if s.within_sla_share is None else round(s.within_sla_share * 100, 1),
            s.median_hours_first_response,
            s.median_hours_resolution,
            s.average_rating,
        ]
        # complaints needs an explicit period (it counts in SQL over it): the whole history
        # up to today, as before.
        for s in selectors.statistics_per_opd_month(
            tenant=tenant,
            start=dt.datetime(2000, 1, 1, tzinfo=dt.UTC),
            end=dt.datetime.combine(today + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC),
        )
    ]
    return [
        PlatformTable(
            key="aduan-per-opd-bulan",
            title=_("Aduan warga per OPD per bulan"),
            notes=_(
                "Aduan yang diteruskan ke tiap OPD per bulan: jumlah, tanggapan, ketepatan SLA, median waktu, dan penilaian warga. Angka di bawah ambang disamarkan."
            ),
            opd_acronym="Diskominfo",
            columns=[
                Column("opd", "string", _("OPD")),
                _month_column(_("Tahun-bulan disposisi (YYYY-MM)")),
                Column("diterima", "integer", _("Diterima"), satuan="aduan"),
                Column("ditanggapi", "integer", _("Ditanggapi"), satuan="aduan"),
                Column("persen_dalam_sla", "number", _("Ditanggapi dalam SLA"), satuan="%"),
                Column("median_jam_tanggapan", "number", _("Median waktu tanggapan"), satuan="jam"),
                _median_resolution_column("jam"),
                _rating_column(),
            ],
            rows=rows,
            groups=["smart-governance", "pelayanan-publik"],
            tags=["aduan", "SP4N-LAPOR"],
            primary_key=["opd", "bulan"],
            count_columns=["diterima", "ditanggapi"],
        )
    ]


def complaints_per_kecamatan_month(tenant: Tenant, today: dt.date) -> list[PlatformTable]:
    if _kpi("complaints.received") is None:
        return []
    rows = []
    for month, start, end in _months(tenant, 12, today):
        for code, name in _kecamatan(tenant):
            received = _int(_value("complaints.received", tenant, start, end, code))
            rows.append(
                [
                    code,
                    name,
                    month,
                    received,
                    _value("complaints.responded_within_sla", tenant, start, end, code)
                    if received
                    else None,
                    _value("complaints.median_resolution", tenant, start, end, code)
                    if received
                    else None,
                    _value("complaints.average_rating", tenant, start, end, code)
                    if received
                    else None,
                ]
            )
    return [
        PlatformTable(
            key="aduan-per-kecamatan-bulan",
            title=_("Aduan warga per kecamatan per bulan"),
            notes=_(
                "Aduan warga menurut kecamatan lokasi dan bulan masuk, 12 bulan terakhir. Angka di bawah ambang disamarkan."
            ),
            opd_acronym="Diskominfo",
            columns=[
                *_kecamatan_columns(),
                _month_column(_("Tahun-bulan masuk (YYYY-MM)")),
                Column("diterima", "integer", _("Diterima"), satuan="aduan"),
                Column("persen_dalam_sla", "number", _("Ditanggapi dalam SLA"), satuan="%"),
                _median_resolution_column("hari"),
                _rating_column(),
            ],
            rows=rows,
            groups=["smart-governance", "pelayanan-publik"],
            tags=["aduan", "kecamatan"],
            primary_key=["kode_kecamatan", "bulan"],
            count_columns=["diterima"],
        )
    ]


def complaints_per_category_month(tenant: Tenant, today: dt.date) -> list[PlatformTable]:
    if not apps.is_installed("kotacerdas.complaints"):
        return []
    selectors = import_module("kotacerdas.complaints.selectors")
    months = _months(tenant, 12, today)
    rows = [
        [
            s.code,
            s.name,
            s.month,
            s.received,
            s.resolved,
            s.resolved_on_time,
            s.median_hours_resolution,
            s.average_rating,
        ]
        for s in selectors.statistics_per_category_month(
            tenant=tenant, start=months[0][1], end=months[-1][2]
        )
    ]
    return [
        PlatformTable(
            key="aduan-per-kategori-bulan",
            title=_("Aduan warga per kategori per bulan"),
            notes=_(
                "Aduan warga menurut kategori dan bulan masuk, 12 bulan terakhir: jumlah, selesai, selesai sebelum batas waktu, median waktu penyelesaian, dan penilaian warga. Angka di bawah ambang disamarkan."
            ),
            opd_acronym="Diskominfo",
            columns=[
                Column("kode_kategori", "string", _("Kode kategori"), _("Kode layanan Open311")),
                Column("kategori", "string", _("Kategori")),
                _month_column(_("Tahun-bulan masuk (YYYY-MM)")),
                Column("diterima", "integer", _("Diterima"), satuan="aduan"),
                Column("selesai", "integer", _("Selesai"), satuan="aduan"),
                Column("selesai_tepat_waktu", "integer", _("Selesai tepat waktu"), satuan="aduan"),
                _median_resolution_column("jam"),
                _rating_column(),
            ],
            rows=rows,
            groups=["smart-governance", "pelayanan-publik"],
            tags=["aduan", "kategori"],
            primary_key=["kode_kategori", "bulan"],
            count_columns=["diterima", "selesai", "selesai_tepat_waktu"],
        )
    ]


def services_per_month(tenant: Tenant, today: dt.date) -> list[PlatformTable]:
    if not apps.is_installed("kotacerdas.services"):
        return []
    selectors = import_module("kotacerdas.services.selectors")
    # The statistics take a bounded month range (services engineer, issue #9.7): the longest.
    year, month = divmod(today.year * 12 + today.month - selectors.MAX_STAT_MONTHS, 12)
    first = dt.date(year, month + 1, 1)
    rows = [
        [
            s.service,
            s.month,
            s.applications,
            s.completed,
            None if s.within_sla is None else round(s.within_sla * 100, 1),
            None if s.median_hours is None else round(s.median_hours, 1),
            round(s.online_share * 100, 1),
        ]
        for s in selectors.service_statistics(tenant, first=first, last=today)
    ]
    return [
        PlatformTable(
            key="layanan-per-bulan",
            title=_("Permohonan layanan administrasi kependudukan per bulan"),
            notes=_(
                "Permohonan layanan per jenis layanan dan bulan pengajuan: jumlah, selesai, ketepatan waktu, median lama layanan, dan porsi daring penuh. Angka di bawah ambang disamarkan."
            ),
            opd_acronym="Disdukcapil",
            columns=[
                Column("layanan", "string", _("Layanan")),
                _month_column(_("Tahun-bulan pengajuan (YYYY-MM)")),
                Column("diajukan", "integer", _("Diajukan"), satuan="permohonan"),
                Column("selesai", "integer", _("Selesai"), satuan="permohonan"),
                Column("persen_tepat_waktu", "number", _("Selesai tepat waktu"), satuan="%"),
                Column("median_jam", "number", _("Median lama layanan"), satuan="jam"),
                Column("persen_daring", "number", _("Daring penuh"), satuan="%"),
            ],
            rows=rows,
            groups=["pelayanan-publik", "kependudukan"],
            tags=["layanan", "adminduk"],
            primary_key=["layanan", "bulan"],
            count_columns=["diajukan", "selesai"],
        )
    ]


def emergency_per_month(tenant: Tenant, today: dt.date) -> list[PlatformTable]:
    if _kpi("emergency.calls") is None:
        return []
    months = _months(tenant, 12, today)
    calls_rows = []
    for month, start, end in months:
        calls = _int(_value("emergency.calls", tenant, start, end))
        prank = _value("emergency.prank_share", tenant, start, end) if calls else None
        pranks = round(calls * prank / 100) if prank is not None else 0
        calls_rows.append(
            [
                month,
                calls,
                calls - pranks,
                pranks,
                _value("emergency.median_dispatch", tenant, start, end) if calls else None,
            ]
        )
    incident_rows = []
    for month, start, end in months:
        for code, name in _kecamatan(tenant):
            incidents = _int(_value("emergency.incidents", tenant, start, end, code))
            incident_rows.append([code, name, month, incidents])
    return [
        PlatformTable(
            key="panggilan-112-per-bulan",
            title=_("Panggilan darurat 112 per bulan"),
            notes=_(
                "Panggilan ke 112 per bulan, panggilan prank dan ghost dihitung terpisah, dan median waktu sampai diteruskan. Angka di bawah ambang disamarkan."
            ),
            opd_acronym="Diskominfo",
            columns=[
                _month_column(),
                Column("panggilan", "integer", _("Panggilan"), satuan="panggilan"),
                Column("panggilan_sah", "integer", _("Panggilan sah"), satuan="panggilan"),
                Column("prank_dan_ghost", "integer", _("Prank dan ghost"), satuan="panggilan"),
                Column(
                    "median_menit_diteruskan",
                    "number",
                    _("Median waktu sampai diteruskan"),
                    satuan="menit",
                ),
            ],
            rows=calls_rows,
            groups=["smart-living"],
            tags=["112", "darurat"],
            primary_key=["bulan"],
            count_columns=["panggilan", "panggilan_sah", "prank_dan_ghost"],
        ),
        PlatformTable(
            key="insiden-112-per-kecamatan-bulan",
            title=_("Insiden darurat 112 per kecamatan per bulan"),
            notes=_(
                "Insiden yang ditangani layanan 112 menurut kecamatan dan bulan. Angka di bawah ambang disamarkan."
            ),
            opd_acronym="Diskominfo",
            columns=[
                *_kecamatan_columns(),
                _month_column(),
                Column("insiden", "integer", _("Insiden"), satuan="insiden"),
            ],
            rows=incident_rows,
            groups=["smart-living"],
            tags=["112", "darurat", "kecamatan"],
            primary_key=["kode_kecamatan", "bulan"],
            count_columns=["insiden"],
        ),
    ]


def incidents_per_kind_month(tenant: Tenant, today: dt.date) -> list[PlatformTable]:
    """112 incidents per kind and month over the last 12 whole months (pranks and ghost
    calls open no incident and are counted apart in the calls table). Two grouped queries
    a year, through emergency's selectors."""
    if not apps.is_installed("kotacerdas.emergency"):
        return []
    selectors = import_module("kotacerdas.emergency.selectors")
    months = [month for month, _start, _end in _months(tenant, 12, today)]
    counts: dict[tuple[str, str], list[int]] = {}
    for year in sorted({int(m[:4]) for m in months}):
        for r in selectors.statistics_per_kind_month(tenant=tenant, year=year):
            month = f"{r.month:%Y-%m}"
            if r.kind and month in months:
                cell = counts.setdefault((r.kind, month), [0, 0])
                cell[0] += r.incidents
                cell[1] += r.calls
    # The kind's Indonesian name, whoever builds the table: an open data column keeps one
    # language (the catalogue declares Indonesian), as kecamatan and complaint category do.
    names = {code: c.name for code, c in selectors.incident_categories_by_code(tenant).items()}
    kinds = sorted({kind for kind, _month in counts}, key=lambda k: names.get(k, k))
    rows = [
        [kind, names.get(kind, kind), month, *counts.get((kind, month), [0, 0])]
        for kind in kinds
        for month in months
    ]
    return [
        PlatformTable(
            key="insiden-112-per-jenis-bulan",
            title=_("Insiden darurat 112 per jenis per bulan"),
            notes=_(
                "Insiden yang ditangani layanan 112 menurut jenis insiden dan bulan, dengan jumlah panggilan yang melaporkannya, 12 bulan terakhir. Panggilan prank dan ghost tidak membuka insiden dan dihitung terpisah. Angka di bawah ambang disamarkan."
            ),
            opd_acronym="Diskominfo",
            columns=[
                Column("kode_jenis", "string", _("Kode jenis insiden")),
                Column("jenis", "string", _("Jenis insiden")),
                _month_column(_("Tahun-bulan panggilan (YYYY-MM)")),
                Column("insiden", "integer", _("Insiden"), satuan="insiden"),
                Column("panggilan", "integer", _("Panggilan yang melaporkan"), satuan="panggilan"),
            ],
            rows=rows,
            groups=["smart-living"],
            tags=["112", "darurat"],
            primary_key=["kode_jenis", "bulan"],
            count_columns=["insiden", "panggilan"],
        )
    ]


def evaluations_per_year(tenant: Tenant, today: dt.date) -> list[PlatformTable]:
    tables = []
    if apps.is_installed("kotacerdas.spbe"):
        selectors = import_module("kotacerdas.spbe.selectors")
        rows = [
            [year, round(float(index), 2), str(predicate)]
            for year, index, predicate in selectors.spbe_index_trend(tenant)
        ]
        if rows:
            tables.append(
                PlatformTable(
                    key="indeks-spbe-per-tahun",
                    title=_("Indeks SPBE per tahun"),
                    notes=_(
                        "Hasil evaluasi mandiri SPBE (PermenPANRB 59/2020) per tahun: indeks dan predikat."
                    ),
                    opd_acronym="Diskominfo",
                    columns=[
                        Column("tahun", "integer", _("Tahun")),
                        Column("indeks", "number", _("Indeks SPBE"), satuan="indeks 1-5"),
                        Column("predikat", "string", _("Predikat")),
                    ],
                    rows=rows,
                    groups=["smart-governance"],
                    tags=["SPBE", "evaluasi"],
                    frequency="ANNUAL",
                    primary_key=["tahun"],
                )
            )
    if apps.is_installed("kotacerdas.planning"):
        selectors = import_module("kotacerdas.planning.selectors")
        rows = []
        for result in selectors.evaluation_results(tenant):
            year = result.evaluation.year
            for dimension, value in result.by_dimension:
                if value is not None:
                    rows.append([year, str(dimension), round(float(value), 2)])
            if result.overall is not None:
                rows.append([year, _("Keseluruhan"), round(float(result.overall), 2)])
        if rows:
            tables.append(
                PlatformTable(
                    key="evaluasi-kota-cerdas-per-tahun",
                    title=_("Evaluasi Gerakan Menuju Kota Cerdas (Kominfo) per tahun"),
                    notes=_("Indeks evaluasi kota cerdas per dimensi dan keseluruhan, per tahun."),
                    opd_acronym="Diskominfo",
                    columns=[
                        Column("tahun", "integer", _("Tahun")),
                        Column("dimensi", "string", _("Dimensi")),
                        Column("indeks", "number", _("Indeks")),
                    ],
                    rows=rows,
                    groups=["smart-governance"],
                    tags=["kota cerdas", "evaluasi"],
                    frequency="ANNUAL",
                    primary_key=["tahun", "dimensi"],
                )
            )
    return tables


BUILT_IN: list[Callable[[Tenant, dt.date], list[PlatformTable]]] = [
    complaints_per_opd_month,
    complaints_per_kecamatan_month,
    complaints_per_category_month,
    services_per_month,
    emergency_per_month,
    incidents_per_kind_month,
    evaluations_per_year,
]


def _hooks() -> Iterable[Callable[[Tenant], list[PlatformTable]]]:
    for config in apps.get_app_configs():
        path = getattr(config, "opendata_datasets", None)
        if path:
            module, _dot, name = path.rpartition(".")
            yield getattr(import_module(module), name)


def tables_for(tenant: Tenant, *, today: dt.date) -> list[PlatformTable]:
    """Every automatic table of ``tenant``, suppressed."""
    tables: list[PlatformTable] = []
    for generator in BUILT_IN:
        tables.extend(generator(tenant, today))
    for hook in _hooks():
        tables.extend(hook(tenant))
    return [suppress(t) for t in tables]
