"""POST /api/v1/spbe/score and /simulate, from hand-computed vectors (see test_scoring)."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from django.test import Client

from kotacerdas.spbe import api as spbe_api
from tests.spbe.conftest import body, vector

SCORE = "/api/v1/spbe/score"
SIMULATE = "/api/v1/spbe/simulate"


@pytest.mark.parametrize(
    "case",
    [
        # 11-18 at 5: 100 + 8x4x2.5 = 180
        (vector(1, i11_18=5), 1.8, "1.80", "Cukup"),
        # 32-39 and 42-47 at 5: 100 + 88 + 72 = 260
        (vector(1, i32_39=5, i42_47=5), 2.6, "2.60", "Baik"),
        # 1-32, 42 at 5, 43 at 4: 65 + 125 + 82.5 + 38.5 + 39 = 350
        (vector(1, i1_32=5, i42=5, i43=4), 3.5, "3.50", "Sangat Baik"),
        # all 5 but 11-18 at 1: 500 - 80 = 420
        (vector(5, i11_18=1), 4.2, "4.20", "Memuaskan"),
        # 11-17 at 5, 18 at 4: 177.5 -> 1.775, half up 1.78, still Kurang
        (vector(1, i11_17=5, i18=4), 1.775, "1.78", "Kurang"),
    ],
)
def test_score_api_returns_index_display_and_predicate_on_the_boundaries(
    client: Client, db: None, case: tuple[dict[int, int], float, str, str]
) -> None:
    levels, index, display, predicate = case
    response = client.post(SCORE, body(levels), content_type="application/json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["index"] == pytest.approx(index, abs=1e-12)
    assert data["index_display"] == display
    assert data["predicate"] == predicate


def test_score_api_lists_domains_with_predicates_and_aspects(client: Client, db: None) -> None:
    # All 3 but 11-15 at 4: D2 (11-20) = 35/10 = 3.5 Sangat Baik; A2 = 4; A3 = 13/4 = 3.25.
    response = client.post(SCORE, body(vector(3, i11_15=4)), content_type="application/json")
    data = response.json()
    assert data["index"] == 3.125
    assert data["index_display"] == "3.13"
    assert [d["code"] for d in data["domains"]] == ["D1", "D2", "D3", "D4"]
    assert data["domains"][1] == {
        "code": "D2",
        "name": "Tata Kelola SPBE",
        "index": 3.5,
        "predicate": "Sangat Baik",
    }
    assert [a["code"] for a in data["aspects"]] == [f"A{n}" for n in range(1, 9)]
    assert data["aspects"][1] == {"code": "A2", "name": "Perencanaan Strategis SPBE", "index": 4.0}
    assert data["aspects"][2]["index"] == 3.25


def _error(client: Client, levels_body: Mapping[str, object]) -> dict[str, str]:
    response = client.post(SCORE, levels_body, content_type="application/json")
    assert response.status_code == 400, response.content
    error: dict[str, str] = response.json()["error"]
    return error


def test_a_missing_indicator_is_named(client: Client, db: None) -> None:
    levels = body(vector(3))
    del levels["levels"]["17"]
    error = _error(client, levels)
    assert error["code"] == "missing_indicator"
    assert "17" in error["message"]


@pytest.mark.parametrize("extra", ["48", "0", "01", "A1"])
def test_an_extra_indicator_is_named(client: Client, db: None, extra: str) -> None:
    levels = body(vector(3))
    levels["levels"][extra] = 3
    error = _error(client, levels)
    assert error["code"] == "unknown_indicator"
    assert f"“{extra}”" in error["message"]


@pytest.mark.parametrize("bad", [0, 6, 2.5, "3", True, None])
def test_a_level_out_of_range_or_not_an_integer_is_named(
    client: Client, db: None, bad: str | int | float | bool | None
) -> None:
    levels: dict[str, dict[str, object]] = {"levels": {**body(vector(3))["levels"]}}
    levels["levels"]["42"] = bad
    error = _error(client, levels)
    assert error["code"] == "invalid_level"
    assert "42" in error["message"]


def test_levels_must_be_an_object(client: Client, db: None) -> None:
    response = client.post(SCORE, {"levels": [1, 2]}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"


def test_an_unknown_framework_is_404(client: Client, db: None) -> None:
    payload = {**body(vector(3)), "framework": "tidak-ada"}
    response = client.post(SCORE, payload, content_type="application/json")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_calculator_is_rate_limited(
    client: Client, db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(spbe_api, "RATE", "2/m")
    for _ in range(2):
        assert (
            client.post(SCORE, body(vector(3)), content_type="application/json").status_code == 200
        )
    response = client.post(SCORE, body(vector(3)), content_type="application/json")
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "rate_limited"


def test_simulate_ranks_indicators_and_gives_the_cheapest_route(client: Client, db: None) -> None:
    # 341 -> 3.41 Baik; three A8 steps (+3 each) reach 350 = 3.5 Sangat Baik.
    levels = vector(3, i11_15=4, i21_29=5, i30=4)
    response = client.post(SIMULATE, body(levels), content_type="application/json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["score"]["index_display"] == "3.41"
    assert [g["number"] for g in data["ranking"][:3]] == [42, 43, 44]
    assert data["ranking"][0]["gain"] == pytest.approx(0.03)
    route = data["route"]
    assert route["predicate"] == "Sangat Baik"
    assert route["step_count"] == 3
    assert route["index_after_display"] == "3.50"
    assert [(s["number"], s["level_from"], s["level_to"]) for s in route["steps"]] == [
        (42, 3, 4),
        (43, 3, 4),
        (44, 3, 4),
    ]
    raised = {**levels, 42: 4, 43: 4, 44: 4}
    after = client.post(SCORE, body(raised), content_type="application/json").json()
    assert after["predicate"] == "Sangat Baik"


def test_simulate_at_the_top_has_no_route(client: Client, db: None) -> None:
    data = client.post(SIMULATE, body(vector(5)), content_type="application/json").json()
    assert data["route"] is None
    assert data["ranking"] == []
