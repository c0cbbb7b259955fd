"""The complaints app's indicators for the leaders' dashboard (see ``core/kpis.py``).

Every figure is an aggregate over this app's own tables, bounded by the query's period,
kecamatan (the complaint's kelurahan lies in it) and OPD (the complaint was disposed to it).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Avg, Count, F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotacerdas.complaints import selectors
from kotacerdas.complaints.models import (
    OPEN_STATUSES,
    Complaint,
    ComplaintQuerySet,
    Disposition,
    Status,
)
from kotacerdas.core.kpi_national import count_by_tenant, register_national, share_by_tenant
from kotacerdas.core.kpi_sql import SecondsBetween, median, median_per_month, per_month, share
from kotacerdas.core.kpis import Dimension, Direction, KpiQuery, for_app
from kotacerdas.core.map_layers import MapLayer
from kotacerdas.core.map_layers import register as register_layer
from kotacerdas.tenants import list_filters
from kotacerdas.tenants.models import Tenant

APP = "complaints"


def _complaints(q: KpiQuery) -> ComplaintQuerySet:
    qs = Complaint.objects.filter(tenant=q.tenant)
    if q.kecamatan:
        qs = qs.filter(region__parent_id=q.kecamatan)
    if q.opd_id is not None:
        # (complaint, opd) is unique among dispositions: this join never repeats a complaint.
        qs = qs.filter(dispositions__opd_id=q.opd_id)
    return qs


def _dispositions(q: KpiQuery) -> QuerySet[Disposition]:
    return selectors.dispositions_of_period(
        q.tenant, start=q.start, end=q.end, opd_id=q.opd_id, kecamatan=q.kecamatan
    )


def received(q: KpiQuery) -> float | None:
    count = _complaints(q).filter(created_at__gte=q.start, created_at__lt=q.end).count()
    return float(count) if count else None


def received_per_month(q: KpiQuery) -> dict[dt.date, float | None]:
    qs = _complaints(q).filter(created_at__gte=q.start, created_at__lt=q.end)
    months = per_month(qs, "created_at", q, n=Count("*"))
    return {month: float(row["n"]) for month, row in months.items()}


_WITHIN_SLA = {
    "total": Count("pk"),
    "within": Count("pk", filter=Q(first_response_at__lte=F("response_due"))),
}


def responded_within_sla(q: KpiQuery) -> float | None:
    """Share of the period's dispositions whose first OPD response came by its deadline."""
    counts = selectors.answered_or_due(_dispositions(q)).aggregate(**_WITHIN_SLA)
    return share(counts["within"], counts["total"])


def responded_within_sla_per_month(q: KpiQuery) -> dict[dt.date, float | None]:
    months = per_month(selectors.answered_or_due(_dispositions(q)), "created_at", q, **_WITHIN_SLA)
    return {month: share(row["within"], row["total"]) for month, row in months.items()}


_FIRST_RESPONSE = SecondsBetween("created_at", "first_response_at")


def median_first_response(q: KpiQuery) -> float | None:
    """Hours from disposition to the OPD's first response, over the period's dispositions."""
    seconds = median(_dispositions(q), _FIRST_RESPONSE)
    return None if seconds is None else seconds / 3600


def median_first_response_per_month(q: KpiQuery) -> dict[dt.date, float | None]:
    months = median_per_month(_dispositions(q), _FIRST_RESPONSE, "created_at", q)
    return {month: seconds / 3600 for month, seconds in months.items()}


def _resolved(q: KpiQuery) -> ComplaintQuerySet:
    return _complaints(q).filter(resolved_at__gte=q.start, resolved_at__lt=q.end)


_RESOLUTION = SecondsBetween("created_at", "resolved_at")


def median_resolution(q: KpiQuery) -> float | None:
    """Days from receipt to resolution, over the complaints resolved in the period."""
    seconds = median(_resolved(q), _RESOLUTION)
    return None if seconds is None else seconds / 86400


