from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from kotacerdas.services.services import documents_purge

DEFAULT_DAYS = 90


class Command(BaseCommand):
    help = (
        "Menghapus dokumen unggahan permohonan yang sudah selesai lebih dari N hari "
        "(bawaan: setelan SERVICES_DOCUMENT_RETENTION_DAYS atau 90). Tanpa --commit hanya menampilkan daftar."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=None, help="masa simpan dalam hari")
        parser.add_argument("--commit", action="store_true", help="benar-benar menghapus")

    def handle(self, *args: Any, **options: Any) -> None:
        days = (
            options["days"]
            if options["days"] is not None
            else getattr(settings, "SERVICES_DOCUMENT_RETENTION_DAYS", DEFAULT_DAYS)
        )
        if days < 0:
            self.stderr.write("--days tidak boleh negatif.")
            return
        due = documents_purge(older_than=dt.timedelta(days=days), commit=options["commit"])
        for application in due:
            closed = (
                timezone.localtime(application.closed_at).date() if application.closed_at else "-"
            )
            self.stdout.write(
                f"{application.number} ({application.service.name}), selesai {closed}"
            )
        verb = "dihapus" if options["commit"] else "akan dihapus (uji coba; tambahkan --commit)"
        self.stdout.write(f"{len(due)} permohonan: dokumen {verb}.")
