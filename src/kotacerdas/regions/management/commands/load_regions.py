from __future__ import annotations

import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from kotacerdas.regions.loader import count_rows, load_regions

# A region code or the start of one: a province (36), a kabupaten/kota (36.73), a kecamatan
# (36.73.06) or a desa/kelurahan (36.73.06.1001).
_PREFIX = re.compile(r"\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?")


def region_prefixes(value: str) -> tuple[str, ...]:
    prefixes = tuple(part.strip() for part in value.split(",") if part.strip())
    for prefix in prefixes:
        if not _PREFIX.fullmatch(prefix):
            raise CommandError(f"Kode wilayah tidak sah: {prefix!r} (contoh: 36, 36.73).")
    return prefixes


class Command(BaseCommand):
    help = "Memuat seluruh provinsi, kabupaten/kota, kecamatan dan kelurahan/desa (idempoten)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--regions",
            default="",
            metavar="KODE[,KODE...]",
            help="muat hanya wilayah dengan awalan kode ini beserta induknya, dipisah koma",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        load_into(self, options)


def load_into(command: BaseCommand, options: dict[str, Any]) -> None:
    """Every region, or with ``--regions`` only those under the given code prefixes."""
    prefixes = region_prefixes(options.get("regions", ""))
    total = count_rows(prefix=prefixes)
    with tqdm(
        total=total, unit="wilayah", desc="Wilayah", disable=total == 0, file=command.stderr._out
    ) as bar:
        result = load_regions(progress=bar.update, prefix=prefixes)
    command.stdout.write(
        f"Wilayah: {result.created} baru, {result.updated} diperbarui, {result.unchanged} tetap."
    )
