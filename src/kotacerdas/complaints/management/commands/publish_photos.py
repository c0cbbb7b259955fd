"""``kotacerdas publish_photos``: the worker that re-encodes complaint photos after commit.

A submission stores the checked original only (the re-encoding costs tens of ms of CPU a
photo); this worker makes each public copy without EXIF, and nothing shows a photo before.
Runs until stopped (SIGTERM/SIGINT finish the current batch first); ``--once`` publishes what
is waiting and exits (for cron and tests). Several may run at once.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from kotacerdas.complaints.tasks import photos_publish_pending

POLL_SECONDS = 1.0


class Command(BaseCommand):
    help = "Membuat salinan publik foto aduan (tanpa EXIF) yang menunggu di antrean."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Proses antrean lalu berhenti.")
        parser.add_argument("--batch", type=int, default=20, help="Jumlah foto per putaran.")

    def handle(self, *args: Any, once: bool, batch: int, **options: Any) -> None:
        stop = threading.Event()

        def request_stop(signum: int, frame: FrameType | None) -> None:
            stop.set()

        if not once:
            signal.signal(signal.SIGTERM, request_stop)
            signal.signal(signal.SIGINT, request_stop)
        after: int | None = 0
        while True:
            if not once:
                close_old_connections()
            made, after = photos_publish_pending(limit=batch, after=after or 0)
            if made:
                self.stdout.write(f"published={made}")
            if after is None:  # the end of the queue: wait, then start again from its head
                if once:
                    return
                stop.wait(POLL_SECONDS)
            if stop.is_set():
                return
