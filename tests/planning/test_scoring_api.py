"""Kominfo index vectors computed by hand: Σ score × weight / 100."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.test import Client

from kotacerdas.planning.scoring import display

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

pytestmark = pytest.mark.django_db
URL = "/api/v1/planning/evaluation/score"


def score(
    client: Client, components: dict[str, float], weights: dict[str, float] | None = None
) -> TestResponse:
    body: dict[str, dict[str, float]] = {"components": components}
    if weights is not None:
        body["weights"] = weights
    return client.post(URL, body, content_type="application/json")


def comps(b: float, o: float, oc: float, i: float, q: float) -> dict[str, float]:
    return {"baseline": b, "output": o, "outcome": oc, "impact": i, "quick_win": q}


@pytest.mark.parametrize(
    ("components", "weights", "index", "shown"),
    [
        # 0.1*3 + 0.2*4 + 0.3*3 + 0.2*2 + 0.2*5 = 0.3 + 0.8 + 0.9 + 0.4 + 1.0 = 3.4
        (comps(3, 4, 3, 2, 5), None, 3.4, "3.40"),
        (comps(1, 1, 1, 1, 1), None, 1.0, "1.00"),
        (comps(5, 5, 5, 5, 5), None, 5.0, "5.00"),
        # 0.1*4 + 0.2*3 + 0.3*4 + 0.3*4 + 0.1*2 = 0.4 + 0.6 + 1.2 + 1.2 + 0.2 = 3.6 (10/20/30/30/10)
        (
            comps(4, 3, 4, 4, 2),
            {"baseline": 10, "output": 20, "outcome": 30, "impact": 30, "quick_win": 10},
            3.6,
            "3.60",
        ),
        # half-up display: 0.125*3 + 0.125*3 + 0.25*3 + 0.25*3 + 0.25*3.5 = 3.125 -> "3.13"
        (
            comps(3, 3, 3, 3, 3.5),
            {"baseline": 12.5, "output": 12.5, "outcome": 25, "impact": 25, "quick_win": 25},
            3.125,
            "3.13",
        ),
    ],
)
def test_score_api_matches_hand_computed_vectors(
    client: Client,
    components: dict[str, float],
    weights: dict[str, float] | None,
    index: float,
    shown: str,
) -> None:
    response = score(client, components, weights)
    assert response.status_code == 200, response.content
    assert response.json()["index"] == pytest.approx(index, abs=1e-12)
    assert response.json()["index_display"] == shown


def test_display_rounds_half_up_not_to_even() -> None:
    assert display(2.345) == "2.35"
    assert display(2.335) == "2.34"
    assert display(3.4) == "3.40"


@pytest.mark.parametrize(
    ("components", "weights", "fragment"),
    [
        (comps(0, 3, 3, 3, 3), None, "“baseline” harus antara 1 dan 5"),
        (comps(3, 3, 3, 3, 6), None, "“quick_win” harus antara 1 dan 5"),
        (
            comps(3, 3, 3, 3, 3),
            {"baseline": 10, "output": 20, "outcome": 30, "impact": 20, "quick_win": 30},
            "harus 100, bukan 110",
        ),
        (
            comps(3, 3, 3, 3, 3),
            {"baseline": 50, "output": 50},
            "Data tidak sah pada “weights.outcome”",
        ),
        ({"baseline": 3}, None, "Data tidak sah pada “components.output”"),
    ],
)
def test_score_api_rejects_bad_input_with_a_clear_message(
    client: Client,
    components: dict[str, float],
    weights: dict[str, float] | None,
    fragment: str,
) -> None:
    response = score(client, components, weights)
    assert response.status_code == 400
    error = response.json()["error"]
    assert set(error) >= {"code", "message"}
    assert fragment in error["message"]


def test_score_api_rejects_negative_weights(client: Client) -> None:
    response = score(
        client,
        comps(3, 3, 3, 3, 3),
        {"baseline": -10, "output": 40, "outcome": 30, "impact": 20, "quick_win": 20},
    )
    assert response.status_code == 400
    assert "negatif" in response.json()["error"]["message"]
