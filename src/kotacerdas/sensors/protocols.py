"""Payload decoders for the device conventions we speak. Each returns ``RawReading`` objects
(or raises ``PayloadError``); none of them touches the database except to resolve devices.

- ThingsBoard: ``{"ts": ms, "values": {...}}``, a flat ``{...}``, or a list of those;
  gateways: ``{"<device name>": [{"ts": ms, "values": {...}}, ...]}``.
- FIWARE IoT Agent UltraLight 2.0: ``h|70|t|15`` (pairs by ``|``, measure groups by ``#``; a
  group may start with a timestamp: ``t|2026-11-30T10:00:00Z|h|70``).
- FIWARE JSON twin: ``{"h": 70, "t": 15}`` (``TimeInstant`` optional).
- The platform's own topic ``kc/v1/<device uid>/telemetry``: ThingsBoard's shapes, plus an
  optional ``"units": {"water_level": "m"}``.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import orjson
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from kotacerdas.sensors.ingestion import RawReading

MAX_PAYLOAD = 256 * 1024
MAX_VALUES = 1000


class PayloadError(ValueError):
    """The payload cannot be decoded at all (as opposed to one value being rejected)."""


def _ts_from_ms(value: Any) -> int:
    """Epoch milliseconds, kept as an int: validation bounds it (clock skew) without a
    datetime per reading."""
    if type(value) is int:
        return value
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise PayloadError(_("ts harus berupa milidetik epoch."))
    return int(value)


def _ts_from_iso(value: str) -> dt.datetime:
    parsed = parse_datetime(value)
    if parsed is None:
        raise PayloadError(_("Waktu tidak dapat dibaca: %(value)s") % {"value": value[:40]})
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def load_json(payload: bytes | str) -> Any:
    if len(payload) > MAX_PAYLOAD:
        raise PayloadError(_("Muatan terlalu besar."))
    try:
        return orjson.loads(payload)
    except orjson.JSONDecodeError:  # also invalid UTF-8
        raise PayloadError(_("Muatan bukan JSON yang sah.")) from None


def thingsboard_telemetry(
    device_id: int, data: Any, *, units: dict[str, str] | None = None
) -> list[RawReading]:
    """ThingsBoard telemetry in any of its three shapes."""
    items = data if isinstance(data, list) else [data]
    out: list[RawReading] = []
    for item in items:
        if not isinstance(item, dict):
            raise PayloadError(_("Telemetri harus berupa objek JSON atau daftar objek."))
        if "values" in item:
            values = item["values"]
            ts = _ts_from_ms(item["ts"]) if "ts" in item else None
        else:
            values, ts = item, None
        if not isinstance(values, dict):
            raise PayloadError(_("values harus berupa objek."))
        item_units = item.get("units") if isinstance(item.get("units"), dict) else units
        for key, value in values.items():
            if key == "units" and isinstance(value, dict):
                continue
            unit = item_units.get(key) if item_units else None
            out.append(RawReading(device_id, str(key), value, ts, unit))
            if len(out) > MAX_VALUES:
                raise PayloadError(_("Terlalu banyak nilai dalam satu pesan."))
    return out


def thingsboard_gateway(data: Any) -> dict[str, list[Any]]:
    """``{"<device name>": [{"ts":..,"values":{..}}, ...]}`` → name → telemetry items."""
    if not isinstance(data, dict):
        raise PayloadError(_("Telemetri gateway harus berupa objek per nama perangkat."))
    out: dict[str, list[Any]] = {}
    for name, items in data.items():
        if not isinstance(name, str) or not name.strip() or len(name) > 120:
            raise PayloadError(_("Nama perangkat gateway tidak sah."))
        out[name.strip()] = items if isinstance(items, list) else [items]
    return out


def ultralight(device_id: int, payload: bytes | str) -> list[RawReading]:
    """UltraLight 2.0 measures: ``k|v|k|v`` groups separated by ``#``."""
    if len(payload) > MAX_PAYLOAD:
        raise PayloadError(_("Muatan terlalu besar."))
    try:
        text = payload.decode() if isinstance(payload, bytes) else payload
    except UnicodeDecodeError:
        raise PayloadError(_("Muatan UltraLight bukan teks.")) from None
    out: list[RawReading] = []
    for group in text.strip().split("#"):
        if not group:
            continue
        parts = group.split("|")
        if len(parts) % 2:
            raise PayloadError(_("Muatan UltraLight harus berpasangan kunci|nilai."))
        pairs = list(zip(parts[::2], parts[1::2], strict=True))
        ts = None
        if pairs and pairs[0][0] in ("t", "TimeInstant") and "-" in pairs[0][1]:
            ts = _ts_from_iso(pairs[0][1])
            pairs = pairs[1:]
        out.extend(RawReading(device_id, key, value, ts) for key, value in pairs)
        if len(out) > MAX_VALUES:
            raise PayloadError(_("Terlalu banyak nilai dalam satu pesan."))
    return out


def fiware_json(device_id: int, payload: bytes | str) -> list[RawReading]:
    data = load_json(payload)
    if not isinstance(data, dict):
        raise PayloadError(_("Muatan JSON FIWARE harus berupa objek."))
    ts = None
    if isinstance(data.get("TimeInstant"), str):
        ts = _ts_from_iso(data.pop("TimeInstant"))
    return [RawReading(device_id, str(k), v, ts) for k, v in data.items()][: MAX_VALUES + 1]


# Quantities devices commonly send under FIWARE's short names, mapped to ours.
ALIASES = {
    "h": "humidity",
    "t": "temperature",
    "wl": "water_level",
    "rf": "rainfall",
    "bat": "battery",
}


def with_aliases(readings: list[RawReading]) -> list[RawReading]:
    return [
        RawReading(r.device_id, ALIASES.get(r.quantity, r.quantity), r.value, r.ts, r.unit)
        for r in readings
    ]
