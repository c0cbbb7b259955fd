from __future__ import annotations

from typing import Any

from ninja import Schema


class PeriodOut(Schema):
    kind: str
    start: str
    end: str
    label: str


class KpiOut(Schema):
    app: str
    code: str
    name: str
    description: str
    dimension: str
    unit: str
    direction: str
    value: float | None
    previous: float | None
    target: float | None
    status: str
    snapshot: bool
    computed_at: str
    list_url: str | None


class KpisOut(Schema):
    tenant: str
    tenant_name: str
    kecamatan: str | None
    opd_id: int | None
    period: PeriodOut
    previous_period: PeriodOut
    computed_at: str
    kpis: list[KpiOut]
    # The same figures as Smart Data Models KeyPerformanceIndicator entities (keyValues).
    entities: list[dict[str, Any]]
