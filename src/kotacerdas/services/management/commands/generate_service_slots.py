from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from kotacerdas.services.models import Location, LocationKind
from kotacerdas.services.services import slots_generate
from kotacerdas.tenants.models import Tenant


class Command(BaseCommand):
    help = (
        "Membuka slot janji temu untuk N hari ke depan di setiap lokasi layanan aktif sebuah daerah, "
        "hanya pada hari kerja (hari libur dilewati). Aman dijalankan berulang kali, misalnya setiap malam."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tenant", required=True, help="slug daerah, misalnya kota-serang")
        parser.add_argument("--days", type=int, default=14, help="jumlah hari ke depan (bawaan 14)")
        parser.add_argument(
            "--times", default="08:00,09:00,10:00,13:00", help="jam mulai, dipisah koma"
        )
        parser.add_argument("--minutes", type=int, default=60, help="lama tiap slot dalam menit")
        parser.add_argument(
            "--capacity", type=int, default=None, help="kapasitas (bawaan: 10, kecamatan 3)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            tenant = Tenant.objects.get(slug=options["tenant"])
            times = [
                dt.time.fromisoformat(t.strip()) for t in options["times"].split(",") if t.strip()
            ]
        except Tenant.DoesNotExist:
            raise CommandError(f"Daerah '{options['tenant']}' tidak dikenal.") from None
        except ValueError:
            raise CommandError("--times harus berupa jam seperti 08:00,13:30.") from None
        total = 0
        for location in Location.objects.filter(tenant=tenant, is_active=True):
            capacity = options["capacity"] or (3 if location.kind == LocationKind.KECAMATAN else 10)
            total += slots_generate(
                location=location,
                first_day=timezone.localdate() + dt.timedelta(days=1),
                days=options["days"],
                times=times,
                minutes=options["minutes"],
                capacity=capacity,
            )
        self.stdout.write(f"{total} slot baru untuk {tenant.name}.")
