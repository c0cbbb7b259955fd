"""The services app's indicators for the leaders' dashboard (see ``core/kpis.py``).

Aggregates over this app's own applications and documents, bounded by the period and, when
given, the OPD that runs the service. An application records no place of residence that the
platform can rely on, so under a kecamatan filter these indicators have no data (None).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from urllib.parse import urlencode

from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kotacerdas.core.kpi_national import count_by_tenant, register_national, share_by_tenant
from kotacerdas.core.kpi_sql import SecondsBetween, median, median_per_month, per_month, share
from kotacerdas.core.kpis import Dimension, Direction, KpiQuery, for_app
from kotacerdas.services.models import (
    Application,
    Document,
    DocumentStatus,
    Status,
)
from kotacerdas.tenants import list_filters

APP = "services"


def _applications(q: KpiQuery) -> QuerySet[Application] | None:
    if q.kecamatan:
        return None
    qs = Application.objects.filter(tenant=q.tenant)
    if q.opd_id is not None:
        qs = qs.filter(service__opd_id=q.opd_id)
    return qs


def received(q: KpiQuery) -> float | None:
    qs = _applications(q)
    if qs is None:
        return None
    count = qs.filter(submitted_at__gte=q.start, submitted_at__lt=q.end).count()
    return float(count) if count else None


def received_per_month(q: KpiQuery) -> dict[dt.date, float | None]:
    qs = _applications(q)
    if qs is None:
        return {}
    qs = qs.filter(submitted_at__gte=q.start, submitted_at__lt=q.end)
    months = per_month(qs, "submitted_at", q, n=Count("*"))
    return {month: float(row["n"]) for month, row in months.items()}


def _completed(q: KpiQuery) -> QuerySet[Application] | None:
    qs = _applications(q)
    if qs is None:
        return None
    return qs.filter(status=Status.COMPLETED, completed_at__gte=q.start, completed_at__lt=q.end)


def completed(q: KpiQuery) -> float | None:
    qs = _completed(q)
    if qs is None:
        return None
    count = qs.count()
    return float(count) if count else None


def completed_per_month(q: KpiQuery) -> dict[dt.date, float | None]:
    qs = _completed(q)
    if qs is None:
        return {}
    months = per_month(qs, "completed_at", q, n=Count("*"))
    return {month: float(row["n"]) for month, row in months.items()}


_WITHIN_SLA = {
    "total": Count("pk"),
    "within": Count("pk", filter=Q(completed_at__lte=F("sla_deadline"))),
}


def completed_within_sla(q: KpiQuery) -> float | None:
    qs = _completed(q)
    if qs is None:
        return None
    counts = qs.aggregate(**_WITHIN_SLA)
    return share(counts["within"], counts["total"])


def completed_within_sla_per_month(q: KpiQuery) -> dict[dt.date, float | None]:
    qs = _completed(q)
    if qs is None:
        return {}
    months = per_month(qs, "completed_at", q, **_WITHIN_SLA)
    return {month: share(row["within"], row["total"]) for month, row in months.items()}


_COMPLETION = SecondsBetween("submitted_at", "completed_at")


def median_completion(q: KpiQuery) -> float | None:
    """Hours from submission to completion, over the applications completed in the period."""
    qs = _completed(q)
    if qs is None:
        return None
    seconds = median(qs, _COMPLETION)
    return None if seconds is None else seconds / 3600


def median_completion_per_month(q: KpiQuery) -> dict[dt.date, float | None]:
    qs = _completed(q)
    if qs is None:
        return {}
    months = median_per_month(qs, _COMPLETION, "completed_at", q)
    return {month: seconds / 3600 for month, seconds in months.items()}


def documents_waiting(q: KpiQuery) -> float | None:
    """Uploaded documents of submitted applications not yet checked by an officer, now."""
    qs = _applications(q)
    if qs is None:
        return None
    submitted = qs.filter(submitted_at__lt=q.end)
    if not submitted.exists():
        return None
    return float(
        Document.objects.filter(
            application__in=submitted.filter(status__in=[Status.SUBMITTED, Status.IN_VERIFICATION]),
            status=DocumentStatus.PENDING,
        ).count()
    )


def _register_url(q: KpiQuery, **extra: str) -> str:
    """The leaders' list of the applications the figure counts: of the period's days (by
    submission, or by completion with ``tanggal="selesai"``), of the OPD's services when the
    figure is an OPD's. Applications have no kecamatan, so none is passed."""
    url = reverse("services:application_register", kwargs={"tenant_slug": q.tenant.slug})
    if q.opd_id is not None:
        extra["opd"] = str(q.opd_id)
    return f"{url}?{urlencode({**extra, **list_filters.params(replace(q, kecamatan=None))})}"


