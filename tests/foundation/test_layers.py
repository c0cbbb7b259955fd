"""The dependency direction between apps is enforced: `make lint` runs import-linter with the
contracts in pyproject.toml. Here: a copy of the package with one bad import fails it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import kotacerdas
from kotacerdas.accounts.models import Role
from kotacerdas.tenants import roles

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def test_the_role_names_tenants_uses_are_those_of_accounts() -> None:
    assert roles.REGION_ADMIN == Role.REGION_ADMIN
    assert roles.SUPERADMIN == Role.SUPERADMIN


def _lint(tmp_path: Path, bad_import: tuple[str, str] | None) -> subprocess.CompletedProcess[str]:
    package = Path(kotacerdas.__file__).parent
    copy = tmp_path / "src" / "kotacerdas"

    def only_python(directory: str, names: list[str]) -> set[str]:
        return {
            name
            for name in names
            if (not name.endswith(".py") and not (Path(directory) / name).is_dir())
            or name in {"var", "static", "templates", "locale", "data", "fonts", "__pycache__"}
        }

    shutil.copytree(package, copy, ignore=only_python)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    if bad_import:
        module, line = bad_import
        path = copy / module
        path.write_text(path.read_text() + f"\n{line}\n")
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(tmp_path / "src")},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_the_tree_keeps_its_contracts(tmp_path: Path) -> None:
    done = _lint(tmp_path, None)
    assert done.returncode == 0, done.stdout


@pytest.mark.parametrize(
    ("module", "line", "message"),
    [
        (
            "core/errors.py",
            "from kotacerdas.tenants import models as _tenants",
            "kotacerdas.core is not allowed to import kotacerdas.tenants",
        ),
        (
            "tenants/calendar.py",
            "from kotacerdas.accounts import models as _accounts",
            "kotacerdas.tenants is not allowed to import kotacerdas.accounts",
        ),
        (
            "planning/views/dashboard.py",
            "from kotacerdas.spbe import models as _spbe",
            "kotacerdas.planning is not allowed to import kotacerdas.spbe",
        ),
    ],
)
def test_an_import_against_the_layers_breaks_the_lint(
    tmp_path: Path, module: str, line: str, message: str
) -> None:
    done = _lint(tmp_path, (module, line))
    assert done.returncode != 0
    assert message in done.stdout
