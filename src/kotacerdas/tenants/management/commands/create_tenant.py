from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kotacerdas.core.errors import DomainError
from kotacerdas.tenants.services import tenant_create


class Command(BaseCommand):
    help = "Mendaftarkan sebuah kabupaten/kota (kode Kemendagri, misalnya 36.73) sebagai penyelenggara."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="kode Kemendagri kabupaten/kota, misalnya 36.73")
        parser.add_argument(
            "--jurisdiction",
            required=True,
            help="jurisdiction_id Open311, misalnya serangkota.go.id",
        )
        parser.add_argument("--slug", help="slug URL; bawaan dari nama wilayah")
        parser.add_argument("--name", help="nama resmi; bawaan 'Pemerintah <wilayah>'")
        parser.add_argument("--email", default="")
        parser.add_argument("--phone", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            tenant, created = tenant_create(
                code=options["code"],
                jurisdiction_id=options["jurisdiction"],
                slug=options["slug"],
                name=options["name"],
                email=options["email"],
                phone=options["phone"],
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        verb = "dibuat" if created else "sudah ada"
        self.stdout.write(
            f"{tenant.name} ({tenant.code}, /{tenant.slug}/, {tenant.jurisdiction_id}) {verb}."
        )
