"""National figures of a few KPIs for every tenant at once (the superadmin's comparison).

An app registers, next to a KPI in its ``kpis.py``, a function that computes that KPI for
all tenants in ONE grouped query: ``fn(start, end) -> {tenant_id: value}`` (tenants without
data may be left out). The national view then costs one query per KPI, however many tenants
run the platform, instead of one KPI computation per tenant.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db.models import Count, Q, QuerySet

from kotacerdas.core.kpi_sql import share

NationalCompute = Callable[[dt.datetime, dt.datetime], dict[int, float | None]]

_registry: dict[str, NationalCompute] = {}


def register_national(key: str, compute: NationalCompute) -> NationalCompute:
    """``key`` is the KPI's ``app.code`` in ``core.kpis``."""
    _registry[key] = compute
    return compute


def registered_national() -> dict[str, NationalCompute]:
    return dict(_registry)


def count_by_tenant(
    rows: QuerySet[Any], *, counted: Q | None = None, tenant: str = "tenant_id"
) -> dict[int, float | None]:
    """How many of ``rows`` (only those matching ``counted``, if given) each tenant has, in one
    grouped query; ``tenant`` names the tenant's id from the rows' model."""
    grouped = rows.values(tenant).annotate(n=Count("pk", filter=counted)).values_list(tenant, "n")
    return {tenant_id: float(n) for tenant_id, n in grouped}


def share_by_tenant(
    rows: QuerySet[Any], *, part: Q, tenant: str = "tenant_id"
) -> dict[int, float | None]:
    """The share of ``rows`` matching ``part`` per tenant (``core.kpi_sql.share``), in one
    grouped query."""
    grouped = (
        rows.values(tenant)
        .annotate(n_all=Count("pk"), n_part=Count("pk", filter=part))
        .values_list(tenant, "n_all", "n_part")
    )
    return {tenant_id: share(n_part, n_all) for tenant_id, n_all, n_part in grouped}
