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
    # Contract agreed with the complaints app (see docs/planning.md): a percentage 0-100,
    # or None when no complaint fell due in [start, end].
    selectors = import_module("kotacerdas.complaints.selectors")
    value = selectors.response_rate_within_sla(tenant, period.start, period.end)
    return None if value is None else float(value)


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
