"""Scheduled (e.g. daily): remind lead OPDs of overdue progress reports, once per period."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from kotacerdas.planning.selectors import overdue_reports
from kotacerdas.planning.services import reminder_send
from kotacerdas.tenants.models import Tenant


class Command(BaseCommand):
    help = (
        "Mengirim surel pengingat kepada operator OPD pengampu untuk laporan kemajuan yang "
        "terlambat. Setiap periode hanya diingatkan sekali; aman dijalankan berulang kali. "
        "Tanpa --commit hanya menampilkan apa yang akan dikirim."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--commit", action="store_true", help="benar-benar mengirim surel")
        parser.add_argument("--site-url", default="", help="alamat situs untuk tautan di surel")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        sent = 0
        for tenant in Tenant.objects.filter(is_active=True):
            for item in overdue_reports(tenant, today):
                if item.programme.reminders.filter(period_start=item.period.start).exists():
                    continue
                line = f"{tenant.slug}: {item.programme.name} {item.period.label} (batas {item.due:%Y-%m-%d})"
                if not options["commit"]:
                    self.stdout.write(f"akan diingatkan: {line}")
                    continue
                url = (
                    f"{options['site_url'].rstrip('/')}/{tenant.slug}/rencana/laporan/"
                    if options["site_url"]
                    else ""
                )
                recipients = reminder_send(
                    programme=item.programme, period=item.period, due=item.due, site_url=url
                )
                sent += 1
                self.stdout.write(f"diingatkan ({recipients} penerima): {line}")
        self.stdout.write(f"Pengingat terkirim: {sent}.")
