from __future__ import annotations

from decimal import Decimal

from django import template

from kotacerdas.planning.scoring import display_local
from kotacerdas.planning.scoring import rupiah as rupiah_text

register = template.Library()


@register.filter
def index(value: float | None) -> str:
    """An evaluation index as Kominfo prints it: two decimals, half up, in the page's format."""
    return "—" if value is None else display_local(value)


@register.filter
def rupiah(value: Decimal | int | None) -> str:
    """Rp 1.250.000 (in the page's number format)."""
    return "—" if value is None else rupiah_text(value)


@register.filter
def get(mapping: dict[object, object], key: object) -> object:
    return mapping.get(key)


@register.filter
def change(value: float | None) -> str:
    """A year-on-year change of the index: +0,60 / -0,25 (in the page's number format)."""
    if value is None:
        return ""
    return ("-" if value < 0 else "+") + display_local(abs(value))
