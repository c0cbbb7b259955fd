"""The 112 desk's indicators for the leaders' dashboard (see ``core/kpis.py``).

Aggregates over this app's own calls and incidents, bounded by the period (the time the call
was received). Incidents narrow to a kecamatan through their kelurahan; a call records no
place until it becomes an incident, so call figures have no data under a kecamatan filter.
The desk belongs to no single OPD, so an OPD-scoped query has no data either.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotacerdas.core.kpi_national import count_by_tenant, register_national, share_by_tenant
from kotacerdas.core.kpi_sql import SecondsBetween, median, median_per_month, per_month, share
from kotacerdas.core.kpis import Dimension, Direction, KpiQuery, Part, for_app
from kotacerdas.core.map_layers import MapLayer
from kotacerdas.core.map_layers import register as register_layer
from kotacerdas.emergency import selectors
from kotacerdas.emergency.models import (
    INVALID_CALL_TYPES,
    Call,
    DeskPolicy,
    Incident,
    State,
)
from kotacerdas.tenants import list_filters
from kotacerdas.tenants.models import Tenant

APP = "emergency"


def _calls(q: KpiQuery) -> QuerySet[Call] | None:
    if q.kecamatan or q.opd_id is not None:
        return None
    return Call.objects.filter(tenant=q.tenant, received_at__gte=q.start, received_at__lt=q.end)


def _incidents(q: KpiQuery) -> QuerySet[Incident] | None:
    if q.opd_id is not None:
        return None
    qs = Incident.objects.filter(tenant=q.tenant)
    if q.kecamatan:
        qs = qs.filter(kelurahan__parent_id=q.kecamatan)
    return qs


def _in_period(q: KpiQuery) -> QuerySet[Incident] | None:
    qs = _incidents(q)
    return None if qs is None else qs.filter(received_at__gte=q.start, received_at__lt=q.end)


def calls(q: KpiQuery) -> float | None:
    qs = _calls(q)
    count = 0 if qs is None else qs.count()
    return float(count) if count else None


def _count_per_month(qs: QuerySet[Any] | None, q: KpiQuery) -> dict[dt.date, float | None]:
    if qs is None:
        return {}
    months = per_month(qs, "received_at", q, n=Count("*"))
    return {month: float(row["n"]) for month, row in months.items()}


def calls_per_month(q: KpiQuery) -> dict[dt.date, float | None]:
    return _count_per_month(_calls(q), q)


_PRANK = {
    "total": Count("pk"),
    "invalid": Count("pk", filter=Q(call_type__in=INVALID_CALL_TYPES)),
}


def prank_share(q: KpiQuery) -> float | None:
    qs = _calls(q)
    if qs is None:
        return None
    counts = qs.aggregate(**_PRANK)
    return share(counts["invalid"], counts["total"])


def prank_share_per_month(q: KpiQuery) -> dict[dt.date, float | None]:
    qs = _calls(q)
    if qs is None:
        return {}
    months = per_month(qs, "received_at", q, **_PRANK)
    return {month: share(row["invalid"], row["total"]) for month, row in months.items()}


def incidents(q: KpiQuery) -> float | None:
    qs = _in_period(q)
    count = 0 if qs is None else qs.count()
    return float(count) if count else None


def incidents_per_month(q: KpiQuery) -> dict[dt.date, float | None]:
    return _count_per_month(_in_period(q), q)


def incidents_by_kind(q: KpiQuery) -> list[Part]:
    """The period's incidents per kind (incident category), largest first."""
    if q.opd_id is not None:
        return []
    rows = selectors.incidents_per_kind(
        tenant=q.tenant, start=q.start, end=q.end, kecamatan=q.kecamatan
    )
    return [Part(code, name, float(n), label_en=name_en) for code, name, name_en, n in rows]


_DISPATCH = SecondsBetween("received_at", "dispatched_at")


def median_dispatch(q: KpiQuery) -> float | None:
    """Minutes from the call to the first dispatch, over the period's incidents."""
    qs = _in_period(q)
    if qs is None:
        return None
    seconds = median(qs, _DISPATCH)
    return None if seconds is None else seconds / 60


def median_dispatch_per_month(q: KpiQuery) -> dict[dt.date, float | None]:
    qs = _in_period(q)
    if qs is None:
        return {}
    months = median_per_month(qs, _DISPATCH, "received_at", q)
    return {month: seconds / 60 for month, seconds in months.items()}


def _moving(q: KpiQuery) -> tuple[QuerySet[Incident], dict[str, Count]] | None:
    """The period's incidents that count for the moving target, and the counts to take:
    an incident whose team has not moved yet counts once its target has passed."""
    qs = _in_period(q)
    if qs is None:
        return None
    policy = DeskPolicy.objects.filter(tenant=q.tenant).values_list(
        "moving_target_minutes", flat=True
    )
    minutes = policy[0] if policy else DeskPolicy._meta.get_field("moving_target_minutes").default
    target = dt.timedelta(minutes=minutes)
    counted = qs.filter(Q(en_route_at__isnull=False) | Q(received_at__lte=timezone.now() - target))
    return counted, {
        "total": Count("pk"),
        "within": Count("pk", filter=Q(en_route_at__lte=F("received_at") + target)),
    }


def moving_within_target(q: KpiQuery) -> float | None:
    """Share of the period's incidents whose team was moving within the city's target
    (``DeskPolicy.moving_target_minutes``, 15 by default) of the call."""
    moving = _moving(q)
    if moving is None:
        return None
    counts = moving[0].aggregate(**moving[1])
    return share(counts["within"], counts["total"])


