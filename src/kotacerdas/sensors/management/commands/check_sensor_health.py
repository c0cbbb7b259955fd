"""Scheduled every minute or so: record "offline" (and "late") events for devices whose last
reading is too old. Health itself is always derived from the stored last reading, so it is right
after any restart; this command only turns changes into events (back online is recorded by
ingestion when the next reading arrives)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from kotacerdas.sensors.models import Device, DeviceEvent, Health


class Command(BaseCommand):
    help = "Catat kejadian perangkat sensor yang terlambat atau luring."

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        changed = 0
        for device in (
            Device.objects.active().exclude(last_seen_at__isnull=True).iterator(chunk_size=500)
        ):
            health = device.health(now)
            if health in (Health.LATE, Health.OFFLINE) and health != device.reported_health:
                with transaction.atomic():
                    # Conditional UPDATE: a reading that arrived meanwhile wins.
                    if Device.objects.filter(
                        pk=device.pk, reported_health=device.reported_health
                    ).update(reported_health=health):
                        DeviceEvent.objects.create(
                            tenant_id=device.tenant_id, device=device, action=health, created_at=now
                        )
                        changed += 1
        self.stdout.write(f"check_sensor_health: {changed} devices changed state")
