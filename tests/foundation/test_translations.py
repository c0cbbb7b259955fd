"""Indonesian is the source language; every app's English catalogue must be complete."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

import kotacerdas

CATALOGUES = sorted(Path(kotacerdas.__file__).parent.glob("*/locale/en/LC_MESSAGES/django.po"))
# An entry: msgid and msgstr, each a quoted string possibly continued on following lines.
ENTRY = re.compile(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n?)+)', re.MULTILINE)


def _text(quoted: str) -> str:
    return "".join(re.findall(r'"(.*)"', quoted))


def test_every_app_with_strings_has_an_english_catalogue() -> None:
    assert {p.parts[-5] for p in CATALOGUES} >= {"core", "accounts", "tenants", "regions"}


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda p: p.parts[-5])
def test_catalogue_has_no_missing_or_fuzzy_translation(catalogue: Any) -> None:
    text = catalogue.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text
    missing = [_text(i) for i, s in ENTRY.findall(text) if _text(i) and not _text(s)]
    assert missing == []
