"""Indonesian is the source language; every app's English catalogue must be complete."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import kotacerdas

pytestmark = pytest.mark.once  # reads no database (tests/conftest.py)

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


def _msgids(catalogue: Path) -> set[str]:
    text = catalogue.read_text(encoding="utf-8")
    return {_text(i) for i, _s in ENTRY.findall(text)} - {""}


def test_every_catalogue_holds_every_string_of_its_app(tmp_path: Path) -> None:
    """``makemessages`` on a copy of each app finds no string its catalogue lacks: a string
    missing from the catalogue is shown in Indonesian on English pages, and neither the
    completeness test above nor the English crawler could see it."""
    package = Path(kotacerdas.__file__).resolve().parent
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    missing: dict[str, list[str]] = {}
    for catalogue in CATALOGUES:
        app = catalogue.parts[-5]
        copy = tmp_path / app
        shutil.copytree(package / app, copy, ignore=shutil.ignore_patterns("*.mo", "__pycache__"))
        subprocess.run(
            # -P: the copy (cwd) must not shadow the standard library (core/logging.py)
            [sys.executable, "-P", "-m", "kotacerdas.cli", "makemessages", "-l", "en", "-v", "0"],
            cwd=copy,
            env=env,
            check=True,
            timeout=120,
        )
        extracted = _msgids(copy / "locale/en/LC_MESSAGES/django.po")
        if lacking := sorted(extracted - _msgids(catalogue)):
            missing[app] = lacking
    assert missing == {}, "run `kotacerdas makemessages -l en` in the app and translate: " + repr(
        missing
    )
