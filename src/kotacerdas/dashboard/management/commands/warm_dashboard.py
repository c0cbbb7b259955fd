"""Keeps the command centre's cache warm: computes every tenant's figures for the current
month (and the one before) and the 12-month trend, so that leaders and wall screens are
served from the cache instead of waiting for a cold computation. Schedule it at an interval
shorter than ``DASHBOARD_LIVE_SECONDS`` (e.g. every minute); it only reads and caches."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kotacerdas.dashboard import periods, selectors
from kotacerdas.dashboard.selectors import Scope
from kotacerdas.tenants.models import Tenant


class Command(BaseCommand):
    help = "Compute and cache every tenant's command-centre figures for the current month."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tenant", help="only this tenant (slug)")
        parser.add_argument("--trend", action="store_true", help="also the 12-month trend (slower)")

    def handle(self, *args: Any, **options: Any) -> None:
        tenants = Tenant.objects.filter(is_active=True).order_by("pk")
        if options["tenant"]:
            tenants = tenants.filter(slug=options["tenant"])
        for tenant in tenants:
            start = time.perf_counter()
            scope = Scope(tenant)
            period = periods.parse(tenant, {})
            selectors.overview(scope, period)
            if options["trend"]:
                selectors.trend(scope, period)
            self.stdout.write(
                f"{tenant.slug}: {period.label} {1000 * (time.perf_counter() - start):.0f} ms"
            )
