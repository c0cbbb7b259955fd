"""Named platform metrics that can feed a KPI automatically.

A metric is a callable ``(tenant, period) -> float | None`` (None: no data for that period).
Metrics of other apps come from the platform's KPI registry (``core.kpis``, filled by each
app's ``kpis.py``): no import of another app's modules, and counts made in SQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from kotacerdas.core import kpis
from kotacerdas.core.kpis import KpiQuery
from kotacerdas.planning.models import ProgressReport, ReportStatus
from kotacerdas.planning.periods import Period
from kotacerdas.tenants.models import Tenant

MetricFunc = Callable[[Tenant, Period], float | None]


@dataclass(frozen=True)
class Metric:
    name: str
    label: str
    unit: str
    func: MetricFunc


def _reports_on_time(tenant: Tenant, period: Period) -> float | None:
    """Share (%) of the period's progress reports that were submitted by their due date."""
    masterplan = getattr(tenant, "masterplan", None)
    due_days = masterplan.report_due_days if masterplan else 10
    reports = ProgressReport.objects.filter(
        tenant=tenant,
        period_start__gte=period.start,
        period_end__lte=period.end,
        status__in=[ReportStatus.SUBMITTED, ReportStatus.APPROVED],
    )
    total = reports.count()
    if not total:
        return None
    on_time = sum(
        1
        for submitted, period_end in reports.values_list("submitted_at", F("period_end"))
        if submitted and submitted.date() <= period_end + dt.timedelta(days=due_days)
    )
    return 100.0 * on_time / total


COMPLAINTS_KPI = "complaints.responded_within_sla"


def _period_query(tenant: Tenant, period: Period) -> KpiQuery:
    """The KPI query for a reporting period: its days in the tenant's time zone."""
    zone = ZoneInfo(tenant.time_zone)
    start = dt.datetime.combine(period.start, dt.time(), tzinfo=zone)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    return KpiQuery(tenant=tenant, start=start, end=end)


def _complaints_response_rate(tenant: Tenant, period: Period) -> float | None:
    """Share (%) of the period's dispositions answered by the OPD within the SLA: the complaints
    app's own KPI from the registry (``core.kpis``), counted in SQL over exact counts."""
    kpi = kpis.get(COMPLAINTS_KPI)
    return None if kpi is None else kpi.compute(_period_query(tenant, period))


def registry() -> dict[str, Metric]:
    """Every metric available on this installation, by name."""
    metrics = [
        Metric(
            "planning.reports_on_time",
            str(_("Laporan kemajuan tepat waktu")),
            "%",
            _reports_on_time,
        ),
    ]
    if kpis.get(COMPLAINTS_KPI) is not None:
        metrics.append(
            Metric(
                "complaints.response_rate_within_sla",
                str(_("Aduan ditanggapi dalam SLA")),
                "%",
                _complaints_response_rate,
            )
        )
    return {metric.name: metric for metric in metrics}


def choices() -> list[tuple[str, str]]:
    return [("", str(_("— diisi manual —")))] + [(m.name, m.label) for m in registry().values()]


def metric_value(name: str, tenant: Tenant, period: Period) -> float | None:
    metric = registry().get(name)
    return None if metric is None else metric.func(tenant, period)
