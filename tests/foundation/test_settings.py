"""Production mode refuses unsafe settings at start-up."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest

SAFE = {
    "KOTACERDAS_ENV": "production",
    "SECRET_KEY": "x" * 50,
    "DEBUG": "false",
    "ALLOWED_HOSTS": "kotacerdas.serangkota.go.id",
}


def _start(**overrides: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **SAFE, **overrides}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-m", "kotacerdas.cli", "check", "--deploy", "--fail-level", "CRITICAL"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_safe_production_settings_start() -> None:
    assert _start().returncode == 0


@pytest.mark.parametrize(
    ("override", "complaint"),
    [
        ({"SECRET_KEY": "dev-only-insecure-key-change-me"}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"DEBUG": "true"}, "DEBUG"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_unsafe_values(override: Any, complaint: Any) -> None:
    result = _start(**override)
    assert result.returncode != 0
    assert "Unsafe production settings" in result.stderr and complaint in result.stderr
