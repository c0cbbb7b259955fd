"""The 112 desk's indicators for the leaders' dashboard (see ``core/kpis.py``).

Aggregates over this app's own calls and incidents, bounded by the period (the time the call
was received). Incidents narrow to a kecamatan through their kelurahan; a call records no
place until it becomes an incident, so call figures have no data under a kecamatan filter.
The desk belongs to no single OPD, so an OPD-scoped query has no data either.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotacerdas.core.kpi_national import register_national
from kotacerdas.core.kpi_sql import SecondsBetween, median, share
from kotacerdas.core.kpis import Dimension, Direction, KpiQuery, for_app
from kotacerdas.core.map_layers import MapLayer
from kotacerdas.core.map_layers import register as register_layer
from kotacerdas.emergency.models import (
    INVALID_CALL_TYPES,
    Call,
    DeskPolicy,
    Incident,
    State,
)
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


def prank_share(q: KpiQuery) -> float | None:
    qs = _calls(q)
    if qs is None:
        return None
    counts = qs.aggregate(
        total=Count("pk"), invalid=Count("pk", filter=Q(call_type__in=INVALID_CALL_TYPES))
    )
    return share(counts["invalid"], counts["total"])


def incidents(q: KpiQuery) -> float | None:
    qs = _in_period(q)
    count = 0 if qs is None else qs.count()
    return float(count) if count else None


def median_dispatch(q: KpiQuery) -> float | None:
    """Minutes from the call to the first dispatch, over the period's incidents."""
    qs = _in_period(q)
    if qs is None:
        return None
    seconds = median(qs, SecondsBetween("received_at", "dispatched_at"))
    return None if seconds is None else seconds / 60


def moving_within_target(q: KpiQuery) -> float | None:
    """Share of the period's incidents whose team was moving within the city's target
    (``DeskPolicy.moving_target_minutes``, 15 by default) of the call. An incident whose
    team has not moved yet counts once its target has passed."""
    qs = _in_period(q)
    if qs is None:
        return None
    policy = DeskPolicy.objects.filter(tenant=q.tenant).values_list(
        "moving_target_minutes", flat=True
    )
    minutes = policy[0] if policy else DeskPolicy._meta.get_field("moving_target_minutes").default
    target = dt.timedelta(minutes=minutes)
    counts = qs.filter(
        Q(en_route_at__isnull=False) | Q(received_at__lte=timezone.now() - target)
    ).aggregate(
        total=Count("pk"),
        within=Count("pk", filter=Q(en_route_at__lte=F("received_at") + target)),
    )
    return share(counts["within"], counts["total"])


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


def _reports(q: KpiQuery) -> str:
    url = reverse("emergency:reports", kwargs={"tenant_slug": q.tenant.slug})
    local = timezone.localtime(q.start)
    return f"{url}?{urlencode({'bulan': f'{local:%Y-%m}'})}"


def _board(q: KpiQuery) -> str:
    return reverse("emergency:board", kwargs={"tenant_slug": q.tenant.slug})


_register = for_app(APP, dimension=Dimension.LIVING)


_register(
    "calls",
    _("Panggilan 112"),
    _("Jumlah panggilan yang diterima desk 112 dalam periode."),
    "panggilan",
    direction=Direction.UP,
    compute=calls,
    list_url=_reports,
)
_register(
    "prank_share",
    _("Panggilan prank dan ghost"),
    _("Persentase panggilan periode ini yang iseng (prank) atau diam/terputus (ghost)."),
    "%",
    direction=Direction.DOWN,
    compute=prank_share,
    target=20,
    list_url=_reports,
)
_register(
    "incidents",
    _("Insiden darurat"),
    _("Jumlah insiden yang dicatat dari panggilan dalam periode."),
    "insiden",
    direction=Direction.DOWN,
    compute=incidents,
    list_url=_reports,
)
_register(
    "median_dispatch",
    _("Median waktu panggilan sampai diteruskan"),
    _("Median menit dari panggilan diterima sampai insiden diteruskan ke instansi."),
    "menit",
    direction=Direction.DOWN,
    compute=median_dispatch,
    target=2,
    list_url=_reports,
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
    target=90,
    list_url=_reports,
)
_register(
    "open_incidents",
    _("Insiden terbuka saat ini"),
    _("Insiden yang belum ditutup, saat ini."),
    "insiden",
    direction=Direction.DOWN,
    compute=open_incidents,
    list_url=_board,
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
    rows = (
        Call.objects.filter(received_at__gte=start, received_at__lt=end)
        .values("tenant_id")
        .annotate(n=Count("pk"))
        .values_list("tenant_id", "n")
    )
    return {tenant: float(n) for tenant, n in rows}


def _prank_by_tenant(start: dt.datetime, end: dt.datetime) -> dict[int, float | None]:
    rows = (
        Call.objects.filter(received_at__gte=start, received_at__lt=end)
        .values("tenant_id")
        .annotate(
            total=Count("pk"), invalid=Count("pk", filter=Q(call_type__in=INVALID_CALL_TYPES))
        )
        .values_list("tenant_id", "total", "invalid")
    )
    return {tenant: share(invalid, total) for tenant, total, invalid in rows}


def _open_by_tenant(start: dt.datetime, end: dt.datetime) -> dict[int, float | None]:
    rows = (
        Incident.objects.filter(received_at__lt=end)
        .values("tenant_id")
        .annotate(n=Count("pk", filter=~Q(state=State.CLOSED)))
        .values_list("tenant_id", "n")
    )
    return {tenant: float(n) for tenant, n in rows}


register_national(f"{APP}.calls", _calls_by_tenant)
register_national(f"{APP}.prank_share", _prank_by_tenant)
register_national(f"{APP}.open_incidents", _open_by_tenant)
