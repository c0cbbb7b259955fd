"""Reads shared by the pages, the API and the KPIs. Charts read rollups, never raw rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Max, Prefetch, QuerySet, Sum
from django.utils import timezone

from kotacerdas.core.kpi_sql import between
from kotacerdas.sensors import ispu
from kotacerdas.sensors.models import (
    QUANTITIES,
    Alert,
    AlertRule,
    AlertStatus,
    Bucket,
    CapWarning,
    Device,
    DeviceKind,
    Health,
    LatestValue,
    Reading,
    Rollup,
    RuleType,
)
from kotacerdas.tenants.models import Tenant

MAX_DEVICES = 1000
HEALTH_COLORS = {
    Health.ONLINE: "#2e9e44",
    Health.LATE: "#e08a00",
    Health.OFFLINE: "#6b6b6b",
    Health.NEVER: "#9a9a9a",
    Health.RETIRED: "#9a9a9a",
}
LEVEL_COLORS = ["#f5c400", "#e08a00", "#d7263d", "#7a0019"]


@dataclass
class DeviceRow:
    device: Device
    health: str
    latest: dict[str, LatestValue]
    alert: Alert | None
    color: str
    ispu: dict[str, Any] | None = None
    trend: str = ""
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def level_value(self) -> LatestValue | None:
        return self.latest.get("water_level")


def devices_for(tenant: Tenant, *, include_retired: bool = False) -> QuerySet[Device]:
    qs = Device.objects.filter(tenant=tenant).select_related("tenant", "opd", "kelurahan")
    if not include_retired:
        qs = qs.filter(retired_at__isnull=True)
    return qs.prefetch_related(
        "latest_values",
        Prefetch(
            "alerts",
            queryset=Alert.objects.filter(status=AlertStatus.OPEN).order_by("-rank"),
            to_attr="open_alerts",
        ),
    ).order_by("kind", "name")[:MAX_DEVICES]


def _level_color(alert: Alert) -> str:
    for level in alert.rule.levels:
        if level.get("code") == alert.level and level.get("color"):
            return str(level["color"])
    return LEVEL_COLORS[min(alert.rank, len(LEVEL_COLORS)) - 1]


def trends(devices: list[Device], quantity: str) -> dict[int, str]:
    """ "up"/"down"/"steady" from the last two hourly means of each device (one query)."""
    since = timezone.now() - dt.timedelta(hours=3)
    means: dict[int, list[float]] = {}
    for device_id, total, count in (
        Rollup.objects.filter(
            device__in=devices, quantity=quantity, bucket=Bucket.HOUR, start__gte=since
        )
        .order_by("device_id", "-start")
        .values_list("device_id", "total", "count")
    ):
        means.setdefault(device_id, []).append(total / count)
    out: dict[int, str] = {}
    for device_id, values in means.items():
        if len(values) < 2:
            out[device_id] = "steady"
            continue
        delta = values[0] - values[1]
        out[device_id] = "up" if delta > 1 else "down" if delta < -1 else "steady"
    return out


def device_rows(tenant: Tenant, *, now: dt.datetime | None = None) -> list[DeviceRow]:
    now = now or timezone.now()
    devices = list(devices_for(tenant))
    rules = {r.pk: r for r in AlertRule.objects.filter(tenant=tenant)}
    water = [d for d in devices if d.kind == DeviceKind.WATER_LEVEL]
    trend = trends(water, "water_level") if water else {}
    rows = []
    for device in devices:
        latest = {lv.quantity: lv for lv in device.latest_values.all()}
        open_alerts: list[Alert] = device.open_alerts  # type: ignore[attr-defined]
        alert = open_alerts[0] if open_alerts else None
        health = device.health(now)
        color = HEALTH_COLORS[Health(health)]
        if alert is not None:
            alert.rule = rules[alert.rule_id]
            color = _level_color(alert)
        row = DeviceRow(device=device, health=health, latest=latest, alert=alert, color=color)
        if "ispu" in latest:
            row.ispu = {"value": round(latest["ispu"].value)} | ispu.category(latest["ispu"].value)
            if alert is None:
                row.color = row.ispu["color"]
        row.trend = trend.get(device.pk, "")
        rows.append(row)
    return rows


def open_alerts(tenant: Tenant, *, limit: int = 100) -> list[Alert]:
    return list(
        Alert.objects.filter(tenant=tenant, status=AlertStatus.OPEN)
        .select_related("device")
        .order_by("-rank", "-opened_at")[:limit]
    )


def active_cap_warnings(tenant: Tenant, *, now: dt.datetime | None = None) -> list[CapWarning]:
    now = now or timezone.now()
    return list(
        CapWarning.objects.filter(tenant=tenant, msg_type__in=["Alert", "Update"])
        .exclude(expires__lt=now)
        .order_by("-sent")[:20]
    )


def pick_bucket(start: dt.datetime, end: dt.datetime) -> str:
    """Hourly up to 31 days, daily beyond (a year is 365 points, not 8,760 or millions)."""
    return Bucket.HOUR if end - start <= dt.timedelta(days=31) else Bucket.DAY


def history(
    device: Device,
    quantity: str,
    *,
    start: dt.datetime,
    end: dt.datetime,
    bucket: str | None = None,
) -> list[dict[str, Any]]:
    """Rollup points ``{"t", "min", "mean", "max", "n"}`` in [start, end), oldest first."""
    bucket = bucket or pick_bucket(start, end)
    rows = (
        Rollup.objects.filter(
            device=device, quantity=quantity, bucket=bucket, start__gte=start, start__lt=end
        )
        .order_by("start")
        .values_list("start", "minimum", "total", "count", "maximum")[:20000]
    )
    return [
        {"t": t, "min": lo, "mean": total / n, "max": hi, "n": n} for t, lo, total, n, hi in rows
    ]


def raw(
    device: Device, quantity: str, *, start: dt.datetime, end: dt.datetime, limit: int = 5000
) -> list[dict[str, Any]]:
    rows = (
        Reading.objects.filter(device=device, quantity=quantity, ts__gte=start, ts__lt=end)
        .order_by("ts")
        .values_list("ts", "value")[:limit]
    )
    return [{"t": t, "value": v} for t, v in rows]


def chart_option(device: Device, quantity: str, points: list[dict[str, Any]]) -> dict[str, Any]:
    """An ECharts option: mean with the min–max band, and the alert thresholds as lines."""
    label, unit = str(QUANTITIES[quantity][0]), QUANTITIES[quantity][1]
    marks = []
    for rule in AlertRule.objects.filter(
        tenant_id=device.tenant_id, quantity=quantity, is_active=True
    ):
        if rule.rule_type != RuleType.THRESHOLD or (rule.device_id not in (None, device.pk)):
            continue
        if rule.device_id is None and rule.kind != device.kind:
            continue
        marks += [
            {"yAxis": lvl["threshold"], "name": lvl["name"], "label": {"formatter": lvl["name"]}}
            for lvl in rule.levels
        ]
    times = [p["t"].isoformat() for p in points]
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": ["min", "mean", "max"]},
        "xAxis": {"type": "category", "data": times},
        "yAxis": {"type": "value", "name": f"{label} ({unit})" if unit else label, "scale": True},
        "series": [
            {
                "name": "min",
                "type": "line",
                "showSymbol": False,
                "data": [round(p["min"], 2) for p in points],
            },
            {
                "name": "mean",
                "type": "line",
                "showSymbol": False,
                "data": [round(p["mean"], 2) for p in points],
                "markLine": {"symbol": "none", "data": marks, "lineStyle": {"color": "#d7263d"}},
            },
            {
                "name": "max",
                "type": "line",
                "showSymbol": False,
                "data": [round(p["max"], 2) for p in points],
            },
        ],
    }


def alerts_of_period(
    tenant: Tenant,
    *,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    kecamatan: str | None = None,
    opd_id: int | None = None,
    kind: str = "",
    to_112: bool = False,
) -> QuerySet[Alert]:
    """The tenant's alerts opened in ``[start, end)`` (either side open), of devices in one
    kecamatan, of one OPD or of one kind, or only those that opened a 112 incident: the rows
    of the alert figures and of the alert list."""
    qs = between(Alert.objects.filter(tenant=tenant), "opened_at", start, end)
    if kecamatan:
        qs = qs.filter(device__kelurahan__parent_id=kecamatan)
    if opd_id is not None:  # the alerts of the OPD's own devices
        qs = qs.filter(device__opd_id=opd_id)
    if kind:
        qs = qs.filter(device__kind=kind)
    if to_112:
        qs = qs.filter(incident_id__isnull=False)
    return qs


def readings_of_period(tenant: Tenant, start: dt.datetime, end: dt.datetime) -> QuerySet[Rollup]:
    """The daily roll-ups of ``[start, end)``: their ``count`` is the readings stored."""
    return Rollup.objects.filter(
        device__tenant=tenant, bucket=Bucket.DAY, start__gte=start, start__lt=end
    )


def ispu_hours_of_period(tenant: Tenant, start: dt.datetime, end: dt.datetime) -> QuerySet[Rollup]:
    """The hourly ISPU roll-ups of ``[start, end)``, each with its mean (``hourly_mean``)."""
    return Rollup.objects.filter(
        device__tenant=tenant, quantity="ispu", bucket=Bucket.HOUR, start__gte=start, start__lt=end
    ).annotate(hourly_mean=F("total") / F("count"))


def period_by_device(
    tenant: Tenant, start: dt.datetime, end: dt.datetime
) -> dict[int, dict[str, float]]:
    """Per device, the readings stored in ``[start, end)`` and its highest hourly mean ISPU
    (two grouped queries): the rows of the readings and ISPU figures."""
    found: dict[int, dict[str, float]] = {}
    for row in (
        readings_of_period(tenant, start, end)
        .values("device_id")
        .annotate(n=Sum("count"))
        .order_by()
    ):
        found.setdefault(row["device_id"], {})["readings"] = row["n"]
    for row in (
        ispu_hours_of_period(tenant, start, end)
        .values("device_id")
        .annotate(worst=Max("hourly_mean"))
        .order_by()
    ):
        found.setdefault(row["device_id"], {})["worst_ispu"] = row["worst"]
    return found
