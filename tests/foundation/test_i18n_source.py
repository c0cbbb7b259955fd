"""Nothing user-facing is fixed in one language by the code (#11.6): no text translated at
import time, no gettext under a name that makemessages cannot see, and notifications that store
a message key (the texts are code, rendered when read)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import kotacerdas
from kotacerdas.core import messages

pytestmark = pytest.mark.once  # reads no database (tests/conftest.py)

SOURCES = sorted(
    p for p in Path(kotacerdas.__file__).parent.rglob("*.py") if "migrations" not in p.parts
)
EAGER = {"gettext", "ngettext", "pgettext", "npgettext"}
# The keywords makemessages extracts (xgettext's defaults for Python plus Django's).
EXTRACTED = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}


def _translation_imports(tree: ast.Module) -> Iterator[tuple[str, str, int]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            for alias in node.names:
                yield alias.name, alias.asname or alias.name, node.lineno


def _import_time_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements run when the module is imported: the module's and its classes' bodies, and
    the decorators and defaults of functions (not the functions' bodies)."""
    for statement in body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
            yield from (ast.Expr(d) for d in statement.decorator_list)
            yield from (ast.Expr(d) for d in statement.args.defaults)
            continue
        if isinstance(statement, ast.ClassDef):
            yield from _import_time_statements(statement.body)
            continue
        yield statement


def eager_translations_at_import(source: str) -> list[int]:
    """Lines where ``source`` translates with non-lazy gettext when imported: the text would be
    fixed in the language active at start-up (Indonesian) for every later reader."""
    tree = ast.parse(source)
    eager = {name for real, name, _line in _translation_imports(tree) if real in EAGER}
    return sorted(
        node.lineno
        for statement in _import_time_statements(tree.body)
        for node in ast.walk(statement)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        if node.func.id in eager
    )


def test_the_scan_finds_an_eager_translation_at_import() -> None:
    source = (
        "from django.utils.translation import gettext as _\n"
        "LABELS = {'received': _('Laporan diterima')}\n"
        "class Event:\n    label = _('Disposisi')\n"
        "def later():\n    return _('Diterima')\n"
    )
    assert eager_translations_at_import(source) == [2, 4]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(p.parents[1])))
def test_nothing_is_translated_at_import_time(path: Path) -> None:
    assert eager_translations_at_import(path.read_text(encoding="utf-8")) == []


def test_gettext_is_imported_only_under_names_makemessages_extracts() -> None:
    hidden = [
        f"{path.relative_to(path.parents[1])}:{line}: {real} as {name}"
        for path in SOURCES
        for real, name, line in _translation_imports(ast.parse(path.read_text(encoding="utf-8")))
        if real in EXTRACTED and name not in EXTRACTED
    ]
    assert hidden == [], "a string under another name never reaches the catalogue"


@pytest.mark.parametrize(
    ("key", "params", "english"),
    [
        ("complaints.received", {"ticket": "T-1", "due": "01-12-2026"}, "Report T-1 received"),
        ("accounts.password_reset", {}, "Reset password"),
        ("wifi.point_down", {"name": "Alun-alun", "time": "x"}, "Alun-alun"),
        (
            "planning.report_overdue",
            {
                "programme": {"id": "Rabeg", "en": "Rabeg (complaints)"},
                "period": ["2026-01-01", "2026-03-31"],
                "due": "01-12-2026",
            },
            "Progress report of Rabeg (complaints) for Quarter 1 2026",
        ),
    ],
)
def test_notification_texts_render_in_both_languages(
    key: str, params: dict[str, object], english: str
) -> None:
    subject_en, body_en = messages.render(key, params, language="en")
    subject_id, body_id = messages.render(key, params, language="id")
    assert english in subject_en
    assert (subject_en, body_en) != (subject_id, body_id)


def test_every_notify_call_passes_a_message_key_not_a_sentence() -> None:
    """``notify(subject=..., body=...)`` would store a sentence in one language."""
    offenders = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "notify"):
                continue
            names = {k.arg for k in node.keywords}
            if "message" not in names or names & {"subject", "body"}:
                offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []
