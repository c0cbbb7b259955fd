"""Data-driven texts in two languages: a model keeps the Indonesian original in ``<field>`` and
its English form in ``<field>_en`` (empty: none yet), and pages show ``localized``."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy as _

ENGLISH_HELP = _("Terjemahan bahasa Inggris; kosong: teks bahasa Indonesia yang dipakai.")


def localized(obj: object, field: str) -> str:
    """The English form of a data-driven text when the page is in English and one is filled in;
    otherwise the Indonesian original (data is written in Bahasa Indonesia first)."""
    if (translation.get_language() or "").startswith("en"):
        english = str(getattr(obj, f"{field}_en", "") or "")
        if english:
            return english
    return str(getattr(obj, field))


class LocalizedNameAndDescription:
    """For a model with ``name``/``name_en`` and ``description``/``description_en``: both in the
    page's language. Properties only (no fields, so no migration)."""

    @property
    def local_name(self) -> str:
        return localized(self, "name")

    @property
    def local_description(self) -> str:
        return localized(self, "description")
