from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from kotacerdas.services.services import Outcome, documents_purge, retention_days

OUTCOME_WORDS = {
    Outcome.COMPLETED: "selesai",
    Outcome.REJECTED: "ditolak",
    Outcome.CANCELLED: "dibatalkan",
    Outcome.ABANDONED_DRAFT: "draf kedaluwarsa",
}


class Command(BaseCommand):
    help = (
        "Menghapus dokumen unggahan (KTP, KK, akta …) permohonan yang masa simpannya habis "
        "menurut hasil akhirnya: selesai, ditolak, dibatalkan, atau draf yang ditinggalkan "
        "(setelan SERVICES_RETENTION_*_DAYS; UU 27/2022). Tanpa --commit hanya menampilkan daftar."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days", type=int, default=None, help="masa simpan dalam hari untuk semua hasil akhir"
        )
        parser.add_argument("--batch-size", type=int, default=200, help="baris per baca (200)")
        parser.add_argument("--commit", action="store_true", help="benar-benar menghapus")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["days"] is not None and options["days"] < 0:
            raise CommandError("--days tidak boleh negatif.")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size minimal 1.")
        days = retention_days()
        if options["days"] is not None:
            days = dict.fromkeys(Outcome, options["days"])
        counts = dict.fromkeys(Outcome, 0)
        for item in documents_purge(
            commit=options["commit"], days=days, batch_size=options["batch_size"]
        ):
            counts[item.outcome] += 1
            since = timezone.localtime(item.since).date()
            self.stdout.write(
                f"{item.number or f'draf #{item.application_id}'} ({item.service}), "
                f"{OUTCOME_WORDS[item.outcome]} {since}"
            )
        verb = "dihapus" if options["commit"] else "akan dihapus (uji coba; tambahkan --commit)"
        for outcome in Outcome:
            self.stdout.write(
                f"{OUTCOME_WORDS[outcome]} (> {days[outcome]} hari): {counts[outcome]} permohonan"
            )
        self.stdout.write(f"{sum(counts.values())} permohonan: dokumen {verb}.")
