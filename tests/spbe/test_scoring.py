"""The engine, from hand-computed vectors. Weights (BI, percent): indicators 1-10 1.3,
11-20 2.5, 21-31 1.5, 32-41 2.75, 42-47 3; they add up to 100, so the index is Σ(NIxBI)/100."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from kotacerdas.spbe.models import (
    Aspect,
    Domain,
    Framework,
    Indicator,
    LevelName,
    PredicateThreshold,
)
from kotacerdas.spbe.scoring import (
    FrameworkSpec,
    display,
    load_spec,
    ranking,
    route_to_next_predicate,
    score,
)
from tests.spbe.conftest import vector


def test_the_2020_framework_is_national_data_seeded_by_migration(spec: FrameworkSpec) -> None:
    assert spec.name == "SPBE PermenPANRB 59/2020"
    assert [d.code for d in spec.domains] == ["D1", "D2", "D3", "D4"]
    assert [a.code for a in spec.aspects] == [f"A{n}" for n in range(1, 9)]
    assert [i.number for i in spec.indicators] == list(range(1, 48))
    assert spec.total_weight == 100
    assert spec.indicators[41].name == "Layanan Pengaduan Pelayanan Publik"
    assert spec.indicators[41].name_en == "Public service complaints"
    assert spec.level_name(spec.indicators[0], 4) == "Terpadu dan Terukur"
    assert spec.level_name(spec.indicators[46], 4) == "Kolaborasi"


@pytest.mark.parametrize(
    ("level", "predicate"),
    [(1, "Kurang"), (2, "Cukup"), (3, "Baik"), (4, "Sangat Baik"), (5, "Memuaskan")],
)
def test_equal_levels_give_that_level_as_every_index(
    spec: FrameworkSpec, level: int, predicate: str
) -> None:
    result = score(spec, vector(level))
    assert result.index == level
    assert result.index_display == f"{level}.00"
    assert result.predicate == predicate
    assert {d.index for d in result.domains} == {level}
    assert {a.index for a in result.aspects} == {level}


# Each boundary vector, by hand (Σ NIxBI; all level 1 gives 100):
# 1.8: 11-18 at 5 -> 100 + 8 indicators x 4 steps x 2.5 = 180 -> 1.8 Cukup.
#      D2 = (8x2.5x5 + 2x2.5x1) / 25 = 105/25 = 4.2 Memuaskan.
# 2.6: 32-39 and 42-47 at 5 -> 100 + 8x4x2.75 + 6x4x3 = 100 + 88 + 72 = 260 -> 2.6 Baik.
# 3.5: 1-32 and 42 at 5, 43 at 4, the rest 1 ->
#      10x1.3x5 + 10x2.5x5 + 11x1.5x5 + (2.75x5 + 9x2.75) + (3x5 + 3x4 + 4x3)
#      = 65 + 125 + 82.5 + 38.5 + 39 = 350 -> 3.5 Sangat Baik.
# 4.2: all 5 but 11-18 at 1 -> 500 - 8x4x2.5 = 420 -> 4.2 Memuaskan;
#      D2 = (2x2.5x5 + 8x2.5x1) / 25 = 45/25 = 1.8 Cukup.
BOUNDARIES = [
    (vector(1, i11_18=5), Fraction(18, 10), "Cukup"),
    (vector(1, i32_39=5, i42_47=5), Fraction(26, 10), "Baik"),
    (vector(1, i1_32=5, i42=5, i43=4), Fraction(35, 10), "Sangat Baik"),
    (vector(5, i11_18=1), Fraction(42, 10), "Memuaskan"),
]


@pytest.mark.parametrize(("levels", "index", "predicate"), BOUNDARIES)
def test_an_index_exactly_on_a_threshold_earns_that_predicate(
    spec: FrameworkSpec, levels: dict[int, int], index: Fraction, predicate: str
) -> None:
    result = score(spec, levels)
    assert result.index == index
    assert result.predicate == predicate


def test_domain_indexes_use_the_same_thresholds(spec: FrameworkSpec) -> None:
    assert score(spec, vector(1, i11_18=5)).domains[1].predicate == "Memuaskan"  # D2 = 4.2
    assert score(spec, vector(5, i11_18=1)).domains[1].predicate == "Cukup"  # D2 = 1.8
    assert score(spec, vector(5, i11_18=1)).domains[1].index == Fraction(18, 10)


def test_one_level_below_a_threshold_keeps_the_lower_predicate_and_rounds_half_up(
    spec: FrameworkSpec,
) -> None:
    # 11-17 at 5, 18 at 4: 180 - 2.5 = 177.5 -> 1.775: Kurang, displayed 1.78 (half up).
    result = score(spec, vector(1, i11_17=5, i18=4))
    assert result.index == Fraction(1775, 1000)
    assert result.predicate == "Kurang"
    assert result.index_display == "1.78"


def test_aspect_index_is_the_weighted_mean_of_its_indicators(spec: FrameworkSpec) -> None:
    # All 3 but 11-15 at 4: 300 + 5x2.5 = 312.5 -> 3.125, shown 3.13.
    # A2 (11-14) = 4; A3 (15-18) = (4 + 3x3) / 4 = 3.25; D2 (11-20) = (5x4 + 5x3)/10 = 3.5.
    result = score(spec, vector(3, i11_15=4))
    assert result.index_display == "3.13"
    aspects = {a.code: a.index for a in result.aspects}
    assert aspects["A2"] == 4
    assert aspects["A3"] == Fraction(325, 100)
    assert result.domains[1].index == Fraction(35, 10)
    assert result.domains[1].predicate == "Sangat Baik"


def test_display_rounds_half_up_from_the_exact_value() -> None:
    assert display(Fraction(2645, 1000)) == "2.65"
    assert display(Fraction(2644999, 1000000)) == "2.64"
    assert display(Fraction(5)) == "5.00"


def test_ranking_puts_the_heaviest_indicators_first_then_indicator_order(
    spec: FrameworkSpec,
) -> None:
    gains = ranking(spec, vector(3, i42=5))
    assert [g.indicator.number for g in gains[:5]] == [43, 44, 45, 46, 47]
    assert gains[0].gain == Fraction(3, 100)
    assert gains[5].indicator.number == 32  # then the 2.75-weighted A7
    assert all(g.indicator.number != 42 for g in gains)  # already at the top level


def test_raising_the_three_cheapest_indicators_moves_the_predicate(spec: FrameworkSpec) -> None:
    # All 3, 11-15 at 4 (+12.5), 21-29 at 5 (+9x2x1.5 = 27), 30 at 4 (+1.5): 341 -> 3.41 Baik.
    # The three cheapest steps are 42, 43 and 44 (+3 each): 341 + 9 = 350 -> 3.5 Sangat Baik.
    levels = vector(3, i11_15=4, i21_29=5, i30=4)
    assert score(spec, levels).index == Fraction(341, 100)
    assert score(spec, levels).predicate == "Baik"
    cheapest = [g.indicator.number for g in ranking(spec, levels)[:3]]
    assert cheapest == [42, 43, 44]
    route = route_to_next_predicate(spec, levels)
    assert route is not None
    assert route.predicate == "Sangat Baik"
    assert route.step_count == 3
    assert [(s.indicator.number, s.level_from, s.level_to) for s in route.steps] == [
        (42, 3, 4),
        (43, 3, 4),
        (44, 3, 4),
    ]
    raised = {**levels, 42: 4, 43: 4, 44: 4}
    assert score(spec, raised).predicate == "Sangat Baik"
    two_only = {**levels, 42: 4, 43: 4}
    assert score(spec, two_only).predicate == "Baik"  # 3.47: three steps is the fewest


def test_the_route_takes_second_levels_only_after_first_levels_of_equal_weight(
    spec: FrameworkSpec,
) -> None:
    # All 1: 1.0 Kurang; Cukup needs +80: 6 A8 first levels (18), 6 second (18), 6 third (18),
    # then A8 fourth levels: 54 + 9 = 63, +3 … 72 after all 24 A8 steps; then A7 2.75 steps:
    # 72 + 2.75x3 = 80.25 >= 80 after 3 more. 27 steps in all.
    route = route_to_next_predicate(spec, vector(1))
    assert route is not None
    assert route.predicate == "Cukup"
    assert route.step_count == 27
    assert route.index_after == Fraction(18025, 10000)


def test_there_is_no_route_beyond_the_top_predicate(spec: FrameworkSpec) -> None:
    assert route_to_next_predicate(spec, vector(5, i1=4)) is None


def test_a_new_framework_is_only_data(db: None) -> None:
    framework = Framework.objects.create(
        code="ipd-2025", name="Indeks Pemerintah Digital", effective_year=2025
    )
    domain = Domain.objects.create(
        framework=framework, code="P1", name="Pilar 1", order=1, level_group="umum"
    )
    aspect = Aspect.objects.create(domain=domain, code="P1.1", name="Layanan", order=1)
    Indicator.objects.create(
        framework=framework, aspect=aspect, number=1, name="X", weight=Decimal(1)
    )
    Indicator.objects.create(
        framework=framework, aspect=aspect, number=2, name="Y", weight=Decimal(3)
    )
    for minimum, name in [(0, "Rendah"), (3, "Tinggi")]:
        PredicateThreshold.objects.create(framework=framework, minimum=minimum, name=name)
    LevelName.objects.create(framework=framework, group="umum", level=5, name="Puncak")
    spec = load_spec(framework)
    # (1x2 + 3x3) / 4 = 11/4 = 2.75 Rendah; (1x1 + 3x5) / 4 = 4 Tinggi.
    assert score(spec, {1: 2, 2: 3}).index == Fraction(11, 4)
    assert score(spec, {1: 2, 2: 3}).predicate == "Rendah"
    assert score(spec, {1: 1, 2: 5}).predicate == "Tinggi"
    assert spec.level_name(spec.indicators[0], 5) == "Puncak"
    assert Framework.objects.current() == framework
