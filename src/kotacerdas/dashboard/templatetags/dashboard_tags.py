from __future__ import annotations

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.formats import number_format

register = template.Library()

DECIMALS = {"%": 1, "indeks": 2, "skor": 2, "jam": 1, "hari": 1, "menit": 1}


def format_value(value: float | None, unit: str) -> str:
    """A KPI value for people: counts whole, shares and durations with one decimal."""
    if value is None:
        return "—"
    places = DECIMALS.get(unit, 0)
    if places == 0:
        return str(intcomma(round(value)))
    return number_format(value, places, use_l10n=True, force_grouping=True)


@register.filter
def kpi_value(value: float | None, unit: str) -> str:
    return format_value(value, unit)


@register.filter
def kpi_change(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    return sign + format_value(abs(value), unit)


@register.filter
def get_item(mapping: dict[str, float | None], key: str) -> float | None:
    return mapping.get(key)
