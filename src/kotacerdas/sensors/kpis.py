"""The sensors' indicators for the leaders' dashboard (environment dimension)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from django.db.models import Case, Exists, F, Max, OuterRef, QuerySet, Sum, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kotacerdas.core.kpis import Dimension, Direction, KpiQuery, for_app
from kotacerdas.core.map_layers import MapLayer
from kotacerdas.core.map_layers import register as register_layer
from kotacerdas.sensors import selectors
from kotacerdas.sensors.models import Alert, Device, DeviceKind, Health
from kotacerdas.tenants import list_filters
from kotacerdas.tenants.models import Tenant

APP = "sensors"
_register = for_app(APP, dimension=Dimension.ENVIRONMENT)


def _devices(q: KpiQuery) -> QuerySet[Device]:
    qs = Device.objects.filter(tenant=q.tenant, retired_at__isnull=True)
    if q.kecamatan:
        qs = qs.filter(kelurahan__parent_id=q.kecamatan)
    if q.opd_id:
        qs = qs.filter(opd_id=q.opd_id)
    return qs


def devices_online(q: KpiQuery) -> float | None:
    """Share of active devices whose last reading is within 1.5× their interval of the period's
    end (the same rule as the device pages), counted in SQL per distinct interval."""
    qs = _devices(q)
    total = qs.count()
    if not total:
        return None
    online = sum(
        qs.filter(
            expected_interval=interval,
            last_seen_at__gte=q.end - dt.timedelta(seconds=interval * 1.5),
            last_seen_at__lte=q.end,
        ).count()
        for interval in qs.values_list("expected_interval", flat=True).distinct()
    )
    return 100.0 * online / total


def _alerts(q: KpiQuery, **narrow: Any) -> QuerySet[Alert]:
    return selectors.alerts_of_period(
        q.tenant, start=q.start, end=q.end, kecamatan=q.kecamatan, opd_id=q.opd_id, **narrow
    )


def flood_alerts(q: KpiQuery) -> float | None:
    return float(_alerts(q, kind=DeviceKind.WATER_LEVEL).count())


def alerts_to_112(q: KpiQuery) -> float | None:
    return float(_alerts(q, to_112=True).count())


def _map_devices(tenant: Tenant, kecamatan: str | None) -> QuerySet[Device]:
    """Active devices, "alert" while one of their alerts is open, else their health."""
    qs = Device.objects.active().filter(tenant=tenant)
    if kecamatan:
        qs = qs.filter(kelurahan__parent_id=kecamatan)
    alerting = Exists(Alert.objects.open().filter(device=OuterRef("pk")))
    return qs.annotate(
        map_status=Case(When(alerting, then=Value("alert")), default=F("reported_health"))
    )


def worst_ispu(q: KpiQuery) -> float | None:
    """The highest hourly mean ISPU of the period over the tenant's monitors."""
    row = selectors.ispu_hours_of_period(q.tenant, q.start, q.end).aggregate(m=Max("hourly_mean"))
    return float(row["m"]) if row["m"] is not None else None


def readings_stored(q: KpiQuery) -> float | None:
    n = selectors.readings_of_period(q.tenant, q.start, q.end).aggregate(n=Sum("count"))["n"]
    return float(n) if n else None


def _flood_alerts_url(q: KpiQuery) -> str:
    """The alert list of the figure's rows: the period, kecamatan and OPD of the query."""
    url = reverse("sensors:alerts", args=[q.tenant.slug])
    return list_filters.link(url, q, opd=True, jenis=DeviceKind.WATER_LEVEL)


def _alerts_to_112_url(q: KpiQuery) -> str:
    url = reverse("sensors:alerts", args=[q.tenant.slug])
    return list_filters.link(url, q, opd=True, ke112="1")


def _map_url(q: KpiQuery) -> str:
    return reverse("sensors:staff_map", args=[q.tenant.slug])


def _period_map_url(q: KpiQuery) -> str:
    """The devices with their readings and worst hourly ISPU of the period (these figures
    are the tenant's: no kecamatan)."""
    return list_filters.link(_map_url(q), replace(q, kecamatan=None))


_register(
    code="devices_online",
    name=_("Sensor daring"),
    description=_("Bagian perangkat sensor aktif yang mengirim data tepat waktu."),
    unit="%",
    direction=Direction.UP,
    compute=devices_online,
    target=95.0,
    list_url=_map_url,
    snapshot=True,
)
_register(
    code="flood_alerts",
    name=_("Peringatan banjir"),
    description=_("Peringatan tinggi muka air yang dibuka dalam periode."),
    unit="peringatan",
    direction=Direction.DOWN,
    compute=flood_alerts,
    list_url=_flood_alerts_url,
    opd_list=True,
)
_register(
    code="alerts_to_112",
    name=_("Peringatan sensor ke 112"),
    description=_("Peringatan sensor yang membuka insiden di meja 112."),
    unit="insiden",
    direction=Direction.DOWN,
    compute=alerts_to_112,
    list_url=_alerts_to_112_url,
    opd_list=True,
)
_register(
    code="worst_ispu",
    name=_("ISPU tertinggi"),
    description=_("Rata-rata ISPU per jam tertinggi dalam periode (PermenLHK P.14/2020)."),
    unit="indeks",
    direction=Direction.DOWN,
    compute=worst_ispu,
    target=100.0,
    list_url=_period_map_url,
)
_register(
    code="readings_stored",
    name=_("Bacaan sensor tersimpan"),
    description=_("Jumlah bacaan yang diterima dan disimpan dalam periode."),
    unit="bacaan",
    direction=Direction.UP,
    compute=readings_stored,
    list_url=_period_map_url,
)


register_layer(
    MapLayer(
        app=APP,
        code="devices",
        name=_("Sensor dan peringatan aktif"),
        rows=_map_devices,
        lat="latitude",
        lng="longitude",
        status="map_status",
        opd_field="opd_id",
        statuses={
            "alert": (_("Peringatan aktif"), "#c62828"),
            Health.ONLINE: (Health.ONLINE.label, "#1a7f37"),
            Health.LATE: (Health.LATE.label, "#b26b00"),
            Health.OFFLINE: (Health.OFFLINE.label, "#6b7280"),
            Health.NEVER: (Health.NEVER.label, "#9ca3af"),
        },
    )
)
