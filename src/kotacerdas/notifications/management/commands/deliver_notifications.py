"""``kotacerdas deliver_notifications``: the outbox worker.

Runs until stopped (SIGTERM/SIGINT finish the current batch first), sleeping briefly when the
queue is empty. ``--once`` delivers what is due now and exits (for cron and tests). Several
workers may run at once, on one machine or many.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from kotacerdas.notifications.services import deliver_due


class Command(BaseCommand):
    help = "Mengirim notifikasi yang menunggu di antrean (surel), dengan percobaan ulang."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Kirim yang jatuh tempo lalu berhenti."
        )
        parser.add_argument("--batch", type=int, default=50, help="Jumlah pesan per putaran.")

    def handle(self, *args: Any, once: bool, batch: int, **options: Any) -> None:
        stop = threading.Event()

        def request_stop(signum: int, frame: FrameType | None) -> None:
            stop.set()

        if not once:
            signal.signal(signal.SIGTERM, request_stop)
            signal.signal(signal.SIGINT, request_stop)
        while True:
            if not once:
                # A long-running worker drops connections the database closed meanwhile.
                close_old_connections()
            result = deliver_due(limit=batch)
            if result.total:
                self.stdout.write(f"sent={result.sent} retried={result.retried} dead={result.dead}")
            if once:
                if result.total < batch:
                    return
                continue
            if result.total < batch:
                stop.wait(settings.NOTIFICATION_POLL_SECONDS)
            if stop.is_set():
                return
