"""National figures of a few KPIs for every tenant at once (the superadmin's comparison).

An app registers, next to a KPI in its ``kpis.py``, a function that computes that KPI for
all tenants in ONE grouped query: ``fn(start, end) -> {tenant_id: value}`` (tenants without
data may be left out). The national view then costs one query per KPI, however many tenants
run the platform, instead of one KPI computation per tenant.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

NationalCompute = Callable[[dt.datetime, dt.datetime], dict[int, float | None]]

_registry: dict[str, NationalCompute] = {}


def register_national(key: str, compute: NationalCompute) -> NationalCompute:
    """``key`` is the KPI's ``app.code`` in ``core.kpis``."""
    _registry[key] = compute
    return compute


def registered_national() -> dict[str, NationalCompute]:
    return dict(_registry)
