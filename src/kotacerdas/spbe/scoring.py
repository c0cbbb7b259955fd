"""The calculation engine, for any framework described by its data.

Indexes are exact ``Fraction`` values: the weights are decimal numbers (1.3, 2.75 …), and
binary floats would put an index that is mathematically 3.5 a hair below the threshold.
The unrounded value is kept; only the display rounds, to two decimals, half up.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from kotacerdas.core.errors import DomainError
from kotacerdas.spbe.models import Aspect, Framework, LevelName


def _local(name: str, name_en: str) -> str:
    """The English name on an English page when there is one, else the official name."""
    if name_en and (translation.get_language() or "").startswith("en"):
        return name_en
    return name


@dataclass(frozen=True)
class IndicatorSpec:
    """One indicator (``local_name``: English on an English page when the data has it)."""

    number: int
    name: str
    name_en: str
    weight: Fraction
    aspect: str
    domain: str
    level_group: str

    @property
    def local_name(self) -> str:
        return _local(self.name, self.name_en)

    @property
    def weight_display(self) -> str:
        return f"{float(self.weight):g}"


@dataclass(frozen=True)
class GroupSpec:
    code: str
    name: str
    name_en: str

    @property
    def local_name(self) -> str:
        return _local(self.name, self.name_en)


@dataclass(frozen=True)
class FrameworkSpec:
    """Everything the engine needs about a framework, read once from the database."""

    code: str
    name: str
    min_level: int
    max_level: int
    indicators: tuple[IndicatorSpec, ...]
    domains: tuple[GroupSpec, ...]
    aspects: tuple[GroupSpec, ...]
    # (minimum index, predicate, English) ascending
    thresholds: tuple[tuple[Fraction, str, str], ...]
    # (level group, level) -> (name, English)
    level_names: Mapping[tuple[str, int], tuple[str, str]]

    @property
    def total_weight(self) -> Fraction:
        return sum((i.weight for i in self.indicators), Fraction(0))

    def predicate(self, index: Fraction) -> str:
        """The predicate of the highest threshold the index reaches (exact comparison), in the
        page's language (English when the framework has it)."""
        found = _local(*self.thresholds[0][1:]) if self.thresholds else ""
        for minimum, name, english in self.thresholds:
            if index >= minimum:
                found = _local(name, english)
        return found

    def next_threshold(self, index: Fraction) -> tuple[Fraction, str] | None:
        for minimum, name, english in self.thresholds:
            if minimum > index:
                return minimum, _local(name, english)
        return None

    def level_name(self, indicator: IndicatorSpec, level: int | None) -> str:
        if level is None:
            return ""
        return _local(*self.level_names.get((indicator.level_group, level), ("", "")))


def load_spec(framework: Framework) -> FrameworkSpec:
    """The framework's data in the shape the engine uses (four queries)."""
    indicators = tuple(
        IndicatorSpec(
            number=i.number,
            name=i.name,
            name_en=i.name_en,
            weight=Fraction(i.weight),
            aspect=i.aspect.code,
            domain=i.aspect.domain.code,
            level_group=i.aspect.domain.level_group,
        )
        for i in framework.indicators.select_related("aspect__domain").order_by("number")
    )
    domains = tuple(
        GroupSpec(d.code, d.name, d.name_en) for d in framework.domains.order_by("order")
    )
    aspects = tuple(
        GroupSpec(a.code, a.name, a.name_en)
        for a in Aspect.objects.filter(domain__framework=framework).order_by("order")
    )
    thresholds = tuple(
        (Fraction(t.minimum), t.name, t.name_en) for t in framework.thresholds.order_by("minimum")
    )
    names = {
        (n.group, n.level): (n.name, n.name_en)
        for n in LevelName.objects.filter(framework=framework)
    }
    return FrameworkSpec(
        code=framework.code,
        name=framework.name,
        min_level=framework.min_level,
        max_level=framework.max_level,
        indicators=indicators,
        domains=domains,
        aspects=aspects,
        thresholds=thresholds,
        level_names=names,
    )


def display(index: Fraction) -> str:
    """Two decimals, rounding half up, from the exact value (3.125 -> "3.13"); for machines
    (the API, charts). People read ``display_local``."""
    hundredths = math.floor(index * 100 + Fraction(1, 2))
    return str(Decimal(hundredths).scaleb(-2))


def display_local(index: Fraction) -> str:
    """``display`` in the page's number format: "3,13" in Bahasa Indonesia, "3.13" in English."""
    return number_format(Decimal(display(index)), decimal_pos=2, use_l10n=True)


@dataclass(frozen=True)
class GroupScore:
    code: str
    name: str
    name_en: str
    index: Fraction
    predicate: str

    @property
    def index_display(self) -> str:
        return display(self.index)

    @property
    def index_local(self) -> str:
        return display_local(self.index)

    @property
    def local_name(self) -> str:
        return _local(self.name, self.name_en)


