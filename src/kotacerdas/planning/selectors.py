"""Reads shared by the pages, exports, the dashboard and the reminder command."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from importlib import import_module
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Prefetch, QuerySet, Sum

from kotacerdas.planning.models import (
    AuditEvent,
    BudgetLine,
    Dimension,
    DimensionScore,
    Evaluation,
    Frequency,
    Kpi,
    Masterplan,
    Programme,
    ProgrammeStatus,
    ProgressReport,
    ReadinessEntry,
    ReportStatus,
    Term,
)
from kotacerdas.planning.periods import Period, ended_periods, period_containing
from kotacerdas.planning.scoring import weighted_index
from kotacerdas.tenants.models import Tenant

DONE = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)


def events_of(subject: models.Model, *, limit: int = 200) -> QuerySet[AuditEvent]:
    """The audit trail of one planning object (a report, a programme…), oldest first."""
    return AuditEvent.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
    ).select_related("actor")[:limit]


def masterplan_of(tenant: Tenant) -> Masterplan | None:
    return Masterplan.objects.filter(tenant=tenant).first()


def frequency_of(tenant: Tenant) -> str:
    masterplan = masterplan_of(tenant)
    return masterplan.reporting_frequency if masterplan else Frequency.QUARTERLY


def last_ended_period(tenant: Tenant, today: dt.date) -> Period:
    """The most recent period that has ended: the one a report is usually filed for."""
    frequency = frequency_of(tenant)
    return period_containing(
        period_containing(today, frequency).start - dt.timedelta(days=1), frequency
    )


def programmes_of(tenant: Tenant) -> QuerySet[Programme]:
    """Every programme with what the lists and exports show, in a fixed number of queries."""
    return (
        Programme.objects.filter(tenant=tenant)
        .select_related("dimension", "element", "lead_opd")
        .prefetch_related(
            "supporting_opds",
            "partners",
            "budget_lines",
            Prefetch("kpis", queryset=Kpi.objects.prefetch_related("targets")),
        )
    )


@dataclass(frozen=True)
class DueReport:
    programme: Programme
    period: Period
    due: dt.date
    report: ProgressReport | None


def expected_reports(
    tenant: Tenant, today: dt.date, *, programmes: QuerySet[Programme] | None = None
) -> list[DueReport]:
    """Every ended period of every running programme, with its report if one exists."""
    masterplan = masterplan_of(tenant)
    frequency = masterplan.reporting_frequency if masterplan else Frequency.QUARTERLY
    due_days = masterplan.report_due_days if masterplan else 10
    programmes = programmes if programmes is not None else Programme.objects.filter(tenant=tenant)
    programmes = programmes.exclude(status=ProgrammeStatus.SUSPENDED).select_related("lead_opd")
    reports = {
        (r.programme_id, r.period_start): r
        for r in ProgressReport.objects.filter(programme__in=programmes)
    }
    expected: list[DueReport] = []
    for programme in programmes:
        since = max(programme.reporting_from, dt.date(programme.start_year, 1, 1))
        until = min(today, dt.date(programme.end_year, 12, 31) + dt.timedelta(days=1))
        expected.extend(
            DueReport(programme, p, p.due(due_days), reports.get((programme.pk, p.start)))
            for p in ended_periods(since, until, frequency)
        )
    return expected


def overdue_reports(
    tenant: Tenant, today: dt.date, *, programmes: QuerySet[Programme] | None = None
) -> list[DueReport]:
    """Periods past their due date whose report has not been submitted (or was returned)."""
    return [
        item
        for item in expected_reports(tenant, today, programmes=programmes)
        if item.due < today and (item.report is None or item.report.status not in DONE)
    ]


def latest_approved_progress(tenant: Tenant) -> dict[int, Decimal]:
    """Physical progress (%) in each programme's most recent approved report."""
    # Ordered by period: the last value kept per programme is its latest report's.
    return dict(
        ProgressReport.objects.filter(tenant=tenant, status=ReportStatus.APPROVED)
        .order_by("programme_id", "period_start")
        .values_list("programme_id", "physical_progress")
    )


