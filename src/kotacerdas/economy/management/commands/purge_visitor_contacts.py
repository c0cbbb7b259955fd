"""Scheduled (nightly): deletes visitors' contact details after the retention period."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kotacerdas.economy.services import contacts_due, contacts_purge


class Command(BaseCommand):
    help = "Menghapus kontak pengunjung yang melewati masa simpan (uji coba kecuali --commit)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--commit", action="store_true", help="benar-benar hapus")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["commit"]:
            self.stdout.write(f"would purge {contacts_due().count()} requests (dry run; --commit)")
            return
        self.stdout.write(f"purged {contacts_purge()} requests")
