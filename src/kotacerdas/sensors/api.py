"""``/api/v1/sensors``: the read API (staff of the tenant, token or session): devices, latest
values, history from the rollups (or raw for short ranges), alerts, and NGSI-LD-shaped Smart
Data Models entities (``FloodMonitoring``, ``AirQualityObserved``, ``WeatherObserved``,
``Device``) with their ``@context``."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import Http404, HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from kotacerdas.accounts.models import User
from kotacerdas.core.api_errors import ErrorOut
from kotacerdas.core.errors import DomainError
from kotacerdas.sensors import ispu, selectors
from kotacerdas.sensors.access import access_device, can_see
from kotacerdas.sensors.models import Alert, Device, DeviceKind, LatestValue
from kotacerdas.tenants.access import tenant_from_code
from kotacerdas.tenants.models import Tenant

router = Router(tags=["sensors"])

SDM_CONTEXT = [
    "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld",
    "https://raw.githubusercontent.com/smart-data-models/dataModel.Environment/master/context.jsonld",
    "https://raw.githubusercontent.com/smart-data-models/dataModel.Device/master/context.jsonld",
]


def _staff(request: HttpRequest, tenant_code: str) -> tuple[Tenant, User]:
    tenant = tenant_from_code(tenant_code)
    user = request.user
    if not isinstance(user, User) or not can_see(user, tenant):
        raise Http404("tenant")
    return tenant, user


class DeviceOut(Schema):
    id: int
    uid: str
    name: str
    kind: str
    opd: str | None
    latitude: float | None
    longitude: float | None
    health: str
    last_seen_at: dt.datetime | None
    battery: float | None
    is_example: bool
    retired: bool


def _device_out(d: Device, now: dt.datetime) -> DeviceOut:
    return DeviceOut(
        id=d.pk,
        uid=d.uid,
        name=d.name,
        kind=d.kind,
        opd=d.opd.acronym if d.opd else None,
        latitude=d.latitude,
        longitude=d.longitude,
        health=d.health(now),
        last_seen_at=d.last_seen_at,
        battery=d.battery,
        is_example=d.is_example,
        retired=d.retired_at is not None,
    )


@router.get("/{tenant_code}/devices", response={200: list[DeviceOut], 404: ErrorOut})
def devices(request: HttpRequest, tenant_code: str) -> list[DeviceOut]:
    """Every device of the tenant (at most 1,000), with its health."""
    tenant, _user = _staff(request, tenant_code)
    now = timezone.now()
    qs = (
        Device.objects.filter(tenant=tenant)
        .select_related("opd")
        .order_by("pk")[: selectors.MAX_DEVICES]
    )
    return [_device_out(d, now) for d in qs]


class ValueOut(Schema):
    quantity: str
    value: float
    unit: str
    ts: dt.datetime


class LatestOut(Schema):
    device: int
    values: list[ValueOut]


def _device_for(request: HttpRequest, pk: int) -> Device:
    """The device behind an id for a staff user of its tenant; 404 otherwise."""
    user = request.user
    device = Device.objects.select_related("tenant").filter(pk=pk).first()
    if device is None or not isinstance(user, User):
        raise Http404("device")
    return access_device(user, pk, tenant=device.tenant)


@router.get("/devices/{device_id}/latest", response={200: LatestOut, 404: ErrorOut})
def latest(request: HttpRequest, device_id: int) -> LatestOut:
    """The latest value and timestamp of each quantity of the device."""
    from kotacerdas.sensors.models import QUANTITIES

    device = _device_for(request, device_id)
    rows = LatestValue.objects.filter(device=device).order_by("quantity")
    return LatestOut(
        device=device.pk,
        values=[
            ValueOut(
                quantity=r.quantity,
                value=r.value,
                unit=QUANTITIES.get(r.quantity, ("", ""))[1],
                ts=r.ts,
            )
            for r in rows
        ],
    )


class HistoryQuery(Schema):
    quantity: str
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    rollup: Literal["auto", "hour", "day", "raw"] = "auto"


class PointOut(Schema):
    t: dt.datetime
    min: float | None = None
    mean: float | None = None
    max: float | None = None
    n: int | None = None
    value: float | None = None


class HistoryOut(Schema):
    device: int
    quantity: str
    rollup: str
    points: list[PointOut]


@router.get(
    "/devices/{device_id}/history", response={200: HistoryOut, 400: ErrorOut, 404: ErrorOut}
)
def history(request: HttpRequest, device_id: int, q: Query[HistoryQuery]) -> Status[HistoryOut]:
    """Rollups (hourly up to 31 days, daily beyond, or as chosen); ``raw`` up to 2 days."""
    device = _device_for(request, device_id)
    if not device.quantities.filter(key=q.quantity).exists():
        raise DomainError(_("Perangkat ini tidak mengukur besaran itu."), code="unknown_quantity")
    end = q.end or timezone.now()
    start = q.start or end - dt.timedelta(days=7)
    if start.tzinfo is None or end.tzinfo is None:
        raise DomainError(_("Waktu harus lengkap dengan zona waktu."), code="naive_time")
    if start >= end or end - start > dt.timedelta(days=3660):
        raise DomainError(_("Rentang waktu tidak sah (paling panjang 10 tahun)."), code="bad_range")
    if q.rollup == "raw":
        if end - start > dt.timedelta(days=2):
            raise DomainError(
                _("Data mentah paling panjang 2 hari; pakai ringkasan."), code="raw_too_long"
            )
        points = [
            PointOut(t=p["t"], value=p["value"])
            for p in selectors.raw(device, q.quantity, start=start, end=end)
        ]
        return Status(
            200, HistoryOut(device=device.pk, quantity=q.quantity, rollup="raw", points=points)
        )
    bucket = selectors.pick_bucket(start, end) if q.rollup == "auto" else q.rollup
    rows = selectors.history(device, q.quantity, start=start, end=end, bucket=bucket)
    return Status(
        200,
        HistoryOut(
            device=device.pk,
            quantity=q.quantity,
            rollup=bucket,
            points=[PointOut(**p) for p in rows],
        ),
    )


class AlertOut(Schema):
    id: int
    device: int
    device_name: str
    level: str
    level_name: str
    status: str
    value: float
    peak: float
    opened_at: dt.datetime
    escalated_at: dt.datetime | None
    closed_at: dt.datetime | None
    incident_id: int | None


@router.get("/{tenant_code}/alerts", response={200: list[AlertOut], 404: ErrorOut})
def alerts(
    request: HttpRequest,
    tenant_code: str,
    status: Literal["open", "closed", "all"] = "open",
    limit: int = 100,
) -> list[AlertOut]:
    tenant, _user = _staff(request, tenant_code)
    qs = Alert.objects.filter(tenant=tenant).select_related("device").order_by("-opened_at", "-id")
    if status != "all":
        qs = qs.filter(status=status)
    return [
        AlertOut(
            id=a.pk,
            device=a.device_id,
            device_name=a.device.name,
            level=a.level,
            level_name=a.level_label,
            status=a.status,
            value=a.value,
            peak=a.peak,
            opened_at=a.opened_at,
            escalated_at=a.escalated_at,
            closed_at=a.closed_at,
            incident_id=a.incident_id,
        )
        for a in qs[: max(1, min(limit, 500))]
    ]


# ------------------------------------------------------------------ NGSI-LD (Smart Data Models)


def _prop(
    value: Any, observed: dt.datetime | None = None, unit: str | None = None
) -> dict[str, Any]:
    prop: dict[str, Any] = {"type": "Property", "value": value}
    if observed is not None:
        prop["observedAt"] = observed.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if unit:
        prop["unitCode"] = unit
    return prop


UNIT_CODES = {"cm": "CMT", "mm": "MMT", "µg/m3": "GQ", "°C": "CEL", "%": "P1", "m/s": "MTS"}


def ngsi_entities(
    device: Device, latest: dict[str, LatestValue], alert: Alert | None
) -> list[dict[str, Any]]:
    """The observation entity for the device's kind (if it has values) and its ``Device``."""
    urn = f"urn:ngsi-ld:Device:{device.tenant.slug}:{device.uid}"
    location = (
        {
            "type": "GeoProperty",
            "value": {"type": "Point", "coordinates": [device.longitude, device.latitude]},
        }
        if device.latitude is not None and device.longitude is not None
        else None
    )
    last = max((v.ts for v in latest.values()), default=None)
    entity_device: dict[str, Any] = {
        "id": urn,
        "type": "Device",
        "name": _prop(device.name),
        "category": _prop(["sensor"]),
        "controlledProperty": _prop(sorted(latest) or []),
        "deviceState": _prop("retired" if device.retired_at else device.health()),
    }
    if device.battery is not None:
        entity_device["batteryLevel"] = _prop(round(device.battery / 100, 3))
    if last is not None:
        entity_device["dateLastValueReported"] = _prop(
            {"@type": "DateTime", "@value": last.isoformat()}
        )
    if location:
        entity_device["location"] = location
    out = [entity_device]
    if not latest:
        return out
    from kotacerdas.sensors.models import QUANTITIES

    kind_type = {
        DeviceKind.WATER_LEVEL: "FloodMonitoring",
        DeviceKind.AIR_QUALITY: "AirQualityObserved",
        DeviceKind.WEATHER: "WeatherObserved",
        DeviceKind.RAIN_GAUGE: "WeatherObserved",
    }.get(DeviceKind(device.kind))
    if kind_type is None:
        return out
    names = {
        "water_level": "currentLevel",
        "rainfall": "precipitation",
        "temperature": "temperature",
        "humidity": "relativeHumidity",
        "wind_speed": "windSpeed",
        "pm25": "pm25",
        "pm10": "pm10",
        "o3": "o3",
        "co": "co",
        "no2": "no2",
        "so2": "so2",
        "hc": "hc",
    }
    observed_at = _prop({"@type": "DateTime", "@value": last.isoformat()} if last else None)
    observed: dict[str, Any] = {
        "id": f"urn:ngsi-ld:{kind_type}:{device.tenant.slug}:{device.uid}",
        "type": kind_type,
        # FloodMonitoring has no refDevice in its model; the link is kept as an extension.
        "refDevice": {"type": "Relationship", "object": urn},
    }
    if kind_type == "FloodMonitoring":
        observed["observationDateTime"] = observed_at
        observed["stationID"] = _prop(device.uid)
        # The model's alertLevel is a number: the Siaga rank reached (0 = normal).
        observed["alertLevel"] = _prop(alert.rank if alert else 0)
        observed["floodLevelStatus"] = _prop(alert.level_label if alert else "normal")
    else:
        observed["dateObserved"] = observed_at
    for key, value in latest.items():
        if key in names:
            unit = UNIT_CODES.get(QUANTITIES[key][1])
            v = value.value / 100 if key == "humidity" else value.value
            observed[names[key]] = _prop(v, value.ts, unit)
    if "ispu" in latest:
        cat = ispu.category(latest["ispu"].value)
        observed["airQualityIndex"] = _prop(round(latest["ispu"].value), latest["ispu"].ts)
        observed["airQualityLevel"] = _prop(cat["name"])
    if location:
        observed["location"] = location
    out.insert(0, observed)
    return out


@router.get(
    "/{tenant_code}/ngsi-ld/entities",
    response={200: list[dict[str, Any]], 404: ErrorOut},
    summary="Entitas NGSI-LD (Smart Data Models)",
)
def ngsi_ld_entities(
    request: HttpRequest, tenant_code: str, type: str | None = None
) -> JsonResponse:
    """NGSI-LD entities in ``application/ld+json`` with ``@context``; ``type`` filters
    (``FloodMonitoring``, ``AirQualityObserved``, ``WeatherObserved``, ``Device``)."""
    tenant, _user = _staff(request, tenant_code)
    entities: list[dict[str, Any]] = []
    for row in selectors.device_rows(tenant):
        entities.extend(
            entity | {"@context": SDM_CONTEXT}
            for entity in ngsi_entities(row.device, row.latest, row.alert)
            if type is None or entity["type"] == type
        )
    return JsonResponse(entities, safe=False, content_type="application/ld+json")
