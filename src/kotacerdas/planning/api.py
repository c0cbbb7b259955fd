"""``/api/v1/planning``: the Kominfo evaluation index calculator."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from kotacerdas.core.api_errors import ErrorOut
from kotacerdas.planning.schemas import ScoreIn, ScoreOut
from kotacerdas.planning.scoring import DEFAULT_WEIGHTS, display, weighted_index

router = Router(tags=["planning"])


@router.post(
    "/evaluation/score",
    auth=None,
    response={200: ScoreOut, 400: ErrorOut},
    summary="Hitung indeks evaluasi Kominfo",
)
def evaluation_score(request: HttpRequest, payload: ScoreIn) -> dict[str, object]:
    """Indeks = Σ nilai komponen (1–5) × bobot (%) / 100. Bobot bawaan 10/20/30/20/20;
    bobot lain harus memuat kelima komponen dan berjumlah 100. Perhitungan publik, tanpa data."""
    components = payload.components.dict()
    weights = payload.weights.dict() if payload.weights else dict(DEFAULT_WEIGHTS)
    index = weighted_index(components, weights)
    return {"index": index, "index_display": display(index), "weights": weights}
