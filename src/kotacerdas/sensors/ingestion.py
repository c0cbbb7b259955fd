"""The one ingestion path every protocol writes through (HTTP, Mosquitto worker, own MQTT endpoint).

``ingest(readings)`` validates (known quantity, unit, range, clock skew), deduplicates on
(device, quantity, ts), writes the batch with one INSERT … ON CONFLICT DO NOTHING, folds the
rows that were really new into the hourly/daily rollups and the latest values, updates the
devices' last reading and battery, counts every reject, and evaluates the alert rules.

On PostgreSQL the batch is copied (``COPY``) into a session-local staging table and one
statement inserts it, folds the new rows into the rollups and the latest values, and returns
only what Python still needs: per device the count and newest timestamp of the new rows, and
the new rows that an alert rule, the ISPU or the battery level reads. The rules of every device
of the batch are loaded in one query. SQLite runs the same steps one by one.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

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


class RawReading(NamedTuple):
    """A value as a protocol decoded it; nothing checked yet. (A tuple: a batch makes
    thousands of them.) ``ts`` is an aware datetime or, as ThingsBoard payloads carry it, epoch
    milliseconds (no datetime object per reading on the hot path); None means "now"."""

    device_id: int
    quantity: str
    value: Any
    ts: dt.datetime | int | None = None
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
# A validated reading on its way in: its timestamp in epoch milliseconds.
NewRow = tuple[int, str, int, float]

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
ONE_MS = dt.timedelta(milliseconds=1)


def epoch_ms(ts: dt.datetime) -> int:
    """Whole milliseconds since the epoch (floor), exactly: no float on the way."""
    return (ts - EPOCH) // ONE_MS


def from_epoch_ms(ms: int) -> dt.datetime:
    return EPOCH + dt.timedelta(milliseconds=ms)


def _as_number(value: Any) -> float | None:
    kind = type(value)
    if kind is float or kind is int:  # the common case first; bool is not int by type()
        number = float(value)
    elif isinstance(value, bool):
        return None
    elif isinstance(value, int | float):
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
) -> tuple[list[NewRow], Counter[tuple[int, str]]]:
    """One pass, on plain tuples: this loop runs once per reading."""
    now_ms = epoch_ms(now)
    future = now_ms + settings.SENSORS_MAX_FUTURE_SECONDS * 1000
    past = now_ms - settings.SENSORS_MAX_PAST_DAYS * 86_400_000
    # (device, quantity) → (unit, low, high) for the devices that may store.
    specs: dict[tuple[int, str], tuple[str, float, float]] = {
        (pk, key): spec
        for pk, device in devices.items()
        if device.retired_at is None
        for key, spec in device._quantity_specs.items()  # type: ignore[attr-defined]
    }
    rows: list[NewRow] = []
    seen: set[tuple[int, str, int]] = set()
    rejects: Counter[tuple[int, str]] = Counter()
    for device_id, quantity, value, ts, unit in raws:
        spec = specs.get((device_id, quantity))
        if spec is None:
            device = devices.get(device_id)
            if device is None:
                continue  # protocols resolve devices first; a vanished one has nothing to count
            reason = RejectReason.RETIRED if device.retired_at else RejectReason.UNKNOWN_QUANTITY
            rejects[device_id, reason] += 1
            continue
        expected_unit, low, high = spec
        number = _as_number(value)
        if number is None:
            rejects[device_id, RejectReason.NOT_A_NUMBER] += 1
            continue
        if unit is not None and unit != expected_unit:
            factor = UNIT_FACTORS.get(expected_unit, {}).get(unit)
            if factor is None:
                rejects[device_id, RejectReason.BAD_UNIT] += 1
                continue
            number *= factor
        if not low <= number <= high:
            rejects[device_id, RejectReason.OUT_OF_RANGE] += 1
            continue
        # Millisecond precision, as devices send it: a retry with the same ts is a duplicate.
        ms = now_ms if ts is None else ts if type(ts) is int else epoch_ms(ts)  # type: ignore[arg-type]
        if ms > future:
            rejects[device_id, RejectReason.CLOCK_FUTURE] += 1
            continue
        if ms < past:
            rejects[device_id, RejectReason.CLOCK_PAST] += 1
            continue
        key = (device_id, quantity, ms)
        if key in seen:
            rejects[device_id, RejectReason.DUPLICATE] += 1
            continue
        seen.add(key)
        rows.append((device_id, quantity, ms, number))
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


class Stored(NamedTuple):
    """What a write returns: per device the count and newest ts of the rows that were new, and
    the new rows Python still reads (those of ``watched`` pairs and health quantities)."""

    per_device: dict[int, tuple[int, dt.datetime]]
    rows: list[Row]


def ingest(
    raws: Sequence[RawReading], *, now: dt.datetime | None = None, evaluate: bool = True
) -> IngestResult:
    """Store a batch of readings through the one path. Runs in one transaction."""
    from kotacerdas.sensors.alerts import evaluate_readings, rules_for_devices

    now = now or timezone.now()
    devices = load_devices(r.device_id for r in raws)
    rows, rejects = _validate(raws, devices, now)
    result = IngestResult()
    with transaction.atomic():
        rules = rules_for_devices(devices.values()) if evaluate and rows else {}
        watched = {(d, rule.quantity) for d, device_rules in rules.items() for rule in device_rules}
        for device in devices.values():
            if "ispu" in device._quantity_specs:  # type: ignore[attr-defined]
                watched.update((device.pk, q) for q in POLLUTANTS)
        stored = _store(rows, watched)
        result.stored = sum(n for n, _ts in stored.per_device.values())
        if result.stored < len(rows):
            sent = Counter(row[0] for row in rows)
            for device_id, n in sent.items():
                new = stored.per_device.get(device_id, (0, now))[0]
                if n > new:
                    rejects[device_id, RejectReason.DUPLICATE] += n - new
        result.duplicates = sum(n for (_, reason), n in rejects.items() if reason == "duplicate")
        for (_, reason), n in rejects.items():
            if reason != RejectReason.DUPLICATE:
                result.rejected[reason] += n
        if rejects:
            _count_rejects(rejects, now.date())
        if stored.per_device:
            _touch_devices(stored, devices, now)
            new_rows = stored.rows
            derived = _derive_ispu(new_rows, devices)
            if derived:
                new_rows = new_rows + _store(derived, watched).rows
            if evaluate:
                evaluate_readings(new_rows, devices, rules)
    return result


def _store(rows: list[NewRow], watched: set[tuple[int, str]]) -> Stored:
    if not rows:
        return Stored({}, [])
    if connection.vendor == _PG:
        return _store_pg(rows, watched)
    inserted = _insert_readings([(d, q, from_epoch_ms(ms), v) for d, q, ms, v in rows])
    _fold_rollups(inserted)
    _upsert_latest(inserted)
    per_device: dict[int, tuple[int, dt.datetime]] = {}
    for device_id, _q, ts, _v in inserted:
        n, newest = per_device.get(device_id, (0, ts))
        per_device[device_id] = (n + 1, max(newest, ts))
    return Stored(
        per_device,
        [r for r in inserted if r[1] in HEALTH_QUANTITIES or (r[0], r[1]) in watched],
    )


# ------------------------------------------------------------------ SQL, per vendor

_PG = "postgresql"


_STAGE = "kc_reading_stage"
# One statement: insert the staged rows, fold the new ones into both rollups and the latest
# values, and return per device (count, newest ts) plus the new rows Python reads.
_STORE_SQL = f"""
WITH ins AS (
    INSERT INTO sensors_reading (device_id, quantity, ts, value)
    SELECT device_id, quantity, timestamptz 'epoch' + ts_ms * interval '1 millisecond', value
    FROM {_STAGE}
    ON CONFLICT DO NOTHING
    RETURNING device_id, quantity, ts, value
), hours AS (
    -- Hours first, days from the hours: one date_trunc per row, not one per row and bucket.
    SELECT device_id, quantity, date_trunc('hour', ts, 'UTC') AS start,
           count(*) AS n, sum(value) AS total, min(value) AS lo, max(value) AS hi
    FROM ins WHERE quantity <> ALL(%(health)s::varchar[])
    GROUP BY 1, 2, 3
), roll AS (
    INSERT INTO sensors_rollup AS r
        (device_id, quantity, bucket, start, count, total, minimum, maximum)
    SELECT device_id, quantity, 'hour', start, n, total, lo, hi FROM hours
    UNION ALL
    SELECT device_id, quantity, 'day', date_trunc('day', start, 'UTC'),
           sum(n), sum(total), min(lo), max(hi)
    FROM hours GROUP BY device_id, quantity, date_trunc('day', start, 'UTC')
    ON CONFLICT (device_id, quantity, bucket, start) DO UPDATE SET
        count = r.count + EXCLUDED.count, total = r.total + EXCLUDED.total,
        minimum = LEAST(r.minimum, EXCLUDED.minimum), maximum = GREATEST(r.maximum, EXCLUDED.maximum)
), newest AS (
    SELECT device_id, quantity, max(ts) AS ts FROM ins GROUP BY 1, 2
), latest AS (
    -- A hash join on each series' newest ts (unique: ins holds each key once), not a sort
    -- of the whole batch as DISTINCT ON would.
    INSERT INTO sensors_latestvalue AS l (device_id, quantity, ts, value)
    SELECT device_id, quantity, ts, i.value FROM ins AS i JOIN newest USING (device_id, quantity, ts)
    ON CONFLICT (device_id, quantity) DO UPDATE SET ts = EXCLUDED.ts, value = EXCLUDED.value
    WHERE l.ts < EXCLUDED.ts
)
SELECT device_id, NULL::varchar, max(ts), count(*)::float8 FROM ins GROUP BY device_id
UNION ALL
SELECT device_id, quantity, ts, value FROM ins
WHERE quantity = ANY(%(health)s::varchar[])
   OR (device_id, quantity) IN (
       SELECT * FROM unnest(%(devices)s::bigint[], %(quantities)s::varchar[]))
