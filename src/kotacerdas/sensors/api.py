"""``/api/v1/sensors``: the read API (devices, latest values, history, alerts)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["sensors"])
