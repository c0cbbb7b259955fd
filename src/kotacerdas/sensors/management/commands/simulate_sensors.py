"""``kotacerdas simulate_sensors --tenant 36.73 --scenario flood [--fast]``: a rain event on the
tenant's example devices, played through the real ingestion path and returning when it is over.

Transport (``--via auto``, the default): Mosquitto when ``SENSORS_MQTT_URL`` is set and answers
(the devices publish FIWARE UltraLight with their own broker credentials; run
``kotacerdas ingest_sensors`` alongside); with no broker, the platform's own MQTT endpoint
started in this process (ThingsBoard's device API); if that cannot start either, ThingsBoard's
HTTP device API of the running platform at ``--url`` (``SITE_URL``, the server of ``make run``).
``--via mosquitto|endpoint|http`` forces one. The log says which. The event spans the last three hours of reading time (readings carry their
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
        parser.add_argument(
            "--via", choices=["auto", "mosquitto", "endpoint", "http"], default="auto"
        )
        parser.add_argument(
            "--url", default="", help="Alamat platform untuk API HTTP perangkat (bawaan: SITE_URL)"
        )

    def handle(
        self,
        *args: Any,
        tenant: str,
        scenario: str,
        fast: bool,
        via: str,
        url: str,
        **options: Any,
    ) -> None:
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
        transport, send, close = self._transport(devices, tokens, via, url or settings.SITE_URL)
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
        finally:
            close()
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

    def _transport(
        self, devices: list[Device], tokens: dict[int, str], via: str, url: str
    ) -> tuple[str, Any, Any]:
        if via in ("auto", "mosquitto") and settings.SENSORS_MQTT_URL:
            chosen = self._mosquitto(devices, tokens)
            if chosen is not None:
                return chosen
        elif via == "mosquitto":
            raise CommandError("SENSORS_MQTT_URL is not set")
        if via == "mosquitto":
            raise CommandError("Mosquitto is unreachable")
        if via in ("auto", "endpoint"):
            try:
                return self._endpoint(devices, tokens)
            except (OSError, RuntimeError) as exc:
                if via == "endpoint":
                    raise CommandError(
                        f"the platform's MQTT endpoint did not start: {exc}"
                    ) from exc
                self.stdout.write(
                    f"simulate_sensors: the platform's own MQTT endpoint did not start ({exc})"
                )
        return self._http(tokens, url)

    def _mosquitto(
        self, devices: list[Device], tokens: dict[int, str]
    ) -> tuple[str, Any, Any] | None:
        import paho.mqtt.client as mqtt
        from paho.mqtt.enums import CallbackAPIVersion

        from kotacerdas.sensors.dynsec import parse_url

        url = parse_url(settings.SENSORS_MQTT_URL)
        clients: dict[int, Any] = {}

        def close_all() -> None:
            for client in clients.values():
                client.disconnect()
                client.loop_stop()

        try:
            for device in devices:
                client = mqtt.Client(CallbackAPIVersion.VERSION2)
                client.username_pw_set(device.uid, tokens[device.pk])
                client.connect(url.host, url.port)
                client.loop_start()
                clients[device.pk] = client
        except OSError as exc:
            close_all()
            self.stdout.write(
                f"simulate_sensors: Mosquitto at {url.host}:{url.port} unreachable ({exc})"
            )
            return None

        def send_ul(device: Device, ts: dt.datetime, values: dict[str, float]) -> None:
            payload = "|".join(["t", ts.isoformat()] + [f"{k}|{v}" for k, v in values.items()])
            clients[device.pk].publish(
                f"/ul/{device.apikey}/{device.uid}/attrs", payload, qos=1
            ).wait_for_publish(5)

        return (
            f"MQTT (Mosquitto {url.host}:{url.port}, FIWARE UltraLight 2.0)",
            send_ul,
            close_all,
        )

    def _endpoint(self, devices: list[Device], tokens: dict[int, str]) -> tuple[str, Any, Any]:
        import paho.mqtt.client as mqtt
        from paho.mqtt.enums import CallbackAPIVersion

        from kotacerdas.sensors.mosquitto import free_port
        from kotacerdas.sensors.mqtt_endpoint import STATE, EndpointThread

        endpoint = EndpointThread("127.0.0.1", free_port())
        endpoint.start()
        clients = {}
        for device in devices:
            client = mqtt.Client(CallbackAPIVersion.VERSION2)
            client.username_pw_set(tokens[device.pk])
            client.connect("127.0.0.1", endpoint.port)
            client.loop_start()
            clients[device.pk] = client
        expected = STATE.received

        def send_tb(device: Device, ts: dt.datetime, values: dict[str, float]) -> None:
            nonlocal expected
            body = json.dumps({"ts": int(ts.timestamp() * 1000), "values": values})
            clients[device.pk].publish("v1/devices/me/telemetry", body, qos=1).wait_for_publish(5)
            expected += 1

        def close_endpoint() -> None:
            for client in clients.values():
                client.disconnect()
                client.loop_stop()
            # The endpoint has every message once the broker acknowledged it; wait until its
            # flusher took them all in before stopping it.
            deadline = time.monotonic() + 30
            while STATE.received < expected and time.monotonic() < deadline:
                time.sleep(0.05)
            endpoint.stop()  # its flusher writes what is still pending before it returns

        return (
            f"MQTT (the platform's own endpoint on 127.0.0.1:{endpoint.port}, ThingsBoard device "
            "API; no broker configured)",
            send_tb,
            close_endpoint,
        )

    def _http(self, tokens: dict[int, str], url: str) -> tuple[str, Any, Any]:
        """ThingsBoard's HTTP device API of the running platform; each step is one request."""
        import httpx

        base = url.rstrip("/")
        http = httpx.Client(timeout=10)
        try:
            http.get(f"{base}/healthz").raise_for_status()
        except httpx.HTTPError as exc:
            http.close()
            raise CommandError(
                f"no broker, and the platform at {base} does not answer ({exc}): start it with "
                "`make run` or pass --url"
            ) from exc

        def send_http(device: Device, ts: dt.datetime, values: dict[str, float]) -> None:
            response = http.post(
                f"{base}/api/v1/{tokens[device.pk]}/telemetry",
                json={"ts": int(ts.timestamp() * 1000), "values": values},
            )
            if response.status_code != 200:
                raise CommandError(f"HTTP {response.status_code}: {response.text[:200]}")

        return (
            f"HTTP (ThingsBoard device API at {base}; no broker reachable)",
            send_http,
            http.close,
        )
