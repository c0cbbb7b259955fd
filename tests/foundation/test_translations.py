"""Indonesian is the source language; every app's English catalogue must be complete."""

from __future__ import annotations

import os
import re
import subprocess
import sys
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


def test_compilemessages_compiles_the_installed_catalogues_from_any_directory(
    tmp_path: Path,
) -> None:
    """The README's production step ``kotacerdas compilemessages``, run outside the package
    (Django's own command compiles only what is under the current directory)."""
    package = Path(kotacerdas.__file__).resolve().parent
    catalogues = {p.parent for p in package.glob("**/locale/*/LC_MESSAGES/django.po")}
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(
        [sys.executable, "-m", "kotacerdas.cli", "compilemessages"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    compiled = {Path(d) for d in re.findall(r"processing file django\.po in (\S+)", done.stdout)}
    up_to_date = {
        Path(p).parent for p in re.findall(r"File “(\S+)” is already compiled", done.stdout)
    }
    assert len(catalogues) > 10
    assert compiled | up_to_date >= catalogues