def moving_within_target_per_month(q: KpiQuery) -> dict[dt.date, float | None]:
    moving = _moving(q)
    if moving is None:
        return {}
    months = per_month(moving[0], "received_at", q, **moving[1])
    return {month: share(row["within"], row["total"]) for month, row in months.items()}


def open_incidents(q: KpiQuery) -> float | None:
    """Incidents not yet closed, now (received before the period end)."""
    qs = _incidents(q)
    if qs is None:
        return None
    if q.end <= timezone.now():  # a past period: only what had been received by its end
        qs = qs.filter(received_at__lt=q.end)
    if not qs.exists():
        return None
    return float(qs.exclude(state=State.CLOSED).count())


def _call_list(q: KpiQuery) -> str:
    """The period's calls (a call records no place: no kecamatan, whose figures are empty)."""
    url = reverse("emergency:call_list", kwargs={"tenant_slug": q.tenant.slug})
    return list_filters.link(url, replace(q, kecamatan=None))


def _incident_list(q: KpiQuery) -> str:
    url = reverse("emergency:incident_list", kwargs={"tenant_slug": q.tenant.slug})
    return list_filters.link(url, q)


def _incidents_of_kind(q: KpiQuery, kind: str) -> str:
    url = reverse("emergency:incident_list", kwargs={"tenant_slug": q.tenant.slug})
    return list_filters.link(url, q, jenis=kind)


def _open_list(q: KpiQuery) -> str:
    url = reverse("emergency:incident_list", kwargs={"tenant_slug": q.tenant.slug})
    return list_filters.link(url, q, period=False, terbuka="1")


_register = for_app(APP, dimension=Dimension.LIVING)


_register(
    "calls",
    _("Panggilan 112"),
    _("Jumlah panggilan yang diterima desk 112 dalam periode."),
    "panggilan",
    direction=Direction.UP,
    compute=calls,
    per_month=calls_per_month,
    list_url=_call_list,
)
_register(
    "prank_share",
    _("Panggilan prank dan ghost"),
    _("Persentase panggilan periode ini yang iseng (prank) atau diam/terputus (ghost)."),
    "%",
    direction=Direction.DOWN,
    compute=prank_share,
    per_month=prank_share_per_month,
    target=20,
    list_url=_call_list,
)
_register(
    "incidents",
    _("Insiden darurat"),
    _("Jumlah insiden yang dicatat dari panggilan dalam periode, menurut jenisnya."),
    "insiden",
    direction=Direction.DOWN,
    compute=incidents,
    per_month=incidents_per_month,
    breakdown=incidents_by_kind,
    part_url=_incidents_of_kind,
    list_url=_incident_list,
)
_register(
    "median_dispatch",
    _("Median waktu panggilan sampai diteruskan"),
    _("Median menit dari panggilan diterima sampai insiden diteruskan ke instansi."),
    "menit",
    direction=Direction.DOWN,
    compute=median_dispatch,
    per_month=median_dispatch_per_month,
    target=2,
    list_url=_incident_list,  # the period's incidents, each with its times
)
_register(
    "moving_within_target",
    _("Tim bergerak dalam target"),
    _(
        "Persentase insiden yang timnya bergerak dalam target daerah "
        "(bawaan 15 menit) sejak panggilan diterima."
    ),
    "%",
    direction=Direction.UP,
    compute=moving_within_target,
    per_month=moving_within_target_per_month,
    target=90,
    list_url=_incident_list,  # the period's incidents, each with its times
)
_register(
    "open_incidents",
    _("Insiden terbuka saat ini"),
    _("Insiden yang belum ditutup, saat ini."),
    "insiden",
    direction=Direction.DOWN,
    compute=open_incidents,
    list_url=_open_list,
    snapshot=True,
)


def _recent_incidents(tenant: Tenant, kecamatan: str | None) -> QuerySet[Incident]:
    """Incidents of the last 24 hours (by the time of the call)."""
    since = timezone.now() - dt.timedelta(hours=24)
    qs = Incident.objects.filter(tenant=tenant, received_at__gte=since)
    return qs.filter(kelurahan__parent_id=kecamatan) if kecamatan else qs


_STATE_COLOURS = {
    State.NEW: "#d62728",
    State.DISPATCHED: "#ff7f0e",
    State.ACKNOWLEDGED: "#ff7f0e",
    State.EN_ROUTE: "#e6b800",
    State.ON_SCENE: "#1f6feb",
    State.RESOLVED: "#2ca02c",
    State.CLOSED: "#6c757d",
}
register_layer(
    MapLayer(
        app=APP,
        code="incidents_24h",
        name=_("Insiden 112 dalam 24 jam terakhir"),
        rows=_recent_incidents,
        lat="latitude",
        lng="longitude",
        status="state",
        statuses={s.value: (s.label, colour) for s, colour in _STATE_COLOURS.items()},
    )
)


# National comparison: one grouped query per figure for every tenant.
def _calls_by_tenant(start: dt.datetime, end: dt.datetime) -> dict[int, float | None]:
    return count_by_tenant(Call.objects.filter(received_at__gte=start, received_at__lt=end))


def _prank_by_tenant(start: dt.datetime, end: dt.datetime) -> dict[int, float | None]:
    return share_by_tenant(
        Call.objects.filter(received_at__gte=start, received_at__lt=end),
        part=Q(call_type__in=INVALID_CALL_TYPES),
    )


def _open_by_tenant(start: dt.datetime, end: dt.datetime) -> dict[int, float | None]:
    return count_by_tenant(
        Incident.objects.filter(received_at__lt=end), counted=~Q(state=State.CLOSED)
    )


register_national(f"{APP}.calls", _calls_by_tenant)
register_national(f"{APP}.prank_share", _prank_by_tenant)
register_national(f"{APP}.open_incidents", _open_by_tenant)
