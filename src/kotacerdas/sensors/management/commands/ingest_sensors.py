"""The ingestion worker: ``kotacerdas ingest_sensors`` subscribes to the device topics on the
Mosquitto broker in ``SENSORS_MQTT_URL`` (its dynamic-security administrator) with a shared
subscription; run one per core or machine and the broker splits the stream between them."""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kotacerdas.sensors.dynsec import DynSec, ensure_ingest_client, parse_url, put_device
from kotacerdas.sensors.models import Device
from kotacerdas.sensors.mqtt_ingest import MosquittoIngestor


class Command(BaseCommand):
    help = "Pekerja penerima bacaan sensor dari Mosquitto (langganan bersama $share)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", type=int, default=2000, help="Pesan per tulisan basis data")
        parser.add_argument(
            "--sync-roles",
            action="store_true",
            help="Buat ulang peran ACL semua perangkat aktif di broker sebelum mulai.",
        )

    def handle(self, *args: Any, batch: int, sync_roles: bool, **options: Any) -> None:
        if not settings.SENSORS_MQTT_URL:
            raise CommandError("SENSORS_MQTT_URL is empty: no broker to subscribe to")
        admin = parse_url(settings.SENSORS_MQTT_URL)
        with DynSec(admin) as ds:
            creds = ensure_ingest_client(ds, admin)
            if sync_roles:
                for device in Device.objects.active().select_related("tenant"):
                    put_device(ds, uid=device.uid, apikey=device.apikey, token=None, active=True)
        worker = MosquittoIngestor(creds, batch_size=batch)
        worker.start()
        self.stdout.write(
            f"ingest_sensors: subscribed on {admin.host}:{admin.port} (shared group kc-ingest)"
        )
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_a: stop.set())
        signal.signal(signal.SIGINT, lambda *_a: stop.set())
        try:
            worker.run_forever(stop)
        finally:
            worker.stop()
            totals = worker.totals
            self.stdout.write(
                f"ingest_sensors: stopped; {worker.received} messages, {totals.stored} readings stored, "
                f"{totals.duplicates} duplicates, {sum(totals.rejected.values())} rejected"
            )
