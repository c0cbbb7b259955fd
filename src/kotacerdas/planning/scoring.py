"""Kominfo's smart-city evaluation index: a weighted mean of five component scores (1–5).

The weights are not published in one authoritative place; Kota Kediri's 2022 results fit
10/20/30/20/20 (baseline/output/outcome/impact/quick win), the default here. Each year's
weights are configured on its ``Evaluation``.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kotacerdas.core.errors import DomainError

COMPONENTS = ("baseline", "output", "outcome", "impact", "quick_win")
# What people read for each component key (exports, PDFs, forms): never the raw key.
COMPONENT_LABELS = {
    "baseline": gettext_lazy("Kondisi awal (baseline)"),
    "output": gettext_lazy("Keluaran (output)"),
    "outcome": gettext_lazy("Hasil (outcome)"),
    "impact": gettext_lazy("Dampak (impact)"),
    "quick_win": gettext_lazy("Hasil cepat (quick win)"),
}
DEFAULT_WEIGHTS: dict[str, int] = {
    "baseline": 10,
    "output": 20,
    "outcome": 30,
    "impact": 20,
    "quick_win": 20,
}


def validate_components(components: Mapping[str, float]) -> None:
    missing = [name for name in COMPONENTS if name not in components]
    extra = sorted(set(components) - set(COMPONENTS))
    if missing:
        raise DomainError(
            _("Komponen “%(name)s” wajib diisi.") % {"name": missing[0]}, code="missing_component"
        )
    if extra:
        raise DomainError(
            _(
                "Komponen “%(name)s” tidak dikenal; gunakan baseline, output, outcome, impact, quick_win."
            )
            % {"name": extra[0]},
            code="unknown_component",
        )
    for name in COMPONENTS:
        if not 1 <= components[name] <= 5:
            raise DomainError(
                _("Nilai komponen “%(name)s” harus antara 1 dan 5.") % {"name": name},
                code="score_out_of_range",
            )


def validate_weights(weights: Mapping[str, float]) -> None:
    extra = sorted(set(weights) - set(COMPONENTS))
    if extra:
        raise DomainError(
            _(
                "Bobot “%(name)s” tidak dikenal; gunakan baseline, output, outcome, impact, quick_win."
            )
            % {"name": extra[0]},
            code="unknown_weight",
        )
    missing = [name for name in COMPONENTS if name not in weights]
    if missing:
        raise DomainError(
            _("Bobot “%(name)s” wajib diisi bila bobot diberikan.") % {"name": missing[0]},
            code="missing_weight",
        )
    for name in COMPONENTS:
        if weights[name] < 0:
            raise DomainError(
                _("Bobot “%(name)s” tidak boleh negatif.") % {"name": name}, code="negative_weight"
            )
    total = sum((Decimal(str(weights[name])) for name in COMPONENTS), Decimal(0))
    if total != 100:
        raise DomainError(
            _("Jumlah bobot harus 100, bukan %(total)s.")
            % {"total": format(total.normalize(), "f")},
            code="weights_not_100",
        )


def weighted_index(
    components: Mapping[str, float], weights: Mapping[str, float] | None = None
) -> float:
    """The unrounded index ``Σ score × weight / 100``; validates ranges and weights."""
    validate_components(components)
    used = DEFAULT_WEIGHTS if weights is None else weights
    validate_weights(used)
    return sum(float(components[name]) * float(used[name]) for name in COMPONENTS) / 100


def display(index: float) -> str:
    """Two decimals, half up, as Kominfo prints it (display only; computations stay unrounded);
    for machines (the API, exports' cells). People read ``display_local``."""
    return str(Decimal(repr(index)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def display_local(index: float) -> str:
    """``display`` in the page's number format: "3,23" in Bahasa Indonesia, "3.23" in English."""
    return number_format(Decimal(display(index)), decimal_pos=2, use_l10n=True)


def rupiah(value: Decimal | int) -> str:
    """Rp 1.250.000 in Bahasa Indonesia, Rp 1,250,000 in English."""
    return "Rp " + number_format(int(value), force_grouping=True, use_l10n=True)
