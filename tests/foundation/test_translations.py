"""Indonesian is the source language; every app's English catalogue must be complete."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import kotacerdas

CATALOGUES = sorted(Path(kotacerdas.__file__).parent.glob("*/locale/en/LC_MESSAGES/django.po"))
ENTRY = re.compile(r'^msgid "(.*)"\nmsgstr "(.*)"', re.MULTILINE)


def test_every_app_with_strings_has_an_english_catalogue():
    assert {p.parts[-5] for p in CATALOGUES} >= {"core", "accounts", "tenants", "regions"}


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda p: p.parts[-5])
def test_catalogue_has_no_missing_or_fuzzy_translation(catalogue):
    text = catalogue.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text
    missing = [msgid for msgid, msgstr in ENTRY.findall(text) if msgid and not msgstr]
    assert missing == []
