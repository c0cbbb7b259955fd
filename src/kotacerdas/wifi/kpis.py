"""Public Wi-Fi's indicators and map layer for the leaders' dashboard."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kotacerdas.core.kpis import Dimension, Direction, KpiQuery, for_app
from kotacerdas.core.map_layers import MapLayer
from kotacerdas.core.map_layers import register as register_layer
from kotacerdas.tenants import list_filters
from kotacerdas.tenants.models import Tenant
from kotacerdas.wifi import selectors
from kotacerdas.wifi.models import Check, Health, Hotspot, PointStatus, WifiSession

APP = "wifi"
_register = for_app(APP, dimension=Dimension.SOCIETY)


def _checks(q: KpiQuery) -> QuerySet[Check]:
    return selectors.checks_of_period(
        q.tenant, q.start, q.end, kecamatan=q.kecamatan, opd_id=q.opd_id
    )


def _sessions(q: KpiQuery) -> QuerySet[WifiSession]:
    return selectors.sessions_of_period(
        q.tenant, q.start, q.end, kecamatan=q.kecamatan, opd_id=q.opd_id
    )


def uptime(q: KpiQuery) -> float | None:
    agg = _checks(q).aggregate(total=Count("id"), up=Count("id", filter=Q(up=True)))
    return 100.0 * agg["up"] / agg["total"] if agg["total"] else None


def points_down_now(q: KpiQuery) -> float | None:
    qs = Hotspot.objects.filter(tenant=q.tenant, status=PointStatus.ACTIVE)
    if q.kecamatan:
        qs = qs.filter(kelurahan__parent_id=q.kecamatan)
    if q.opd_id is not None:
        qs = qs.filter(opd_id=q.opd_id)
    agg = qs.aggregate(total=Count("id"), down=Count("id", filter=Q(health=Health.CRITICAL)))
    return float(agg["down"]) if agg["total"] else None


def sessions(q: KpiQuery) -> float | None:
    n = _sessions(q).count()
    return float(n) if n else None


def devices(q: KpiQuery) -> float | None:
    n = _sessions(q).values("device_hash").distinct().count()
    return float(n) if n else None


def _list(q: KpiQuery) -> str:
    return reverse("wifi:registry", args=[q.tenant.slug])


def _figures(q: KpiQuery, counted: str) -> str:
    """The figures page over the query's period, kecamatan and OPD, totalling what the figure
    counts (``angka``: sessions, devices or health checks)."""
    url = reverse("wifi:figures", args=[q.tenant.slug])
    return list_filters.link(url, q, opd=True, angka=counted)


_register(
    code="uptime",
    name=_("Ketersediaan Wi-Fi publik"),
    description=_("Bagian pemeriksaan kesehatan yang mendapati titik menjawab."),
    unit="%",
    direction=Direction.UP,
    compute=uptime,
    target=95.0,
    list_url=lambda q: _figures(q, "pemeriksaan"),
    opd_list=True,
)
_register(
    code="points_down",
    name=_("Titik Wi-Fi mati sekarang"),
    description=_("Titik aktif yang berstatus kritis (tidak menjawab) saat ini."),
    unit="titik",
    direction=Direction.DOWN,
    compute=points_down_now,
    target=0.0,
    list_url=lambda q: _list(q) + "?kesehatan=CRITICAL",
    snapshot=True,
)
_register(
    code="sessions",
    name=_("Sesi Wi-Fi publik"),
    description=_("Sesi pengguna dari RADIUS accounting yang dimulai dalam periode."),
    unit="sesi",
    direction=Direction.UP,
    compute=sessions,
    list_url=lambda q: _figures(q, "sesi"),
    opd_list=True,
)
_register(
    code="devices",
    name=_("Perangkat unik Wi-Fi publik"),
    description=_("Perangkat berbeda (alamat MAC tersamar) yang tersambung dalam periode."),
    unit="perangkat",
    direction=Direction.UP,
    compute=devices,
    list_url=lambda q: _figures(q, "perangkat"),
    opd_list=True,
)


def _layer_rows(tenant: Tenant, kecamatan: str | None) -> QuerySet[Hotspot]:
    qs = Hotspot.objects.public().filter(tenant=tenant)
    return qs.filter(kelurahan__parent_id=kecamatan) if kecamatan else qs


register_layer(
    MapLayer(
        app=APP,
        code="hotspots",
        name=_("Wi-Fi publik"),
        rows=_layer_rows,
        lat="lat",
        lng="lng",
        status="health",
        opd_field="opd_id",
        statuses={
            Health.OK: (_("Berfungsi"), "#1a7f37"),
            Health.PROBLEM: (_("Bermasalah"), "#b26b00"),
            Health.CRITICAL: (_("Mati"), "#c62828"),
            Health.UNKNOWN: (_("Belum diketahui"), "#6b7280"),
        },
    )
)
