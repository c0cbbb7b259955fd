"""The SPBE self-assessment's indicators for the leaders' dashboard (see ``core/kpis.py``):
the latest final index and its change from the year before, computed by this app's own
scoring engine. The index belongs to the whole government: no data per kecamatan or OPD.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotacerdas.core.kpis import Dimension, Direction, KpiQuery, Part, Verdict, for_app
from kotacerdas.spbe.selectors import assessment_history

APP = "spbe"
_register = for_app(APP, dimension=Dimension.GOVERNANCE)


def _year(q: KpiQuery) -> int:
    return timezone.localtime(q.end - dt.timedelta(microseconds=1)).year


@dataclass(frozen=True)
class _Final:
    year: int
    index: float
    predicate: Verdict


def _finals(q: KpiQuery) -> list[_Final]:
    """The final assessments' results up to the period's year, oldest first: scored once per
    query, shared by the index, its change, its predicate and its years."""
    if q.kecamatan or q.opd_id is not None:
        return []

    def score() -> list[_Final]:
        finals = []
        for assessment, spec, result in assessment_history(q.tenant, final_only=True):
            if result is None or assessment.year > _year(q):
                continue
            english = {name: en for _minimum, name, en in spec.thresholds}
            verdict = Verdict(result.predicate, english.get(result.predicate, ""))
            finals.append(_Final(assessment.year, float(result.index), verdict))
        return finals

    return q.shared("spbe.finals", score)


def predicate(q: KpiQuery) -> Verdict | None:
    """The predicate of the latest final index up to the period's year, in both languages
    (the framework's own names for its thresholds)."""
    finals = _finals(q)
    return finals[-1].predicate if finals else None


def by_year(q: KpiQuery) -> list[Part]:
    """The final index of every year up to the period's, oldest first: the trend."""
    return [Part(str(f.year), str(f.year), f.index) for f in _finals(q)]


def latest_index(q: KpiQuery) -> float | None:
    finals = _finals(q)
    return finals[-1].index if finals else None


def index_change(q: KpiQuery) -> float | None:
    finals = _finals(q)
    return finals[-1].index - finals[-2].index if len(finals) >= 2 else None


def _list(q: KpiQuery) -> str:
    return reverse("spbe:assessment_list", kwargs={"tenant_slug": q.tenant.slug})


_register(
    code="index",
    name=_("Indeks SPBE"),
    description=_(
        "Indeks (1–5) evaluasi mandiri SPBE final terakhir sampai tahun periode, dengan "
        "predikatnya dan indeks tiap tahun."
    ),
    unit="indeks",
    direction=Direction.UP,
    compute=latest_index,
    target=3.5,
    list_url=_list,
    verdict=predicate,
    breakdown=by_year,
    part_url=lambda q, _year: _list(q),
    snapshot=True,
)
_register(
    code="index_change",
    name=_("Perubahan indeks SPBE"),
    description=_("Selisih indeks SPBE final terakhir dengan tahun sebelumnya."),
    unit="indeks",
    direction=Direction.UP,
    compute=index_change,
    target=0,
    list_url=_list,
    snapshot=True,
)