def _submitted(q: KpiQuery) -> str:
    return _register_url(q)


def _completed_list(q: KpiQuery) -> str:
    """The applications completed in the period: the rows behind the count, the share within
    the SLA (each row shows whether it was late) and the median."""
    return _register_url(q, tanggal="selesai", status=Status.COMPLETED)


def _desk(q: KpiQuery, **params: str) -> str:
    url = reverse("services:desk", kwargs={"tenant_slug": q.tenant.slug})
    return f"{url}?{urlencode(params)}" if params else url


_register = for_app(APP, dimension=Dimension.GOVERNANCE)


_register(
    "received",
    _("Permohonan layanan diajukan"),
    _("Jumlah permohonan yang diajukan warga (daring dan loket) dalam periode."),
    "permohonan",
    direction=Direction.UP,
    compute=received,
    per_month=received_per_month,
    list_url=_submitted,
    opd_list=True,
)
_register(
    "completed",
    _("Permohonan layanan selesai"),
    _("Jumlah permohonan yang selesai dalam periode."),
    "permohonan",
    direction=Direction.UP,
    compute=completed,
    per_month=completed_per_month,
    list_url=_completed_list,
    opd_list=True,
)
_register(
    "completed_within_sla",
    _("Layanan selesai tepat waktu"),
    _("Persentase permohonan yang selesai dalam periode sebelum batas waktu layanannya."),
    "%",
    direction=Direction.UP,
    compute=completed_within_sla,
    per_month=completed_within_sla_per_month,
    target=90,
    list_url=_completed_list,
    opd_list=True,
)
_register(
    "median_completion",
    _("Median lama layanan"),
    _("Median jam dari permohonan diajukan sampai selesai, atas yang selesai dalam periode."),
    "jam",
    direction=Direction.DOWN,
    compute=median_completion,
    per_month=median_completion_per_month,
    target=72,
    list_url=_completed_list,
    opd_list=True,
)
_register(
    "documents_waiting",
    _("Dokumen menunggu diperiksa"),
    _("Dokumen unggahan permohonan yang sedang berjalan dan belum diperiksa petugas, saat ini."),
    "dokumen",
    direction=Direction.DOWN,
    compute=documents_waiting,
    target=0,
    list_url=lambda q: _desk(q, status=Status.SUBMITTED),
    opd_list=True,
    snapshot=True,
)


# National comparison: one grouped query per figure for every tenant.
def _received_by_tenant(start: dt.datetime, end: dt.datetime) -> dict[int, float | None]:
    return count_by_tenant(
        Application.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
    )


def _within_sla_by_tenant(start: dt.datetime, end: dt.datetime) -> dict[int, float | None]:
    return share_by_tenant(
        Application.objects.filter(
            status=Status.COMPLETED, completed_at__gte=start, completed_at__lt=end
        ),
        part=Q(completed_at__lte=F("sla_deadline")),
    )


register_national(f"{APP}.received", _received_by_tenant)
register_national(f"{APP}.completed_within_sla", _within_sla_by_tenant)
