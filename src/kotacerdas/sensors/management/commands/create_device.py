"""``kotacerdas create_device --tenant 36.73 --name NAME --kind water_level`` registers a
device; the last line of output is "<id> <token>" (the token is shown only this once)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kotacerdas.core.errors import DomainError
from kotacerdas.sensors.models import DeviceKind
from kotacerdas.sensors.services import device_register
from kotacerdas.tenants.models import Opd, Tenant


class Command(BaseCommand):
    help = "Daftarkan perangkat sensor; baris terakhir: <id> <token>."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--tenant", required=True, help="Kode Kemendagri, mis. 36.73")
        parser.add_argument("--name", required=True)
        parser.add_argument("--kind", required=True, choices=DeviceKind.values)
        parser.add_argument("--opd", default="", help="Singkatan OPD pemilik, mis. BPBD")
        parser.add_argument("--lat", type=float)
        parser.add_argument("--lng", type=float)
        parser.add_argument("--interval", type=int, default=600, help="Interval kirim (detik)")
        parser.add_argument("--uid", default="", help="ID perangkat untuk topik MQTT")

    def handle(self, *args: Any, **o: Any) -> None:
        tenant = Tenant.objects.filter(region_id=o["tenant"]).first()
        if tenant is None:
            raise CommandError(f"unknown tenant {o['tenant']}")
        opd = None
        if o["opd"]:
            opd = Opd.objects.filter(tenant=tenant, acronym=o["opd"]).first()
            if opd is None:
                raise CommandError(f"unknown OPD {o['opd']}")
        try:
            registered = device_register(
                tenant=tenant,
                actor=None,
                name=o["name"],
                kind=o["kind"],
                opd=opd,
                latitude=o["lat"],
                longitude=o["lng"],
                expected_interval=o["interval"],
                uid=o["uid"],
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        device = registered.device
        self.stdout.write(
            f"registered {device.name} ({device.get_kind_display()}) uid={device.uid}"
        )
        self.stdout.write(f"{device.pk} {registered.token}")
