"""CSV/XLSX export and import of the registry, and the figures export.

Export and import share one column list, so an exported file can be edited and imported back.
Headers are readable in the user's language; import accepts them in Indonesian or English, or
as the column keys. An import is all or nothing: every row is checked first, and any problem
is reported with its row and column."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from itertools import islice
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import translation
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from kotacerdas.accounts.models import User
from kotacerdas.regions.models import Region
from kotacerdas.tenants.models import Tenant
from kotacerdas.wifi.models import Hotspot, PointStatus, Provider, SiteType
from kotacerdas.wifi.selectors import PointFigures
from kotacerdas.wifi.services import hotspot_create, hotspot_update

MAX_ROWS = 5000

# (key, header) in file order; the header is translated when written.
COLUMNS: list[tuple[str, Any]] = [
    ("name", gettext_lazy("Nama titik")),
    ("site_type", gettext_lazy("Jenis lokasi")),
    ("lat", gettext_lazy("Lintang")),
    ("lng", gettext_lazy("Bujur")),
    ("kelurahan", gettext_lazy("Kode kelurahan/desa")),
    ("ssid", gettext_lazy("SSID")),
    ("access_points", gettext_lazy("Jumlah access point")),
    ("provider", gettext_lazy("Penyedia")),
    ("bandwidth_mbps", gettext_lazy("Bandwidth (Mbps)")),
    ("monthly_cost", gettext_lazy("Biaya per bulan (Rp)")),
    ("contract_start", gettext_lazy("Kontrak mulai")),
    ("contract_end", gettext_lazy("Kontrak selesai")),
    ("check_host", gettext_lazy("Alamat yang diperiksa")),
    ("check_url", gettext_lazy("URL status/portal")),
    ("check_interval_s", gettext_lazy("Interval pemeriksaan (detik)")),
    ("nas_identifier", gettext_lazy("NAS-Identifier RADIUS")),
    ("installed_on", gettext_lazy("Tanggal pemasangan")),
    ("status", gettext_lazy("Status")),
    ("health", gettext_lazy("Kesehatan")),
]
IMPORTED = [key for key, _h in COLUMNS if key != "health"]


class ImportProblem(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def export_rows(hotspots: QuerySet[Hotspot]) -> tuple[list[str], Iterable[list[Any]]]:
    headers = [str(h) for _k, h in COLUMNS]

    def rows() -> Iterable[list[Any]]:
        qs = hotspots.select_related("provider").order_by("name", "pk")
        for h in qs.iterator(chunk_size=500):
            yield [
                h.name,
                h.site_type,
                h.lat,
                h.lng,
                h.kelurahan_id or "",
                h.ssid,
                h.access_points,
                h.provider.name if h.provider else "",
                h.bandwidth_mbps if h.bandwidth_mbps is not None else "",
                h.monthly_cost if h.monthly_cost is not None else "",
                h.contract_start or "",
                h.contract_end or "",
                h.check_host,
                h.check_url,
                h.check_interval_s,
                h.nas_identifier,
                h.installed_on or "",
                h.status,
                h.health,
            ]

    return headers, rows()


def figures_rows(rows: Sequence[PointFigures]) -> tuple[list[str], list[list[Any]]]:
    headers = [
        _("Nama titik"),
        _("Pemeriksaan"),
        _("Ketersediaan (%)"),
        _("Sesi"),
        _("Perangkat unik"),
        _("Data (GB)"),
        _("Biaya per perangkat (Rp)"),
        _("Biaya per GB (Rp)"),
        _("Di bawah target"),
    ]
    return headers, [
        [
            r.hotspot.name,
            r.checks,
            round(r.uptime_pct, 2) if r.uptime_pct is not None else "",
            r.sessions,
            r.devices,
            round(r.gigabytes, 3),
            r.cost_per_device if r.cost_per_device is not None else "",
            r.cost_per_gb if r.cost_per_gb is not None else "",
            _("ya") if r.below_target else _("tidak"),
        ]
        for r in rows
    ]


def _header_keys() -> dict[str, str]:
    """Every accepted spelling of a header (key, Indonesian, English), lower-cased."""
    keys: dict[str, str] = {}
    for key, header in COLUMNS:
        keys[key] = key
        for language in ("id", "en"):
            with translation.override(language):
                keys[str(header).strip().lower()] = key
    return keys


def _read(upload: UploadedFile) -> list[list[Any]]:
    name = (upload.name or "").lower()
    data = upload.read()
    if name.endswith(".xlsx"):
        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise ImportProblem([_("Berkas XLSX tidak dapat dibaca.")]) from exc
        sheet = book.worksheets[0]
        out = [list(r) for r in islice(sheet.iter_rows(values_only=True), MAX_ROWS + 2)]
        book.close()
        return out
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportProblem([_("Berkas CSV harus berkode UTF-8.")]) from exc
    dialect: Any = csv.excel
    with contextlib.suppress(csv.Error):
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    return list(islice(csv.reader(io.StringIO(text), dialect), MAX_ROWS + 2))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class _Bad(ValueError):
    pass


def _decimal(value: str) -> Decimal | None:
    if value == "":
        return None
    try:
        number = Decimal(value.replace(",", "."))
    except InvalidOperation:
        raise _Bad(_("bukan angka")) from None
    if not number.is_finite():
        raise _Bad(_("bukan angka"))
    return number


def _integer(value: str) -> int | None:
    if value == "":
        return None
    if not (value.isascii() and value.isdigit() and len(value) <= 9):
        raise _Bad(_("harus bilangan bulat"))
    return int(value)


def _date(value: str) -> dt.date | None:
    if value == "":
        return None
    try:
        parsed = parse_date(value[:10])
    except ValueError:
        parsed = None
    if parsed is None:
        raise _Bad(_("tanggal harus berbentuk TTTT-BB-HH"))
    return parsed


def _parse_row(
    tenant: Tenant, raw: dict[str, str], providers: dict[str, Provider], line: int
) -> tuple[dict[str, Any], list[str]]:
    """The model fields of one row, and its problems (with row and column)."""

    def kelurahan(value: str) -> Region | None:
        if value == "":
            return None
        region = Region.objects.filter(code=value, level=4, parent__parent_id=tenant.code).first()
        if region is None:
            raise _Bad(_("kode kelurahan/desa tidak ada di daerah ini"))
        return region

    def provider(value: str) -> Provider | None:
        if value == "":
            return None
        if value not in providers:
            providers[value] = Provider.objects.get_or_create(tenant=tenant, name=value[:120])[0]
        return providers[value]

    parsers: dict[str, Any] = {
        "lat": _decimal,
        "lng": _decimal,
        "monthly_cost": _decimal,
        "access_points": _integer,
        "check_interval_s": _integer,
        "bandwidth_mbps": _integer,
        "contract_start": _date,
        "contract_end": _date,
        "installed_on": _date,
        "kelurahan": kelurahan,
        "provider": provider,
        "site_type": lambda v: v or SiteType.OTHER,
        "status": lambda v: v or PointStatus.ACTIVE,
    }
    fields: dict[str, Any] = {}
    problems: list[str] = []
    for key in IMPORTED:
        try:
            value = parsers.get(key, str)(raw.get(key, ""))
        except _Bad as exc:
            problems.append(
                _("Baris %(line)d, kolom %(column)s: %(message)s")
                % {"line": line, "column": key, "message": exc}
            )
            continue
        # an empty number keeps the model's default (access points, interval)
        if value is not None or key not in ("access_points", "check_interval_s"):
            fields[key] = value
    return fields, problems


def import_file(*, tenant: Tenant, actor: User, upload: UploadedFile) -> tuple[int, int]:
    """Creates or updates (by name) every row; all or nothing. Returns (created, updated)."""
    table = _read(upload)
    if len(table) < 2:
        raise ImportProblem([_("Berkas tidak berisi baris data.")])
    if len(table) > MAX_ROWS + 1:
        raise ImportProblem([_("Paling banyak %(n)d baris per impor.") % {"n": MAX_ROWS}])
    names = _header_keys()
    header = [names.get(_text(h).lower(), "") for h in table[0]]
    missing = [k for k in ("name", "lat", "lng") if k not in header]
    if missing:
        raise ImportProblem([_("Kolom wajib tidak ada: %(cols)s") % {"cols": ", ".join(missing)}])
    providers: dict[str, Provider] = {}
    problems: list[str] = []
    created = updated = 0
    with transaction.atomic():
        existing = {h.name: h for h in Hotspot.objects.filter(tenant=tenant)}
        for line, row in enumerate(table[1:], start=2):
            raw = {key: _text(v) for key, v in zip(header, row, strict=False) if key}
            if not any(raw.values()):
                continue
            fields, row_problems = _parse_row(tenant, raw, providers, line)
            if not row_problems:
                try:
                    current = existing.get(fields["name"])
                    if current is None:
                        existing[fields["name"]] = hotspot_create(
                            tenant=tenant, actor=actor, **fields
                        )
                        created += 1
                    else:
                        hotspot_update(hotspot=current, actor=actor, changes=fields)
                        updated += 1
                except ValidationError as exc:
                    for field, errors in exc.message_dict.items():
                        for error in errors:
                            row_problems.append(
                                _("Baris %(line)d, kolom %(column)s: %(message)s")
                                % {"line": line, "column": field, "message": error}
                            )
            problems.extend(row_problems)
        if problems:
            transaction.set_rollback(True)
            raise ImportProblem(problems)
    return created, updated
