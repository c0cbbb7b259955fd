"""Emails OPD heads and region administrators about overdue complaints. Schedule it (e.g. every
15 minutes); it is idempotent: each deadline is escalated once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from kotacerdas.complaints.services import escalations_send


class Command(BaseCommand):
    help = "Kirim surel eskalasi untuk aduan yang melewati batas SLA (idempoten)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = escalations_send()
        if options["verbosity"]:
            self.stdout.write(f"{len(sent)} aduan dieskalasi.")
