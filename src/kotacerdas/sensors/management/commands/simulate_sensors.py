"""``kotacerdas simulate_sensors --tenant 36.73 --scenario flood [--fast]``: a rain event on the
tenant's example devices, played through the real ingestion path and returning when it is over.

Transport: Mosquitto when ``SENSORS_MQTT_URL`` answers (the devices publish FIWARE UltraLight
with their own broker credentials; run ``kotacerdas ingest_sensors`` alongside), otherwise the
platform's own MQTT endpoint started in this process (ThingsBoard's device API), otherwise HTTP.
The log says which. The event spans the last three hours of reading time (readings carry their
timestamps); ``--fast`` publishes it in seconds, without it one step per second.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from kotacerdas.sensors.models import Device, DeviceKind, Reading
from kotacerdas.sensors.services import device_rotate_token
from kotacerdas.tenants.models import Tenant

STEPS = 36  # every 5 minutes over 3 hours


def flood_level(step: int, base: float, peak: float) -> float:
    """Rises for two hours to the peak, then recedes; a little sensor noise."""
    x = step / (STEPS - 1)
    shape = math.sin(math.pi * min(x / 0.67, 1.0) / 2) if x <= 0.67 else 1 - (x - 0.67) * 0.6
    return round(base + (peak - base) * shape + random.uniform(-2, 2), 1)  # noqa: S311 - demo noise


class Command(BaseCommand):
    help = "Putar skenario hujan pada perangkat contoh lewat jalur penerimaan sebenarnya."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--tenant", required=True, help="Kode Kemendagri, mis. 36.73")
        parser.add_argument("--scenario", choices=["flood"], default="flood")
        parser.add_argument(
            "--fast", action="store_true", help="Percepat: seluruh kejadian dalam hitungan detik"
        )

    def handle(self, *args: Any, tenant: str, scenario: str, fast: bool, **options: Any) -> None:
        target = Tenant.objects.filter(region_id=tenant).first()
        if target is None:
            raise CommandError(f"unknown tenant {tenant}")
        devices = list(
            Device.objects.active().filter(tenant=target, is_example=True).select_related("tenant")
        )
        if not devices:
            raise CommandError("no example devices: run `kotacerdas setup --demo` first")
        with transaction.atomic():
            tokens = {d.pk: device_rotate_token(device=d, actor=None) for d in devices}
        transport, send, close = self._transport(devices, tokens)
        self.stdout.write(f"simulate_sensors: {scenario} on {target.name} via {transport}")
        now = timezone.now()
        start = now - dt.timedelta(minutes=5 * (STEPS - 1))
        before = Reading.objects.filter(device__in=devices).count()
        try:
            for step in range(STEPS):
                ts = start + dt.timedelta(minutes=5 * step)
                for device in devices:
                    send(device, ts, self._values(device, step))
                if not fast:
                    time.sleep(1)
            close()
        finally:
            pass
        self._wait_stored(
            devices, before, expected=sum(len(self._values(d, 0)) for d in devices) * STEPS
        )
        self.stdout.write("simulate_sensors: done")

    def _values(self, device: Device, step: int) -> dict[str, float]:
        rng = random.Random(device.pk * 1000 + step)  # noqa: S311 - demo noise
        if device.kind == DeviceKind.WATER_LEVEL:
            return {"water_level": flood_level(step, 110, 285), "battery": 90 - step * 0.1}
        if device.kind == DeviceKind.AIR_QUALITY:
            return {
                "pm25": round(35 + 30 * math.sin(step / 6) + rng.uniform(0, 5), 1),
                "pm10": round(60 + rng.uniform(0, 20), 1),
            }
        return {}

    def _wait_stored(self, devices: list[Device], before: int, expected: int) -> None:
        """Return when the ingestion has written the event (or say that it has not)."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if Reading.objects.filter(device__in=devices).count() - before >= expected:
                return
            time.sleep(0.3)
        self.stderr.write(
            "simulate_sensors: not every reading arrived within 60 s (is ingest_sensors running?)"
        )

    def _transport(self, devices: list[Device], tokens: dict[int, str]) -> tuple[str, Any, Any]:
        import paho.mqtt.client as mqtt
        from paho.mqtt.enums import CallbackAPIVersion

        from kotacerdas.sensors.dynsec import parse_url

        if settings.SENSORS_MQTT_URL:
            url = parse_url(settings.SENSORS_MQTT_URL)
            clients = {}
            try:
                for device in devices:
                    client = mqtt.Client(CallbackAPIVersion.VERSION2)
                    client.username_pw_set(device.uid, tokens[device.pk])
                    client.connect(url.host, url.port)
                    client.loop_start()
                    clients[device.pk] = client
            except OSError as exc:
                self.stdout.write(
                    f"simulate_sensors: Mosquitto at {url.host}:{url.port} unreachable ({exc})"
                )
            else:

                def send_ul(device: Device, ts: dt.datetime, values: dict[str, float]) -> None:
                    payload = "|".join(
                        ["t", ts.isoformat()] + [f"{k}|{v}" for k, v in values.items()]
                    )
                    clients[device.pk].publish(
                        f"/ul/{device.apikey}/{device.uid}/attrs", payload, qos=1
                    ).wait_for_publish(5)

                def close_all() -> None:
                    for client in clients.values():
                        client.disconnect()
                        client.loop_stop()

                return (
                    f"MQTT (Mosquitto {url.host}:{url.port}, FIWARE UltraLight 2.0)",
                    send_ul,
                    close_all,
                )

        from kotacerdas.sensors.mosquitto import free_port
        from kotacerdas.sensors.mqtt_endpoint import EndpointThread

        endpoint = EndpointThread("127.0.0.1", free_port())
        endpoint.start()
        clients = {}
        for device in devices:
            client = mqtt.Client(CallbackAPIVersion.VERSION2)
            client.username_pw_set(tokens[device.pk])
            client.connect("127.0.0.1", endpoint.port)
            client.loop_start()
            clients[device.pk] = client

        def send_tb(device: Device, ts: dt.datetime, values: dict[str, float]) -> None:
            body = json.dumps({"ts": int(ts.timestamp() * 1000), "values": values})
            clients[device.pk].publish("v1/devices/me/telemetry", body, qos=1).wait_for_publish(5)

        def close_endpoint() -> None:
            for client in clients.values():
                client.disconnect()
                client.loop_stop()
            # Let the endpoint flush what it has before stopping it.
            time.sleep(0.5)
            endpoint.stop()

        return (
            f"MQTT (the platform's own endpoint on 127.0.0.1:{endpoint.port}, ThingsBoard device API; no broker configured)",
            send_tb,
            close_endpoint,
        )
