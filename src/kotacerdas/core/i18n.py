"""Data-driven texts in two languages: a model keeps the Indonesian original in ``<field>`` and
its English form in ``<field>_en`` (empty: none yet), and pages show ``localized``."""

from __future__ import annotations

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

ENGLISH_HELP = _("Terjemahan bahasa Inggris; kosong: teks bahasa Indonesia yang dipakai.")


def localized(obj: models.Model, field: str) -> str:
    """The English form of a data-driven text when the page is in English and one is filled in;
    otherwise the Indonesian original (data is written in Bahasa Indonesia first)."""
    if (translation.get_language() or "").startswith("en"):
        english = str(getattr(obj, f"{field}_en", "") or "")
        if english:
            return english
    return str(getattr(obj, field))
