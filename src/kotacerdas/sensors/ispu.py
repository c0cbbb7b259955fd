"""ISPU (Indeks Standar Pencemar Udara) from pollutant concentrations, by linear interpolation
between the regulation's breakpoints (PermenLHK P.14/2020, Lampiran I), shipped as data in
``data/ispu_breakpoints.json`` and replaceable with ``SENSORS_ISPU_BREAKPOINTS_FILE``."""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import get_language

DEFAULT_FILE = Path(__file__).parent / "data" / "ispu_breakpoints.json"


@cache
def _table(path: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    return data


def table() -> dict[str, Any]:
    return _table(settings.SENSORS_ISPU_BREAKPOINTS_FILE or str(DEFAULT_FILE))


def sub_index(pollutant: str, concentration: float) -> float | None:
    """I = (Ia − Ib)/(Xa − Xb) × (Xx − Xb) + Ib between the two breakpoints around Xx."""
    data = table()
    points: list[float] | None = data["pollutants"].get(pollutant)
    if points is None or concentration < 0:
        return None
    index: list[float] = data["index"]
    for i in range(1, len(points)):
        if concentration <= points[i]:
            low_x, high_x = points[i - 1], points[i]
            low_i, high_i = index[i - 1], index[i]
            return (high_i - low_i) / (high_x - low_x) * (concentration - low_x) + low_i
    return float(index[-1])  # beyond the last breakpoint: the top of the scale


def ispu_from_concentrations(concentrations: dict[str, float]) -> int | None:
    """The reported ISPU: the maximum sub-index over the pollutants measured, rounded up."""
    subs = [s for p, c in concentrations.items() if (s := sub_index(p, c)) is not None]
    return math.ceil(max(subs)) if subs else None


def category(index: float) -> dict[str, str]:
    """The category (name, colour, health advice) in the current language."""
    cats = table()["categories"]
    chosen = cats[0]
    for cat in cats:
        if index >= cat["min"]:
            chosen = cat
    english = (get_language() or "id").startswith("en")
    return {
        "code": chosen["code"],
        "name": chosen["name_en"] if english else chosen["name"],
        "color": chosen["color"],
        "advice": chosen["advice_en"] if english else chosen["advice"],
    }


def category_levels() -> list[dict[str, Any]]:
    """The categories above "Baik" as alert levels (for an ISPU threshold rule)."""
    return [
        {
            "code": c["code"],
            "name": c["name"],
            "threshold": c["min"],
            "incident": False,
            "color": c["color"],
        }
        for c in table()["categories"][1:]
    ]