"""  # noqa: S608 - constant table name, values are parameters


def _copy_text(rows: list[NewRow]) -> str:
    """The batch in COPY's text format, built in one go: psycopg's ``write_row`` adapts every
    value through its dumpers, which cost more than the rest of the store. Safe without
    escaping: ids and milliseconds are ints, values finite floats, and quantities are keys a
    device declared (``DeviceQuantity.key``, one of ``QUANTITIES``)."""
    return "".join([f"{d}\t{q}\t{ms}\t{v!r}\n" for d, q, ms, v in rows])


def _store_pg(rows: list[NewRow], watched: set[tuple[int, str]]) -> Stored:
    """Call inside ``transaction.atomic``: the staging table empties at commit."""
    with connection.cursor() as cursor:
        # Session-local and unlogged by nature; TRUNCATE also clears a batch written earlier
        # in the same (outer) transaction.
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {_STAGE} (device_id bigint, quantity varchar(20), "
            "ts_ms bigint, value float8) ON COMMIT DELETE ROWS"
        )
        cursor.execute(f"TRUNCATE {_STAGE}")
        with cursor.copy(f"COPY {_STAGE} (device_id, quantity, ts_ms, value) FROM STDIN") as copy:
            copy.write(_copy_text(rows))
        pairs = sorted(watched)
        cursor.execute(
            _STORE_SQL,
            {
                "health": sorted(HEALTH_QUANTITIES),
                "devices": [d for d, _q in pairs],
                "quantities": [q for _d, q in pairs],
            },
        )
        per_device: dict[int, tuple[int, dt.datetime]] = {}
        out: list[Row] = []
        for device_id, quantity, ts, value in cursor.fetchall():
            if quantity is None:
                per_device[device_id] = (int(value), ts)
            else:
                out.append((device_id, quantity, ts, value))
    return Stored(per_device, out)


def _insert_readings(rows: list[Row]) -> list[Row]:
    """SQLite: INSERT … ON CONFLICT DO NOTHING RETURNING: exactly the rows that were new."""
    out: list[Row] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 200):
            chunk = rows[start : start + 200]
            values = ",".join(["(%s,%s,%s,%s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO sensors_reading (device_id, quantity, ts, value) VALUES {values} "  # noqa: S608 - placeholders only
                "ON CONFLICT DO NOTHING RETURNING device_id, quantity, ts, value",
                [
                    connection.ops.adapt_datetimefield_value(v) if isinstance(v, dt.datetime) else v
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
    """SQLite: add the new rows to their hour and day buckets (count, sum, min, max)."""
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
    """SQLite: the newest value per device and quantity."""
    items = [(d, q, ts, v) for (d, q), (ts, v) in _newest(rows).items()]
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO sensors_latestvalue (device_id, quantity, ts, value) "
            "VALUES (%s,%s,%s,%s) ON CONFLICT (device_id, quantity) DO UPDATE SET "
            "ts = excluded.ts, value = excluded.value WHERE ts < excluded.ts",
            [(d, q, connection.ops.adapt_datetimefield_value(t), v) for d, q, t, v in items],
        )


_TOUCH_SQL = {
    # One UPDATE for the batch. Conditional: a concurrent worker with a newer reading is never
    # overwritten, neither its last reading nor its battery level.
    _PG: (
        "WITH v (id, ts, battery, battery_ts) AS (VALUES {values}) "
        "UPDATE sensors_device AS d SET "
        "last_seen_at = GREATEST(d.last_seen_at, v.ts), "
        "battery = CASE WHEN v.battery IS NOT NULL "
        "AND (d.last_seen_at IS NULL OR d.last_seen_at <= v.battery_ts) "
        "THEN v.battery ELSE d.battery END "
        "FROM v WHERE d.id = v.id",
        "(%s::bigint, %s::timestamptz, %s::float8, %s::timestamptz)",
    ),
    "sqlite": (
        "WITH v (id, ts, battery, battery_ts) AS (VALUES {values}) "
        "UPDATE sensors_device SET "
        "last_seen_at = CASE WHEN sensors_device.last_seen_at IS NULL "
        "OR sensors_device.last_seen_at < v.ts THEN v.ts ELSE sensors_device.last_seen_at END, "
        "battery = CASE WHEN v.battery IS NOT NULL AND (sensors_device.last_seen_at IS NULL "
        "OR sensors_device.last_seen_at <= v.battery_ts) "
        "THEN v.battery ELSE sensors_device.battery END "
        "FROM v WHERE sensors_device.id = v.id",
        "(%s, %s, %s, %s)",
    ),
}


def _touch_devices(stored: Stored, devices: dict[int, Device], now: dt.datetime) -> None:
    """Last reading and battery per device; a device that was reported offline is back online."""
    batteries = {d: tv for (d, q), tv in _newest(stored.rows).items() if q == "battery"}
    params: list[Any] = []
    adapt = connection.ops.adapt_datetimefield_value
    for device_id, (_n, ts) in stored.per_device.items():
        battery_ts, battery = batteries.get(device_id, (None, None))
        params += [device_id, adapt(ts), battery, adapt(battery_ts) if battery_ts else None]
    sql, row = _TOUCH_SQL[_PG if connection.vendor == _PG else "sqlite"]
    with connection.cursor() as cursor:
        cursor.execute(sql.format(values=",".join([row] * len(stored.per_device))), params)
    for device_id, (_n, ts) in stored.per_device.items():
        device = devices[device_id]
        if device.last_seen_at is None or ts > device.last_seen_at:
            device.last_seen_at = ts
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


def _derive_ispu(rows: list[Row], devices: dict[int, Device]) -> list[NewRow]:
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
    derived: list[NewRow] = []
    for device_id, ts in touched.items():
        index = ispu_from_concentrations(latest[device_id])
        if index is not None:
            derived.append((device_id, "ispu", epoch_ms(ts), float(index)))
    return derived
