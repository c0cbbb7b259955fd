from __future__ import annotations

from decimal import Decimal

from django import template

from kotacerdas.planning.scoring import display

register = template.Library()


@register.filter
def index(value: float | None) -> str:
    """An evaluation index as Kominfo prints it: two decimals, half up."""
    return "—" if value is None else display(value)


@register.filter
def rupiah(value: Decimal | int | None) -> str:
    """Rp 1.250.000 (Indonesian thousands separator)."""
    if value is None:
        return "—"
    return "Rp " + f"{int(value):,}".replace(",", ".")


@register.filter
def get(mapping: dict[object, object], key: object) -> object:
    return mapping.get(key)


@register.filter
def change(value: float | None) -> str:
    """A year-on-year change of the index: +0.60 / -0.25."""
    if value is None:
        return ""
    return ("-" if value < 0 else "+") + display(abs(value))
