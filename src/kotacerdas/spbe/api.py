"""The SPBE calculator. It holds no data, so it needs no login; it is lightly rate-limited."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited
from ninja import Router

from kotacerdas.core.api_errors import ErrorOut
from kotacerdas.core.errors import DomainError
from kotacerdas.spbe import selectors
from kotacerdas.spbe.schemas import LevelsIn, ScoreOut, SimulateOut
from kotacerdas.spbe.scoring import (
    FrameworkSpec,
    Route,
    Score,
    display,
    ranking,
    route_to_next_predicate,
    score,
    validate_levels,
)

router = Router(tags=["spbe"])

RATE = "120/m"


def _calculate(request: HttpRequest, payload: LevelsIn) -> tuple[FrameworkSpec, dict[int, int]]:
    if is_ratelimited(request, group="spbe-calculator", key="ip", rate=RATE, increment=True):
        raise DomainError(
            _("Terlalu banyak permintaan. Tunggu sebentar, lalu coba lagi."),
            code="rate_limited",
            status=429,
        )
    spec = selectors.framework_spec(code=payload.framework)
    return spec, validate_levels(spec, payload.levels)


def score_out(spec: FrameworkSpec, result: Score) -> dict[str, Any]:
    return {"framework": spec.code, **selectors.score_summary(result)}


def route_out(route: Route | None) -> dict[str, Any] | None:
    if route is None:
        return None
    return {
        "predicate": route.predicate,
        "target": float(route.target),
        "step_count": route.step_count,
        "index_after": float(route.index_after),
        "index_after_display": display(route.index_after),
        "steps": [
            {
                "number": s.indicator.number,
                "name": s.indicator.name,
                "level_from": s.level_from,
                "level_to": s.level_to,
            }
            for s in route.steps
        ],
    }


@router.post(
    "/score",
    auth=None,
    response={200: ScoreOut, 400: ErrorOut, 404: ErrorOut, 429: ErrorOut},
    summary="Hitung Indeks SPBE dari tingkat ke-47 indikator",
)
def score_endpoint(request: HttpRequest, payload: LevelsIn) -> dict[str, Any]:
    spec, levels = _calculate(request, payload)
    return score_out(spec, score(spec, levels))


@router.post(
    "/simulate",
    auth=None,
    response={200: SimulateOut, 400: ErrorOut, 404: ErrorOut, 429: ErrorOut},
    summary="Simulasi: peringkat indikator dan rute termurah ke predikat berikutnya",
)
def simulate_endpoint(request: HttpRequest, payload: LevelsIn) -> dict[str, Any]:
    spec, levels = _calculate(request, payload)
    return {
        "score": score_out(spec, score(spec, levels)),
        "ranking": [
            {
                "number": g.indicator.number,
                "name": g.indicator.name,
                "level": g.level,
                "gain": float(g.gain),
            }
            for g in ranking(spec, levels)
        ],
        "route": route_out(route_to_next_predicate(spec, levels)),
    }