@dataclass(frozen=True)
class Score:
    index: Fraction
    predicate: str
    domains: tuple[GroupScore, ...]
    aspects: tuple[GroupScore, ...]

    @property
    def index_display(self) -> str:
        return display(self.index)

    @property
    def index_local(self) -> str:
        return display_local(self.index)


def _weighted(indicators: list[IndicatorSpec], levels: Mapping[int, int]) -> Fraction:
    total = sum((i.weight for i in indicators), Fraction(0))
    return sum((i.weight * levels[i.number] for i in indicators), Fraction(0)) / total


def validate_levels(spec: FrameworkSpec, raw: Mapping[str, object]) -> dict[int, int]:
    """Levels keyed by indicator number, from user input keyed by strings ("1".."47").

    Raises ``DomainError`` naming the first indicator that is missing, unknown or out of range.
    """
    numbers = {i.number for i in spec.indicators}
    levels: dict[int, int] = {}
    for key, value in raw.items():
        # Keys are the plain numbers "1".."47"; "01" or " 1" would let one indicator appear twice.
        number = (
            int(key) if isinstance(key, str) and key.isdigit() and key == str(int(key)) else None
        )
        if number not in numbers:
            raise DomainError(
                _("Indikator “%(key)s” tidak ada dalam kerangka %(framework)s.")
                % {"key": key, "framework": spec.name},
                code="unknown_indicator",
            )
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not (spec.min_level <= value <= spec.max_level)
        ):
            raise DomainError(
                _("Tingkat indikator %(number)s harus bilangan bulat %(low)s sampai %(high)s.")
                % {"number": number, "low": spec.min_level, "high": spec.max_level},
                code="invalid_level",
            )
        levels[number] = value
    missing = sorted(numbers - levels.keys())
    if missing:
        raise DomainError(
            _("Tingkat indikator %(number)s belum diisi.") % {"number": missing[0]},
            code="missing_indicator",
        )
    return levels


def score(spec: FrameworkSpec, levels: Mapping[int, int]) -> Score:
    """Aspect, domain and overall indexes, each Σ(NIxBI)/ΣBI over its indicators.

    ``levels`` must hold a valid level for every indicator (see ``validate_levels``).
    """
    by_domain = {d.code: [i for i in spec.indicators if i.domain == d.code] for d in spec.domains}
    by_aspect = {a.code: [i for i in spec.indicators if i.aspect == a.code] for a in spec.aspects}
    index = _weighted(list(spec.indicators), levels)
    domains = []
    for d in spec.domains:
        value = _weighted(by_domain[d.code], levels)
        domains.append(GroupScore(d.code, d.name, d.name_en, value, spec.predicate(value)))
    aspects = []
    for a in spec.aspects:
        value = _weighted(by_aspect[a.code], levels)
        aspects.append(GroupScore(a.code, a.name, a.name_en, value, spec.predicate(value)))
    return Score(index, spec.predicate(index), tuple(domains), tuple(aspects))


@dataclass(frozen=True)
class Gain:
    indicator: IndicatorSpec
    level: int
    gain: Fraction


@dataclass(frozen=True)
class Step:
    indicator: IndicatorSpec
    level_from: int
    level_to: int


@dataclass(frozen=True)
class Route:
    """The fewest level steps that lift the index to ``target`` (predicate ``predicate``)."""

    target: Fraction
    predicate: str
    steps: tuple[Step, ...]
    index_after: Fraction

    @property
    def step_count(self) -> int:
        return sum(s.level_to - s.level_from for s in self.steps)


def ranking(spec: FrameworkSpec, levels: Mapping[int, int]) -> list[Gain]:
    """Indicators that can still rise, by how much one more level raises the index
    (BI/ΣBI), largest first, then in indicator order."""
    total = spec.total_weight
    gains = [
        Gain(i, levels[i.number], i.weight / total)
        for i in spec.indicators
        if levels[i.number] < spec.max_level
    ]
    return sorted(gains, key=lambda g: (-g.gain, g.indicator.number))


def route_to_next_predicate(spec: FrameworkSpec, levels: Mapping[int, int]) -> Route | None:
    """The cheapest route to the next predicate, or None at the top predicate.

    Every level step on an indicator adds the same BI/ΣBI, so taking the largest steps first
    gives the fewest steps. Among equal steps, lower target levels come first (one level on
    each of several indicators before a second level on one), then indicator order.
    """
    current = _weighted(list(spec.indicators), levels)
    goal = spec.next_threshold(current)
    if goal is None:
        return None
    target, predicate = goal
    total = spec.total_weight
    candidates = sorted(
        (
            (i, level)
            for i in spec.indicators
            for level in range(levels[i.number] + 1, spec.max_level + 1)
        ),
        key=lambda c: (-c[0].weight, c[1], c[0].number),
    )
    raised: dict[int, int] = {}
    index = current
    for indicator, level in candidates:
        if index >= target:
            break
        raised[indicator.number] = level
        index += indicator.weight / total
    if index < target:
        return None
    steps = tuple(
        Step(i, levels[i.number], raised[i.number]) for i in spec.indicators if i.number in raised
    )
    return Route(target, predicate, steps, index)
