"""The one ingestion path every protocol writes through (HTTP, Mosquitto worker, own MQTT endpoint).

``ingest(readings)`` validates (known quantity, unit, range, clock skew), deduplicates on
(device, quantity, ts), writes the batch with one INSERT … ON CONFLICT DO NOTHING, folds the
rows that were really new into the hourly/daily rollups and the latest values, updates the
devices' last reading and battery, counts every reject, and evaluates the alert rules.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from kotacerdas.sensors.models import (
    HEALTH_QUANTITIES,
    UNIT_FACTORS,
    Device,
    DeviceEvent,
    Health,
    RejectReason,
)

log = logging.getLogger(__name__)

POLLUTANTS = ("pm25", "pm10", "o3", "co", "no2", "so2", "hc")


@dataclass(frozen=True)
class RawReading:
    """A value as a protocol decoded it; nothing checked yet."""

    device_id: int
    quantity: str
    value: Any
    ts: dt.datetime | None = None
    unit: str | None = None


@dataclass
class IngestResult:
    stored: int = 0
    duplicates: int = 0
    rejected: Counter[str] = field(default_factory=Counter)

    def merge(self, other: IngestResult) -> None:
        self.stored += other.stored
        self.duplicates += other.duplicates
        self.rejected.update(other.rejected)


Row = tuple[int, str, dt.datetime, float]


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def _validate(
    raws: Iterable[RawReading], devices: dict[int, Device], now: dt.datetime
) -> tuple[list[Row], Counter[tuple[int, str]]]:
    future = now + dt.timedelta(seconds=settings.SENSORS_MAX_FUTURE_SECONDS)
    past = now - dt.timedelta(days=settings.SENSORS_MAX_PAST_DAYS)
    rows: list[Row] = []
    seen: set[tuple[int, str, dt.datetime]] = set()
    rejects: Counter[tuple[int, str]] = Counter()
    for raw in raws:
        device = devices.get(raw.device_id)
        if device is None:
            continue  # protocols resolve devices first; a vanished device has nothing to count on
        if device.retired_at is not None:
            rejects[device.pk, RejectReason.RETIRED] += 1
            continue
        spec = device._quantity_specs.get(raw.quantity)  # type: ignore[attr-defined]
        if spec is None:
            rejects[device.pk, RejectReason.UNKNOWN_QUANTITY] += 1
            continue
        unit, low, high = spec
        number = _as_number(raw.value)
        if number is None:
            rejects[device.pk, RejectReason.NOT_A_NUMBER] += 1
            continue
        if raw.unit is not None and raw.unit != unit:
            factor = UNIT_FACTORS.get(unit, {}).get(raw.unit)
            if factor is None:
                rejects[device.pk, RejectReason.BAD_UNIT] += 1
                continue
            number *= factor
        if not low <= number <= high:
            rejects[device.pk, RejectReason.OUT_OF_RANGE] += 1
            continue
        ts = raw.ts or now
        if ts > future:
            rejects[device.pk, RejectReason.CLOCK_FUTURE] += 1
            continue
        if ts < past:
            rejects[device.pk, RejectReason.CLOCK_PAST] += 1
            continue
        # Millisecond precision, as devices send it: a retry with the same ts is a duplicate.
        ts = ts.replace(microsecond=ts.microsecond // 1000 * 1000)
        key = (device.pk, raw.quantity, ts)
        if key in seen:
            rejects[device.pk, RejectReason.DUPLICATE] += 1
            continue
        seen.add(key)
        rows.append((device.pk, raw.quantity, ts, number))
    return rows, rejects


def load_devices(ids: Iterable[int]) -> dict[int, Device]:
    """Devices with their quantity specs attached (``_quantity_specs``), two queries."""
    devices = {
        d.pk: d
        for d in Device.objects.filter(pk__in=set(ids))
        .select_related("tenant")
        .prefetch_related("quantities")
    }
    for device in devices.values():
        device._quantity_specs = {  # type: ignore[attr-defined]
            q.key: (q.unit, q.min_value, q.max_value) for q in device.quantities.all()
        }
    return devices


def ingest(
    raws: Sequence[RawReading], *, now: dt.datetime | None = None, evaluate: bool = True
) -> IngestResult:
    """Store a batch of readings through the one path. Runs in one transaction."""
    now = now or timezone.now()
    devices = load_devices(r.device_id for r in raws)
    rows, rejects = _validate(raws, devices, now)
    result = IngestResult()
    with transaction.atomic():
        inserted = _insert_readings(rows)
        result.stored = len(inserted)
        duplicates = len(rows) - len(inserted)
        if duplicates:
            # Which rows were the duplicates does not matter for the count per device: attribute
            # them by difference.
            new_keys = {(r[0], r[1], r[2]) for r in inserted}
            for row in rows:
                if (row[0], row[1], row[2]) not in new_keys:
                    rejects[row[0], RejectReason.DUPLICATE] += 1
        result.duplicates = sum(n for (_, reason), n in rejects.items() if reason == "duplicate")
        for (_, reason), n in rejects.items():
            if reason != RejectReason.DUPLICATE:
                result.rejected[reason] += n
        if rejects:
            _count_rejects(rejects, now.date())
        if inserted:
            _fold_rollups(inserted)
            _upsert_latest(inserted)
            _touch_devices(inserted, devices, now)
            derived = _derive_ispu(inserted, devices)
            if derived:
                more = _insert_readings(derived)
                if more:
                    _fold_rollups(more)
                    _upsert_latest(more)
                    inserted = inserted + more
            if evaluate:
                from kotacerdas.sensors.alerts import evaluate_readings

                evaluate_readings(inserted, devices)
    return result


# ------------------------------------------------------------------ SQL, per vendor

_PG = "postgresql"


def _insert_readings(rows: list[Row]) -> list[Row]:
    """INSERT … ON CONFLICT DO NOTHING RETURNING: exactly the rows that were new."""
    if not rows:
        return []
    out: list[Row] = []
    with connection.cursor() as cursor:
        if connection.vendor == _PG:
            cursor.execute(
                "INSERT INTO sensors_reading (device_id, quantity, ts, value) "
                "SELECT * FROM unnest(%s::bigint[], %s::varchar[], %s::timestamptz[], "
                "%s::float8[]) ON CONFLICT DO NOTHING RETURNING device_id, quantity, ts, value",
                [list(col) for col in zip(*rows, strict=True)],
            )
            out.extend(cursor.fetchall())
        else:
            for start in range(0, len(rows), 200):
                chunk = rows[start : start + 200]
                values = ",".join(["(%s,%s,%s,%s)"] * len(chunk))
                cursor.execute(
                    f"INSERT INTO sensors_reading (device_id, quantity, ts, value) VALUES {values} "  # noqa: S608 - placeholders only
                    "ON CONFLICT DO NOTHING RETURNING device_id, quantity, ts, value",
                    [
                        connection.ops.adapt_datetimefield_value(v)
                        if isinstance(v, dt.datetime)
                        else v
                        for row in chunk
                        for v in row
                    ],
                )
                for device_id, quantity, raw_ts, value in cursor.fetchall():
                    ts = dt.datetime.fromisoformat(raw_ts) if isinstance(raw_ts, str) else raw_ts
                    if ts.tzinfo is None:
                        ts = ts.replace(tzinfo=dt.UTC)
                    out.append((device_id, quantity, ts, value))
    return out


def _bucket_start(ts: dt.datetime, bucket: str) -> dt.datetime:
    ts = ts.astimezone(dt.UTC)
    if bucket == "hour":
        return ts.replace(minute=0, second=0, microsecond=0)
    return ts.replace(hour=0, minute=0, second=0, microsecond=0)


def _fold_rollups(rows: list[Row]) -> None:
    """Add the new rows to their hour and day buckets (count, sum, min, max)."""
    agg: dict[tuple[int, str, str, dt.datetime], list[float]] = {}
    for device_id, quantity, ts, value in rows:
        if quantity in HEALTH_QUANTITIES:
            continue
        for bucket in ("hour", "day"):
            key = (device_id, quantity, bucket, _bucket_start(ts, bucket))
            acc = agg.get(key)
            if acc is None:
                agg[key] = [1, value, value, value]
            else:
                acc[0] += 1
                acc[1] += value
                acc[2] = min(acc[2], value)
                acc[3] = max(acc[3], value)
    if not agg:
        return
    items: list[tuple[Any, ...]] = [(*key, *acc) for key, acc in agg.items()]
    with connection.cursor() as cursor:
        if connection.vendor == _PG:
            cursor.execute(
                "INSERT INTO sensors_rollup (device_id, quantity, bucket, start, count, total, "
                "minimum, maximum) SELECT * FROM unnest(%s::bigint[], %s::varchar[], "
                "%s::varchar[], %s::timestamptz[], %s::int[], %s::float8[], %s::float8[], "
                "%s::float8[]) ON CONFLICT (device_id, quantity, bucket, start) DO UPDATE SET "
                "count = sensors_rollup.count + EXCLUDED.count, "
                "total = sensors_rollup.total + EXCLUDED.total, "
                "minimum = LEAST(sensors_rollup.minimum, EXCLUDED.minimum), "
                "maximum = GREATEST(sensors_rollup.maximum, EXCLUDED.maximum)",
                [list(col) for col in zip(*items, strict=True)],
            )
        else:
            cursor.executemany(
                "INSERT INTO sensors_rollup (device_id, quantity, bucket, start, count, total, "
                "minimum, maximum) VALUES (%s,%s,%s,%s,%s,%s,%s,%s) "
                "ON CONFLICT (device_id, quantity, bucket, start) DO UPDATE SET "
                "count = count + excluded.count, total = total + excluded.total, "
                "minimum = min(minimum, excluded.minimum), "
                "maximum = max(maximum, excluded.maximum)",
                [
                    (d, q, b, connection.ops.adapt_datetimefield_value(s), c, t, lo, hi)
                    for d, q, b, s, c, t, lo, hi in items
                ],
            )


def _newest(rows: list[Row]) -> dict[tuple[int, str], tuple[dt.datetime, float]]:
    newest: dict[tuple[int, str], tuple[dt.datetime, float]] = {}
    for device_id, quantity, ts, value in rows:
        current = newest.get((device_id, quantity))
        if current is None or ts > current[0]:
            newest[device_id, quantity] = (ts, value)
    return newest


def _upsert_latest(rows: list[Row]) -> None:
    items = [(d, q, ts, v) for (d, q), (ts, v) in _newest(rows).items()]
    with connection.cursor() as cursor:
        if connection.vendor == _PG:
            cursor.execute(
                "INSERT INTO sensors_latestvalue (device_id, quantity, ts, value) "
                "SELECT * FROM unnest(%s::bigint[], %s::varchar[], %s::timestamptz[], "
                "%s::float8[]) ON CONFLICT (device_id, quantity) DO UPDATE SET "
                "ts = EXCLUDED.ts, value = EXCLUDED.value WHERE sensors_latestvalue.ts < EXCLUDED.ts",
                [list(col) for col in zip(*items, strict=True)],
            )
        else:
            cursor.executemany(
                "INSERT INTO sensors_latestvalue (device_id, quantity, ts, value) "
                "VALUES (%s,%s,%s,%s) ON CONFLICT (device_id, quantity) DO UPDATE SET "
                "ts = excluded.ts, value = excluded.value WHERE ts < excluded.ts",
                [(d, q, connection.ops.adapt_datetimefield_value(t), v) for d, q, t, v in items],
            )


def _touch_devices(rows: list[Row], devices: dict[int, Device], now: dt.datetime) -> None:
    """Last reading and battery per device; a device that was reported offline is back online."""
    last: dict[int, dt.datetime] = {}
    for device_id, _q, ts, _v in rows:
        if device_id not in last or ts > last[device_id]:
            last[device_id] = ts
    batteries = {d: v for (d, q), (_ts, v) in _newest(rows).items() if q == "battery"}
    for device_id, ts in last.items():
        device = devices[device_id]
        changes: dict[str, Any] = {}
        if device.last_seen_at is None or ts > device.last_seen_at:
            changes["last_seen_at"] = ts
            device.last_seen_at = ts
        if device_id in batteries:
            changes["battery"] = batteries[device_id]
        if changes:
            # Conditional UPDATE: a concurrent worker with a newer reading is never overwritten.
            qs = Device.objects.filter(pk=device_id)
            if "last_seen_at" in changes:
                from django.db.models import Q

                qs = qs.filter(Q(last_seen_at__isnull=True) | Q(last_seen_at__lt=ts))
            qs.update(**changes)
        if device.reported_health in (Health.OFFLINE, Health.LATE, Health.NEVER):
            came_back = Device.objects.filter(
                pk=device_id, reported_health=device.reported_health
            ).update(reported_health=Health.ONLINE)
            if came_back and device.reported_health != Health.NEVER:
                DeviceEvent.objects.create(
                    tenant_id=device.tenant_id, device=device, action="online", created_at=now
                )
            device.reported_health = Health.ONLINE


def _count_rejects(rejects: Counter[tuple[int, str]], day: dt.date) -> None:
    items = [(d, reason, day, n) for (d, reason), n in rejects.items()]
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO sensors_rejectcount (device_id, reason, day, count) VALUES (%s,%s,%s,%s) "
            "ON CONFLICT (device_id, reason, day) DO UPDATE SET "
            "count = sensors_rejectcount.count + excluded.count",
            items,
        )


def _derive_ispu(rows: list[Row], devices: dict[int, Device]) -> list[Row]:
    """For air-quality devices that declare ``ispu``: the index from the latest pollutant
    concentrations (the reported ISPU is the maximum over pollutants), at the newest ts."""
    from kotacerdas.sensors.ispu import ispu_from_concentrations
    from kotacerdas.sensors.models import LatestValue

    touched: dict[int, dt.datetime] = defaultdict(lambda: dt.datetime.min.replace(tzinfo=dt.UTC))
    for device_id, quantity, ts, _v in rows:
        device = devices[device_id]
        if quantity in POLLUTANTS and "ispu" in device._quantity_specs:  # type: ignore[attr-defined]
            touched[device_id] = max(touched[device_id], ts)
    if not touched:
        return []
    latest: dict[int, dict[str, float]] = defaultdict(dict)
    for device_id, quantity, value in LatestValue.objects.filter(
        device_id__in=touched, quantity__in=POLLUTANTS
    ).values_list("device_id", "quantity", "value"):
        latest[device_id][quantity] = value
    derived: list[Row] = []
    for device_id, ts in touched.items():
        index = ispu_from_concentrations(latest[device_id])
        if index is not None:
            derived.append((device_id, "ispu", ts, float(index)))
    return derived
