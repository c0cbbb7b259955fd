from __future__ import annotations

import pytest

from kotacerdas.spbe.scoring import FrameworkSpec
from kotacerdas.spbe.selectors import framework_spec


def vector(default: int, **ranges: int) -> dict[int, int]:
    """Levels for indicators 1..47: ``default`` everywhere, overridden by ``i11_18=5`` style
    keyword ranges (inclusive) or single indicators ``i42=4``."""
    levels = dict.fromkeys(range(1, 48), default)
    for key, level in ranges.items():
        first, _sep, last = key[1:].partition("_")
        for number in range(int(first), int(last or first) + 1):
            levels[number] = level
    return levels


def body(levels: dict[int, int]) -> dict[str, dict[str, int]]:
    return {"levels": {str(k): v for k, v in levels.items()}}


@pytest.fixture
def spec(db) -> FrameworkSpec:  # type: ignore[no-untyped-def]
    return framework_spec()
