"""Publishes the platform's own statistics as open datasets (scheduled, e.g. daily).

Prints what it would publish; acts only with ``--commit``. Idempotent: an unchanged table
adds no version."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from kotacerdas.opendata import platform, services
from kotacerdas.tenants.models import Tenant


class Command(BaseCommand):
    help = "Terbitkan statistik platform sebagai dataset terbuka (dengan --commit)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--commit", action="store_true", help="benar-benar terbitkan")
        parser.add_argument("--tenant", help="slug satu pemerintah daerah saja")

    def handle(self, *args: Any, **options: Any) -> None:
        tenants = Tenant.objects.filter(is_active=True)
        if options["tenant"]:
            tenants = tenants.filter(slug=options["tenant"])
        today = timezone.localdate()
        for tenant in tenants:
            for table in platform.tables_for(tenant, today=today):
                if not options["commit"]:
                    self.stdout.write(f"{tenant.slug} {table.key}: {len(table.rows)} baris (uji)")
                    continue
                dataset, changed = services.platform_dataset_publish(tenant=tenant, table=table)
                state = f"versi baru ({len(table.rows)} baris)" if changed else "tidak berubah"
                self.stdout.write(f"{tenant.slug} {dataset.name}: {state}")
