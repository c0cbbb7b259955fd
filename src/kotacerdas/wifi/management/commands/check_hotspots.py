"""Checks the public Wi-Fi points: one round with ``--once``, otherwise for ever."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.db.models import Min
from django.utils import timezone

from kotacerdas.wifi.checks import run_round
from kotacerdas.wifi.models import Hotspot
from kotacerdas.wifi.services import sessions_close_stale


class Command(BaseCommand):
    help = "Memeriksa kesehatan titik Wi-Fi publik (ICMP, TCP, HTTP) sesuai intervalnya."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="satu putaran lalu berhenti")
        parser.add_argument("--all", action="store_true", help="periksa semua, abaikan interval")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            stats = run_round(every=options["all"])
            closed = sessions_close_stale()
            self.stdout.write(
                f"{timezone.localtime():%H:%M:%S} checked={stats.checked} up={stats.up} "
                f"tickets={stats.tickets} stale_sessions_closed={closed} "
                f"seconds={stats.seconds:.1f}"
            )
            if options["once"]:
                return
            close_old_connections()  # a worker that runs for weeks outlives connections
            # sleep until the next point is due, at most 5 s, so a new point is seen soon
            nxt = Hotspot.objects.monitored().aggregate(n=Min("next_check_at"))["n"]
            wait = 5.0 if nxt is None else (nxt - timezone.now()).total_seconds()
            time.sleep(min(max(wait, 0.2), 5.0))
