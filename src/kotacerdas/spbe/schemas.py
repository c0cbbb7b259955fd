from __future__ import annotations

from typing import Any

from ninja import Schema


class LevelsIn(Schema):
    levels: dict[str, Any]
    framework: str | None = None


class DomainOut(Schema):
    code: str
    name: str
    index: float
    predicate: str


class AspectOut(Schema):
    code: str
    name: str
    index: float


class ScoreOut(Schema):
    framework: str
    index: float
    index_display: str
    predicate: str
    domains: list[DomainOut]
    aspects: list[AspectOut]


class GainOut(Schema):
    number: int
    name: str
    level: int
    gain: float


class StepOut(Schema):
    number: int
    name: str
    level_from: int
    level_to: int


class RouteOut(Schema):
    predicate: str
    target: float
    step_count: int
    index_after: float
    index_after_display: str
    steps: list[StepOut]


class SimulateOut(Schema):
    score: ScoreOut
    ranking: list[GainOut]
    route: RouteOut | None
