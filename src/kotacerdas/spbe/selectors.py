"""Reads that more than one caller needs: framework data, an assessment's scores and index,
the tenant's index trend (the planning dashboard reads ``spbe_index_trend``) and the summary
used by the annual evaluation report (``spbe_assessment_summary``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from kotacerdas.spbe.models import Assessment, Evidence, Framework, IndicatorScore
from kotacerdas.spbe.scoring import FrameworkSpec, IndicatorSpec, Score, load_spec, score
from kotacerdas.tenants.models import Tenant


def framework_spec(*, code: str | None = None) -> FrameworkSpec:
    """The named active framework, or the current one; 404 for an unknown code."""
    frameworks = Framework.objects.filter(is_active=True)
    framework = frameworks.filter(code=code).first() if code else frameworks.current()
    if framework is None:
        raise Http404("framework")
    return load_spec(framework)


@dataclass
class IndicatorRow:
    indicator: IndicatorSpec
    score_id: int
    level: int | None
    level_name: str
    justification: str
    evidence: list[Evidence] = field(default_factory=list)
    modules: list[dict[str, str]] = field(default_factory=list)


@dataclass
class AssessmentResult:
    """An assessment's indicators with their levels, and its index once every level is set."""

    assessment: Assessment
    spec: FrameworkSpec
    rows: list[IndicatorRow]
    score: Score | None

    @property
    def levels(self) -> dict[int, int]:
        return {r.indicator.number: r.level for r in self.rows if r.level is not None}

    @property
    def scored_count(self) -> int:
        return len(self.levels)

    def rows_by_aspect(self) -> list[tuple[Any, list[IndicatorRow], Any]]:
        groups = []
        for aspect in self.spec.aspects:
            rows = [r for r in self.rows if r.indicator.aspect == aspect.code]
            aspect_score = (
                next(a for a in self.score.aspects if a.code == aspect.code) if self.score else None
            )
            groups.append((aspect, rows, aspect_score))
        return groups


def assessment_result(
    assessment: Assessment, *, spec: FrameworkSpec | None = None
) -> AssessmentResult:
    spec = spec or load_spec(assessment.framework)
    by_number = {i.number: i for i in spec.indicators}
    scores = list(
        IndicatorScore.objects.filter(assessment=assessment)
        .select_related("indicator")
        .prefetch_related("evidence")
        .order_by("indicator__number")
    )
    rows = [
        IndicatorRow(
            indicator=by_number[s.indicator.number],
            score_id=s.pk,
            level=s.level,
            level_name=spec.level_name(by_number[s.indicator.number], s.level),
            justification=s.justification,
            evidence=list(s.evidence.all()),
        )
        for s in scores
    ]
    levels = {r.indicator.number: r.level for r in rows if r.level is not None}
    complete = len(levels) == len(spec.indicators)
    return AssessmentResult(assessment, spec, rows, score(spec, levels) if complete else None)


def _scores_of(
    assessments: list[Assessment],
) -> list[tuple[Assessment, FrameworkSpec, Score | None]]:
    """Each assessment's score (None while incomplete): one query, plus a spec per framework."""
    levels: dict[int, dict[int, int]] = defaultdict(dict)
    for assessment_id, number, level in IndicatorScore.objects.filter(
        assessment__in=assessments, level__isnull=False
    ).values_list("assessment_id", "indicator__number", "level"):
        if level is not None:  # filtered out above; narrows the type
            levels[assessment_id][number] = level
    specs: dict[int, FrameworkSpec] = {}
    found = []
    for assessment in assessments:
        if assessment.framework_id not in specs:
            specs[assessment.framework_id] = load_spec(assessment.framework)
        spec = specs[assessment.framework_id]
        mine = levels[assessment.pk]
        found.append(
            (assessment, spec, score(spec, mine) if len(mine) == len(spec.indicators) else None)
        )
    return found


def assessment_history(
    tenant: Tenant, *, framework: Framework | None = None, final_only: bool = False
) -> list[tuple[Assessment, FrameworkSpec, Score | None]]:
    """The tenant's assessments under one framework (the current one by default), by year."""
    framework = framework or Framework.objects.current()
    if framework is None:
        return []
    assessments = Assessment.objects.filter(tenant=tenant, framework=framework).select_related(
        "framework"
    )
    if final_only:
        assessments = assessments.final()
    return _scores_of(list(assessments.order_by("year")))


def spbe_index_trend(
    tenant: Tenant, *, framework: Framework | None = None
) -> list[tuple[int, float, str]]:
    """(year, unrounded index, predicate) of the tenant's final assessments, by year."""
    return [
        (assessment.year, float(result.index), result.predicate)
        for assessment, _spec, result in assessment_history(
            tenant, framework=framework, final_only=True
        )
        if result is not None
    ]


def score_summary(result: Score) -> dict[str, Any]:
    """The index, its display, predicate, domains and aspects, in the score API's shapes."""
    return {
        "index": float(result.index),
        "index_display": result.index_display,
        "predicate": result.predicate,
        "domains": [
            {"code": d.code, "name": d.name, "index": float(d.index), "predicate": d.predicate}
            for d in result.domains
        ],
        "aspects": [
            {"code": a.code, "name": a.name, "index": float(a.index)} for a in result.aspects
        ],
    }


def spbe_assessment_summary(tenant: Tenant, year: int) -> dict[str, Any] | None:
    """The summary of the tenant's final assessment for ``year`` (current framework), or None."""
    framework = Framework.objects.current()
    assessment = (
        Assessment.objects.final()
        .filter(tenant=tenant, year=year, framework=framework)
        .select_related("framework")
        .first()
    )
    if assessment is None:
        return None
    ((_assessment, _spec, result),) = _scores_of([assessment])
    return score_summary(result) if result is not None else None


# Platform modules that are evidence for indicators: (app, URL name of its tenant page,
# indicator numbers, label). Only installed apps whose URL name resolves are linked.
PLATFORM_EVIDENCE = [
    ("kotacerdas.complaints", "complaints:public_home", (42,), _("Aduan warga")),
    ("kotacerdas.opendata", "opendata:catalogue", (43,), _("Data terbuka")),
    ("kotacerdas.services", "services:home", (45, 46, 47), _("Layanan publik daring")),
]


def platform_evidence(tenant: Tenant) -> dict[int, list[dict[str, str]]]:
    """Indicator number -> the installed platform modules that support it, with their links."""
    found: dict[int, list[dict[str, str]]] = defaultdict(list)
    for app, url_name, numbers, label in PLATFORM_EVIDENCE:
        if not apps.is_installed(app):
            continue
        try:
            url = reverse(url_name, kwargs={"tenant_slug": tenant.slug})
        except NoReverseMatch:
            continue
        for number in numbers:
            found[number].append({"label": str(label), "url": url})
    return dict(found)
