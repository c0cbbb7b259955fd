"""Named platform metrics that can feed a KPI automatically.

A metric is a callable ``(tenant, period) -> float | None`` (None: no data for that period).
Metrics of other apps are registered only when those apps are installed, and call only
their public selectors.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.db.models import F
from django.utils.translation import gettext_lazy as _

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


def _complaints_response_rate(tenant: Tenant, period: Period) -> float | None:
    """Share (%) of the complaints disposed to OPDs in the period's months that got their
    first response within the SLA, from the complaints app's public monthly statistics."""
    selectors = import_module("kotacerdas.complaints.selectors")
    months = set()
    day = period.start.replace(day=1)
    while day <= period.end:
        months.add(f"{day:%Y-%m}")
        day = (day + dt.timedelta(days=32)).replace(day=1)
    rows = [
        row
        for year in range(period.start.year, period.end.year + 1)
        for row in selectors.statistics_per_opd_month(tenant=tenant, year=year)
        if row.month in months
    ]
    received = sum(row.received for row in rows)
    if not received:
        return None
    # within_sla_share is a rounded share per row; round back to a count of complaints.
    within = sum(round((row.within_sla_share or 0) * row.received) for row in rows)
    return 100.0 * within / received


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
    if apps.is_installed("kotacerdas.complaints"):
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
