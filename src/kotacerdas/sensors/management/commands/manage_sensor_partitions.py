"""Scheduled daily: create next months' partitions of the raw readings and apply the
retention. Prints the plan; acts only with ``--commit``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from kotacerdas.sensors import partitions


class Command(BaseCommand):
    help = "Buat partisi bulanan bacaan sensor ke depan dan terapkan masa simpan (--commit)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--commit", action="store_true", help="Jalankan, bukan hanya rencana.")

    def handle(self, *args: Any, commit: bool, **options: Any) -> None:
        plan = partitions.plan(today=timezone.now().date())
        for start in plan.create:
            self.stdout.write(f"create partition for {start:%Y-%m}")
        for name in plan.drop:
            self.stdout.write(f"drop {name} (older than the retention)")
        if plan.delete_before is not None:
            self.stdout.write(f"delete raw readings before {plan.delete_before.isoformat()}")
        if not commit:
            self.stdout.write("dry run: add --commit to apply")
            return
        partitions.apply(plan)
        self.stdout.write(f"done ({plan.deleted_rows} rows deleted)")
