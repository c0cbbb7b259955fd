"""Scheduled (daily): unanswered visitors' requests and OVOP permits about to expire."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from kotacerdas.economy.services import permit_reminders, reminders_unanswered


class Command(BaseCommand):
    help = (
        "Mengingatkan permintaan pengunjung yang belum dijawab dan izin produk yang akan berakhir."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        requests = reminders_unanswered()
        permits = permit_reminders()
        self.stdout.write(f"requests={requests} permit_messages={permits}")
