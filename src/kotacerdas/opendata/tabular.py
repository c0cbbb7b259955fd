"""Reading tabular uploads (CSV, XLSX) with Frictionless.

CKAN's users complain that uploads fail because column types are guessed from the first rows.
Here the Table Schema is inferred from ALL rows with full confidence (a column is an integer
only if every cell is one), then confirmed or corrected by the producer, and the file is read
again against the confirmed schema: every cell that does not fit is reported with its row and
column, and nothing is loaded unless every row fits.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from frictionless import Detector, Resource, Schema
from frictionless import errors as fl_errors
from frictionless.exception import FrictionlessException

from kotacerdas.core.errors import DomainError

TABLE_TYPES = {
    "string",
    "integer",
    "number",
    "boolean",
    "date",
    "datetime",
    "time",
    "year",
    "yearmonth",
    "duration",
    "geopoint",
    "object",
    "array",
    "any",
}
# Frictionless's own sample is 100 rows and it accepts a type when 90 % of them fit; both are
# exactly the guessing CKAN's users complain about.
_DETECTOR = Detector(sample_size=10**9, field_confidence=1.0)


class TableError(DomainError):
    """The file cannot be read as a table, or a cell does not fit the confirmed schema."""

    code = "table_invalid"
    status = 422

    def __init__(self, message: str, *, cells: list[dict[str, Any]] | None = None):
        super().__init__(message)
        self.cells = cells or []


@dataclass(frozen=True)
class CellError:
    row: int
    column: str
    value: str
    expected: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "expected": self.expected,
        }


def _resource(path: Path, fmt: str, schema: dict[str, Any] | None = None) -> Resource:
    options: dict[str, Any] = {
        "path": path.name,
        "basepath": str(path.parent),
        "format": fmt.lower(),
    }
    if schema is not None:
        options["schema"] = Schema.from_descriptor(schema)
    else:
        options["detector"] = _DETECTOR
    return Resource(**options)


def infer_schema(path: Path, fmt: str) -> dict[str, Any]:
    """The Table Schema of the whole file (every row read)."""
    try:
        resource = _resource(path, fmt)
        resource.infer()
        descriptor = resource.schema.to_descriptor()
    except FrictionlessException as exc:
        raise TableError(
            _("Berkas tidak dapat dibaca sebagai tabel: %(error)s") % {"error": exc.error.message}
        ) from None
    fields = descriptor.get("fields", [])
    if not fields:
        raise TableError(_("Berkas tidak memuat kolom."))
    names = [f["name"] for f in fields]
    if len(set(names)) != len(names) or any(not n for n in names):
        raise TableError(_("Setiap kolom harus bernama dan namanya tidak boleh kembar."))
    return {"fields": [{"name": f["name"], "type": f.get("type", "string")} for f in fields]}


def jsonable(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return (
            int(value)
            if value == value.to_integral_value() and abs(value) < 2**53
            else float(value)
        )
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def read_rows(
    path: Path, fmt: str, schema: dict[str, Any], *, max_errors: int = 20
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yields (file row number, {column: JSON value}) for every row, read against ``schema``.

    Raises ``TableError`` listing up to ``max_errors`` cells that do not fit, after reading the
    whole file; callers that load rows inside a transaction therefore roll back everything.
    """
    errors: list[CellError] = []
    types = {f["name"]: f.get("type", "string") for f in schema.get("fields", [])}
    try:
        resource = _resource(path, fmt, schema)
        with resource:
            for row in resource.row_stream:  # type: ignore[attr-defined]
                if row.valid:
                    if not errors:
                        yield row.row_number, {k: jsonable(v) for k, v in row.to_dict().items()}
                    continue
                for error in row.errors:
                    if len(errors) >= max_errors:
                        break
                    if isinstance(error, fl_errors.CellError):
                        errors.append(
                            CellError(
                                row.row_number,
                                error.field_name,
                                str(error.cell)[:80],
                                types.get(error.field_name, "?"),
                            )
                        )
                    else:
                        errors.append(CellError(row.row_number, "-", "", error.note[:120]))
    except FrictionlessException as exc:
        raise TableError(
            _("Berkas tidak dapat dibaca sebagai tabel: %(error)s") % {"error": exc.error.message}
        ) from None
    if errors:
        first = errors[0]
        raise TableError(
            _(
                "Data tidak sesuai skema: baris %(row)s, kolom “%(column)s” berisi “%(value)s”, "
                "padahal tipenya %(expected)s. Perbaiki berkas atau ubah tipe kolom itu "
                "(%(count)s sel bermasalah tercantum)."
            )
            % {**first.as_dict(), "count": len(errors)},
            cells=[e.as_dict() for e in errors],
        )


def check_schema(schema: Any, inferred: dict[str, Any]) -> dict[str, Any]:
    """The producer's corrected schema: same columns as the file, known types, MS-Var keys."""
    from kotacerdas.opendata.config import MS_VAR_FIELDS

    if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
        raise TableError(_("Skema harus berupa objek dengan daftar “fields”."))
    expected = [f["name"] for f in inferred["fields"]]
    names = [f.get("name") if isinstance(f, dict) else None for f in schema["fields"]]
    if names != expected:
        raise TableError(
            _("Kolom skema harus sama dan berurutan seperti di berkas: %(names)s.")
            % {"names": ", ".join(expected)}
        )
    clean: list[dict[str, Any]] = []
    for field in schema["fields"]:
        ftype = field.get("type", "string")
        if ftype not in TABLE_TYPES:
            raise TableError(
                _("Tipe “%(type)s” pada kolom “%(name)s” tidak dikenal.")
                % {"type": ftype, "name": field["name"]}
            )
        item: dict[str, Any] = {"name": field["name"], "type": ftype}
        for key in MS_VAR_FIELDS:
            value = field.get(key)
            if value not in (None, ""):
                item[key] = str(value)[:1000]
        if isinstance(field.get("format"), str):
            item["format"] = field["format"]
        clean.append(item)
    result: dict[str, Any] = {"fields": clean}
    pk = schema.get("primaryKey")
    if pk:
        keys = [pk] if isinstance(pk, str) else pk
        if not isinstance(keys, list) or any(k not in expected for k in keys):
            raise TableError(_("Kunci utama harus berupa nama kolom yang ada."))
        result["primaryKey"] = keys
    return result