def median_resolution_per_month(q: KpiQuery) -> dict[dt.date, float | None]:
    months = median_per_month(_resolved(q), _RESOLUTION, "resolved_at", q)
    return {month: seconds / 86400 for month, seconds in months.items()}


_REOPENED = {"total": Count("pk"), "reopened": Count("pk", filter=Q(reopen_count__gt=0))}


def reopen_rate(q: KpiQuery) -> float | None:
    counts = _resolved(q).aggregate(**_REOPENED)
    return share(counts["reopened"], counts["total"])


def reopen_rate_per_month(q: KpiQuery) -> dict[dt.date, float | None]:
    months = per_month(_resolved(q), "resolved_at", q, **_REOPENED)
    return {month: share(row["reopened"], row["total"]) for month, row in months.items()}


def average_rating(q: KpiQuery) -> float | None:
    value = _resolved(q).filter(rating__isnull=False).aggregate(a=Avg("rating"))["a"]
    return None if value is None else float(value)


def average_rating_per_month(q: KpiQuery) -> dict[dt.date, float | None]:
    rated = _resolved(q).filter(rating__isnull=False)
    months = per_month(rated, "resolved_at", q, a=Avg("rating"))
    return {month: float(row["a"]) for month, row in months.items() if row["a"] is not None}


def overdue_now(q: KpiQuery) -> float | None:
    """Open complaints past their running SLA deadline now (received before the period end)."""
    qs = _complaints(q)
    if q.end <= timezone.now():  # a past period: only what had been received by its end
        qs = qs.filter(created_at__lt=q.end)
    if not qs.exists():
        return None
    return float(qs.overdue().count())


def _inbox(q: KpiQuery) -> str:
    """The inbox of the period's complaints (an OPD operator's inbox holds their OPD's)."""
    url = reverse("complaints:staff_inbox", kwargs={"tenant_slug": q.tenant.slug})
    return list_filters.link(url, q)


def _overdue(q: KpiQuery) -> str:
    url = reverse("complaints:staff_inbox", kwargs={"tenant_slug": q.tenant.slug})
    return list_filters.link(url, q, period=False, overdue="on")


def _resolved_list(q: KpiQuery) -> str:
    """The inbox of the complaints resolved in the period: the rows of the resolution figures."""
    url = reverse("complaints:staff_inbox", kwargs={"tenant_slug": q.tenant.slug})
    return list_filters.link(url, q, tanggal="selesai")


def _rated_list(q: KpiQuery) -> str:
    url = reverse("complaints:staff_inbox", kwargs={"tenant_slug": q.tenant.slug})
    return list_filters.link(url, q, tanggal="selesai", dinilai="1")


def _dispositions_list(q: KpiQuery, responded: str) -> str:
    """The inbox of the complaints with a disposition created in the period (to the figure's
    OPD), narrowed to the dispositions the figure counts; it totals dispositions."""
    url = reverse("complaints:staff_inbox", kwargs={"tenant_slug": q.tenant.slug})
    return list_filters.link(url, q, opd=True, tanggal="disposisi", tanggapan=responded)


_register = for_app(APP, dimension=Dimension.GOVERNANCE)


