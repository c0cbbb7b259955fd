"""Data-driven texts in two languages: a model keeps the Indonesian original in ``<field>`` and
its English form in ``<field>_en`` (empty: none yet), and pages show ``localized``."""

from __future__ import annotations

from django.db.models import F, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, NullIf
from django.utils import translation
from django.utils.translation import gettext_lazy as _

ENGLISH_HELP = _("Terjemahan bahasa Inggris; kosong: teks bahasa Indonesia yang dipakai.")


def is_english() -> bool:
    return (translation.get_language() or "").startswith("en")


def localized(obj: object, field: str) -> str:
    """The English form of a data-driven text when the page is in English and one is filled in;
    otherwise the Indonesian original (data is written in Bahasa Indonesia first)."""
    if is_english():
        english = str(getattr(obj, f"{field}_en", "") or "")
        if english:
            return english
    return str(getattr(obj, field))


def localized_column(field: str) -> Combinable:
    """``field`` in SQL in the page's language (for grouped queries): in English its ``_en``
    column where it is filled in, else the Indonesian one; ``field`` may cross a relation
    (``category__name``)."""
    if is_english():
        return Coalesce(NullIf(F(f"{field}_en"), Value("")), F(field))
    return F(field)


class LocalizedName:
    """For a model with ``name``/``name_en``: ``local_name`` in the page's language.
    A property only (no field, so no migration)."""

    @property
    def local_name(self) -> str:
        return localized(self, "name")


class LocalizedNameAndDescription(LocalizedName):
    """For a model with ``name``/``name_en`` and ``description``/``description_en``: both in the
    page's language. Properties only (no fields, so no migration)."""

    @property
    def local_description(self) -> str:
        return localized(self, "description")
