"""``kotacerdas serve_mqtt --bind 127.0.0.1:1884``: the platform's own MQTT endpoint for
ThingsBoard's device API (token as the MQTT username; ``v1/devices/me/telemetry``,
``v1/devices/me/attributes``, ``v1/gateway/telemetry``)."""

from __future__ import annotations

import asyncio
import signal
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kotacerdas.sensors import mqtt_endpoint


class Command(BaseCommand):
    help = "Layani API perangkat ThingsBoard lewat MQTT (token perangkat sebagai nama pengguna)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--bind", default="127.0.0.1:1884", help="HOST:PORT")

    def handle(self, *args: Any, bind: str, **options: Any) -> None:
        host, _sep, port = bind.rpartition(":")
        if not host or not port.isdigit():
            raise CommandError("--bind must be HOST:PORT")

        async def main() -> None:
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, stop.set)
            self.stdout.write(f"serve_mqtt: ThingsBoard device API on mqtt://{host}:{port}")
            self.stdout.flush()
            await mqtt_endpoint.serve(host, int(port), stop)

        asyncio.run(main())
        totals = mqtt_endpoint.STATE.totals
        self.stdout.write(
            f"serve_mqtt: stopped; {mqtt_endpoint.STATE.received} messages, {totals.stored} readings stored"
        )
