from __future__ import annotations

from ninja import Schema


class ComponentsIn(Schema):
    baseline: float
    output: float
    outcome: float
    impact: float
    quick_win: float


class WeightsIn(Schema):
    baseline: float
    output: float
    outcome: float
    impact: float
    quick_win: float


class ScoreIn(Schema):
    components: ComponentsIn
    weights: WeightsIn | None = None


class ScoreOut(Schema):
    index: float
    index_display: str
    weights: dict[str, float]
