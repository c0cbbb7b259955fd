"""Device health from stored data (right after a restart), offline/back-online events, and on
PostgreSQL the monthly partitions created ahead and dropped after the retention."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from time_machine import TimeMachineFixture

from kotacerdas.sensors import partitions
from kotacerdas.sensors.ingestion import RawReading, ingest
from kotacerdas.sensors.models import Device, DeviceEvent, Reading
from kotacerdas.sensors.services import Registered
from tests.sensors.conftest import NOW

pytestmark = pytest.mark.django_db


def test_health_goes_late_offline_and_back_online(
    post: Registered, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(NOW, tick=False)
    ingest([RawReading(post.device.pk, "water_level", 100, NOW)])
    fresh = Device.objects.get(pk=post.device.pk)  # as a restarted worker would read it
    assert fresh.health(NOW + dt.timedelta(seconds=300)) == "online"  # interval 300 s
    assert fresh.health(NOW + dt.timedelta(seconds=600)) == "late"
    assert fresh.health(NOW + dt.timedelta(seconds=1000)) == "offline"
    time_machine.move_to(NOW + dt.timedelta(seconds=1000), tick=False)
    call_command("check_sensor_health")
    call_command("check_sensor_health")  # once only
    ingest([RawReading(post.device.pk, "water_level", 101, NOW + dt.timedelta(seconds=1000))])
    actions = list(
        DeviceEvent.objects.filter(device=post.device)
        .exclude(action="registered")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["offline", "online"]


def test_partitions_created_ahead_and_dropped_after_retention(
    post: Registered, frozen: dt.datetime
) -> None:
    if connection.vendor != "postgresql":
        plan = partitions.plan(today=NOW.date(), retention_days=30)
        ingest([RawReading(post.device.pk, "water_level", 1, NOW - dt.timedelta(days=6))], now=NOW)
        plan.delete_before = NOW - dt.timedelta(days=5)
        partitions.apply(plan)
        assert plan.deleted_rows == 1 and not Reading.objects.exists()
        return
    ahead = partitions.plan(today=dt.date(2027, 3, 15), months_ahead=2, retention_days=10000)
    assert [d.isoformat() for d in ahead.create][-1] == "2027-05-01"
    partitions.apply(ahead)
    assert "sensors_reading_p202705" in partitions.existing_partitions()
    ingest([RawReading(post.device.pk, "water_level", 1, NOW - dt.timedelta(days=1))], now=NOW)
    # Retention: a plan made a year and a half later drops this month's partition, data and all.
    late = partitions.plan(today=dt.date(2028, 6, 1), months_ahead=0, retention_days=400)
    assert "sensors_reading_p202611" in late.drop
    partitions.apply(late)
    assert "sensors_reading_p202611" not in partitions.existing_partitions()
    assert not Reading.objects.exists()