_register(
    "received",
    _("Aduan diterima"),
    _("Jumlah aduan warga yang masuk dalam periode, dari semua saluran."),
    "aduan",
    direction=Direction.UP,
    compute=received,
    per_month=received_per_month,
    list_url=_inbox,
    opd_list=True,
)
_register(
    "responded_within_sla",
    _("Aduan ditanggapi OPD dalam SLA"),
    _(
        "Persentase disposisi periode ini yang mendapat tanggapan pertama OPD sebelum batasnya "
        "(disposisi yang batasnya belum lewat belum dihitung)."
    ),
    "%",
    direction=Direction.UP,
    compute=responded_within_sla,
    per_month=responded_within_sla_per_month,
    target=90,
    list_url=lambda q: _dispositions_list(q, "dihitung"),
    opd_list=True,
)
_register(
    "median_first_response",
    _("Median waktu tanggapan pertama"),
    _("Median jam dari disposisi ke tanggapan pertama OPD."),
    "jam",
    direction=Direction.DOWN,
    compute=median_first_response,
    per_month=median_first_response_per_month,
    target=72,
    list_url=lambda q: _dispositions_list(q, "dijawab"),
    opd_list=True,
)
_register(
    "median_resolution",
    _("Median waktu penyelesaian"),
    _("Median hari dari aduan diterima sampai selesai, atas aduan yang selesai dalam periode."),
    "hari",
    direction=Direction.DOWN,
    compute=median_resolution,
    per_month=median_resolution_per_month,
    target=7,
    list_url=_resolved_list,
    opd_list=True,
)
_register(
    "reopen_rate",
    _("Aduan dibuka kembali"),
    _("Persentase aduan yang selesai dalam periode dan pernah dibuka kembali oleh warga."),
    "%",
    direction=Direction.DOWN,
    compute=reopen_rate,
    per_month=reopen_rate_per_month,
    target=5,
    list_url=_resolved_list,
    opd_list=True,
)
_register(
    "average_rating",
    _("Rata-rata penilaian warga"),
    _("Rata-rata nilai (1–5) dari warga atas aduan yang selesai dalam periode."),
    "skor",
    direction=Direction.UP,
    compute=average_rating,
    per_month=average_rating_per_month,
    target=4,
    list_url=_rated_list,
    opd_list=True,
)
_register(
    "overdue_now",
    _("Aduan terlambat saat ini"),
    _("Aduan terbuka yang melewati batas SLA yang sedang berjalan, saat ini."),
    "aduan",
    direction=Direction.DOWN,
    compute=overdue_now,
    target=0,
    list_url=_overdue,
    opd_list=True,
    snapshot=True,
)


def _open_complaints(tenant: Tenant, kecamatan: str | None) -> QuerySet[Complaint]:
    # Public complaints only: a confidential one is not shown on any map.
    qs = Complaint.objects.filter(tenant=tenant).open().public()
    return qs.filter(region__parent_id=kecamatan) if kecamatan else qs


_STATUS_COLOURS = {
    Status.BARU: "#6c757d",
    Status.DITUNDA: "#8d6e63",
    Status.DIDISPOSISI: "#f0ad4e",
    Status.DIPROSES: "#1f6feb",
}
register_layer(
    MapLayer(
        app=APP,
        code="open",
        name=_("Aduan terbuka menurut status"),
        rows=_open_complaints,
        lat="lat",
        lng="long",
        status="status",
        statuses={s.value: (s.label, colour) for s, colour in _STATUS_COLOURS.items()},
        # (complaint, opd) is unique among dispositions: the join never repeats a complaint.
        opd_field="dispositions__opd_id",
    )
)


# National comparison: the same figures for every tenant in one grouped query each.
def _received_by_tenant(start: dt.datetime, end: dt.datetime) -> dict[int, float | None]:
    return count_by_tenant(Complaint.objects.filter(created_at__gte=start, created_at__lt=end))


def _within_sla_by_tenant(start: dt.datetime, end: dt.datetime) -> dict[int, float | None]:
    return share_by_tenant(
        Disposition.objects.filter(created_at__gte=start, created_at__lt=end).filter(
            Q(first_response_at__isnull=False) | Q(response_due__lte=timezone.now())
        ),
        part=Q(first_response_at__lte=F("response_due")),
        tenant="complaint__tenant_id",
    )


def _overdue_by_tenant(start: dt.datetime, end: dt.datetime) -> dict[int, float | None]:
    return count_by_tenant(
        Complaint.objects.filter(created_at__lt=end),
        counted=Q(status__in=OPEN_STATUSES, due_at__lt=timezone.now()),
    )


register_national(f"{APP}.received", _received_by_tenant)
register_national(f"{APP}.responded_within_sla", _within_sla_by_tenant)
register_national(f"{APP}.overdue_now", _overdue_by_tenant)
