"""Issues an Open311 api_key for one tenant and prints it as the last line."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kotacerdas.complaints.services import open311_key_create
from kotacerdas.tenants.models import Tenant


class Command(BaseCommand):
    help = "Buat api_key Open311 untuk satu pemerintah daerah; kunci dicetak di baris terakhir."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tenant", required=True, help="Kode Kemendagri, misalnya 36.73")
        parser.add_argument("--name", default="open311", help="Nama pemakai kunci")

    def handle(self, *args: Any, **options: Any) -> None:
        tenant = Tenant.objects.filter(region_id=options["tenant"], is_active=True).first()
        if tenant is None:
            raise CommandError(f"Pemerintah daerah {options['tenant']} tidak ditemukan.")
        key, raw = open311_key_create(tenant=tenant, name=options["name"])
        self.stdout.write(
            f"Kunci Open311 untuk {tenant.name} ({tenant.jurisdiction_id}), awalan {key.prefix}."
        )
        self.stdout.write("Simpan sekarang; kunci ini tidak dapat ditampilkan lagi.")
        self.stdout.write(raw)
