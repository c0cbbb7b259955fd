"""Loads Indonesia's regions from the idn-area-data CSV files shipped in ``data/``.

The data (c) its contributors, under the Open Database License 1.0; see NOTICE.
"""

from __future__ import annotations

import csv
import gzip
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from kotacerdas.regions.models import Level, Region

DATA_DIR = Path(__file__).resolve().parent / "data"
FILES = (
    ("provinces", Level.PROVINCE, None),
    ("regencies", Level.REGENCY, "province_code"),
    ("districts", Level.DISTRICT, "regency_code"),
    ("villages", Level.VILLAGE, "district_code"),
)
BATCH = 5000
_KEEP_UPPER = {"DKI", "DI", "II", "III", "IV"}


def display_name(raw: str) -> str:
    """Province and regency names come in capitals ("KOTA SERANG"); show them as "Kota Serang"."""
    if raw != raw.upper():
        return raw.strip()
    words = [w if w in _KEEP_UPPER else w.capitalize() for w in raw.strip().split()]
    # "Kepulauan Bangka Belitung" stays, but hyphenated parts get their capital too.
    return re.sub(r"-(\w)", lambda m: "-" + m.group(1).upper(), " ".join(words))


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _rows(name: str, wanted: Callable[[str], bool] | None = None) -> Iterator[dict[str, str]]:
    """The rows of one file; with ``wanted``, only those whose code (the first column, never
    quoted) it accepts, tested before the line is parsed: most of a partial load's time was
    parsing the 83,000 villages it then skipped."""
    with gzip.open(DATA_DIR / f"{name}.csv.gz", "rt", encoding="utf-8", newline="") as handle:
        lines: Iterator[str] = handle
        if wanted is not None:
            header = next(handle)
            kept = (line for line in handle if wanted(line.partition(",")[0]))
            lines = itertools.chain([header], kept)
        yield from csv.DictReader(lines)


def count_rows(*, prefix: str | tuple[str, ...] = "") -> int:
    """The number of rows ``load_regions(prefix=prefix)`` reads."""
    wanted = _wanted(prefix) if prefix else None
    return sum(1 for name, _level, _parent in FILES for _row in _rows(name, wanted))


def _wanted(prefix: str | tuple[str, ...]) -> Callable[[str], bool]:
    """Codes under ``prefix`` (one or several), and their ancestors (a region's parent must
    exist)."""
    prefixes = (prefix,) if isinstance(prefix, str) else prefix
    ancestors: set[str] = set()
    for one in prefixes:
        parts = one.rstrip(".").split(".")
        ancestors.update(".".join(parts[:depth]) for depth in range(1, len(parts)))
    return lambda code: code.startswith(prefixes) or code in ancestors


def load_regions(
    progress: Callable[[int], None] | None = None,
    *,
    prefix: str | tuple[str, ...] = "",
    down_to: Level = Level.VILLAGE,
) -> LoadResult:
    """Insert or update every region, or only those whose code starts with ``prefix`` (one or
    several) together with their ancestors, and no deeper than ``down_to`` (``Level.REGENCY``:
    the provinces and the 514 kabupaten/kota only); running it again writes nothing.

    ``progress`` is called with the number of rows read since its last call.
    """
    wanted = _wanted(prefix) if prefix else None
    result = LoadResult()
    existing = {
        code: (name, parent)
        for code, name, parent in Region.objects.values_list("code", "name", "parent_id")
    }
    new: list[Region] = []
    changed: list[Region] = []
    read = 0
    for name, level, parent_field in FILES:
        if level > down_to:
            break
        for row in _rows(name, wanted):
            region = Region(
                code=row["code"],
                name=display_name(row["name"]),
                level=level,
                parent_id=row[parent_field] if parent_field else None,
            )
            known = existing.get(region.code)
            if known is None:
                new.append(region)
            elif known != (region.name, region.parent_id):
                changed.append(region)
            else:
                result.unchanged += 1
            read += 1
            if read == BATCH:
                _flush(new, changed, result)
                if progress:
                    progress(read)
                read = 0
        # Parents must exist before their children are inserted.
        _flush(new, changed, result)
    if progress and read:
        progress(read)
    return result


def _flush(new: list[Region], changed: list[Region], result: LoadResult) -> None:
    with transaction.atomic():
        if new:
            Region.objects.bulk_create(new, batch_size=1000)
        if changed:
            Region.objects.bulk_update(changed, ["name", "parent"], batch_size=1000)
    result.created += len(new)
    result.updated += len(changed)
    new.clear()
    changed.clear()
