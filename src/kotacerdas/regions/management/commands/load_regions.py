from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from tqdm import tqdm

from kotacerdas.regions.loader import count_rows, load_regions


class Command(BaseCommand):
    help = "Memuat seluruh provinsi, kabupaten/kota, kecamatan dan kelurahan/desa (idempoten)."

    def handle(self, *args: Any, **options: Any) -> None:
        load_into(self)


def load_into(command: BaseCommand) -> None:
    total = count_rows()
    with tqdm(
        total=total, unit="wilayah", desc="Wilayah", disable=total == 0, file=command.stderr._out
    ) as bar:
        result = load_regions(progress=bar.update)
    command.stdout.write(
        f"Wilayah: {result.created} baru, {result.updated} diperbarui, {result.unchanged} tetap."
    )