def budget_absorption(tenant: Tenant, year: int) -> tuple[Decimal, Decimal]:
    """(planned budget of ``year``, budget realised in approved reports of periods in ``year``)."""
    planned = BudgetLine.objects.filter(programme__tenant=tenant, year=year).aggregate(
        s=Sum("amount")
    )["s"]
    realised = ProgressReport.objects.filter(
        tenant=tenant, status=ReportStatus.APPROVED, period_start__year=year
    ).aggregate(s=Sum("budget_realised"))["s"]
    return planned or Decimal(0), realised or Decimal(0)


def readiness_summary(tenant: Tenant) -> list[dict[str, Any]]:
    """Average score per leg and kind, for the readiness chart."""
    sums: dict[tuple[str, str], list[int]] = defaultdict(list)
    for leg, kind, score in ReadinessEntry.objects.filter(tenant=tenant).values_list(
        "leg", "kind", "score"
    ):
        sums[(leg, kind)].append(score)
    return [
        {"leg": leg, "kind": kind, "average": sum(scores) / len(scores), "count": len(scores)}
        for (leg, kind), scores in sorted(sums.items())
    ]


@dataclass(frozen=True)
class EvaluationResult:
    evaluation: Evaluation
    by_dimension: list[tuple[Dimension, float | None]]
    scores: dict[int, DimensionScore]

    def rows(self) -> list[tuple[Dimension, DimensionScore | None, float | None]]:
        return [(d, self.scores.get(d.pk), value) for d, value in self.by_dimension]

    @property
    def overall(self) -> float | None:
        values = [value for _d, value in self.by_dimension if value is not None]
        return sum(values) / len(values) if values else None


def evaluation_results(tenant: Tenant) -> list[EvaluationResult]:
    """Every year's index per dimension (None where not scored) and overall, oldest first.

    The overall index is the mean of the scored dimensions' indices.
    """
    dimensions = list(Dimension.objects.all())
    results = []
    for evaluation in (
        Evaluation.objects.filter(tenant=tenant).prefetch_related("scores").order_by("year")
    ):
        scores = {score.dimension_id: score for score in evaluation.scores.all()}
        weights = evaluation.weights()
        results.append(
            EvaluationResult(
                evaluation,
                [
                    (
                        d,
                        weighted_index(scores[d.pk].components(), weights)
                        if d.pk in scores
                        else None,
                    )
                    for d in dimensions
                ],
                scores,
            )
        )
    return results


def spbe_trend(tenant: Tenant) -> list[tuple[int, float, str]]:
    """(year, SPBE index, predicate) per year, from the spbe app when it is installed."""
    if not apps.is_installed("kotacerdas.spbe"):
        return []
    selectors = import_module("kotacerdas.spbe.selectors")
    return list(selectors.spbe_index_trend(tenant))


def dashboard_data(tenant: Tenant, today: dt.date) -> dict[str, Any]:
    """Everything the leader's dashboard shows, as plain data (also fed to the charts)."""
    programmes = list(
        Programme.objects.filter(tenant=tenant).select_related("dimension", "lead_opd")
    )
    dimensions = list(Dimension.objects.all())
    statuses = list(ProgrammeStatus)
    by_dimension = {
        "dimensions": [d.local_name for d in dimensions],
        "series": [
            {
                "name": str(status.label),
                "data": [
                    sum(1 for p in programmes if p.dimension_id == d.pk and p.status == status)
                    for d in dimensions
                ],
            }
            for status in statuses
        ],
    }
    progress = latest_approved_progress(tenant)
    quick_wins = [
        {
            "name": p.local_name,
            "opd": p.lead_opd.acronym,
            "progress": float(progress.get(p.pk, Decimal(0))),
            "pk": p.pk,
        }
        for p in programmes
        if p.term == Term.QUICK_WIN
    ]
    planned, realised = budget_absorption(tenant, today.year)
    overdue = overdue_reports(tenant, today)
    return {
        "programme_count": len(programmes),
        "by_dimension": by_dimension,
        "quick_wins": quick_wins,
        "budget_year": today.year,
        "budget_planned": planned,
        "budget_realised": realised,
        "absorption": float(realised / planned * 100) if planned else None,
        "overdue": overdue,
        "awaiting_review": ProgressReport.objects.filter(
            tenant=tenant, status=ReportStatus.SUBMITTED
        ).count(),
        "spbe": spbe_trend(tenant),
    }
