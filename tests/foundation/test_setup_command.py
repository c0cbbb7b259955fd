"""`kotacerdas setup` on a fresh database, as a newcomer runs it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path


def _run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "kotacerdas.cli", "setup", *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return done.stdout


def _counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        tables = [r[0] for r in db.execute("select name from sqlite_master where type='table'")]
        return {
            t: db.execute(f'select count(*) from "{t}"').fetchone()[0]
            for t in tables
            if t != "django_session"
        }


def test_setup_is_idempotent_and_only_demo_creates_accounts(tmp_path: Path) -> None:
    database = tmp_path / "fresh.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "KOTACERDAS_VAR_DIR": str(tmp_path),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)

    _run(env)
    plain = _counts(database)
    assert plain["regions_region"] == 91592
    with sqlite3.connect(database) as db:
        levels = dict(db.execute("select level, count(*) from regions_region group by level"))
    assert (levels[1], levels[2]) == (38, 514), "the whole country: provinces, kabupaten/kota"
    assert plain["accounts_user"] == 0

    first = _run(env, "--demo")
    assert "91592 tetap" in first
    after_first = _counts(database)
    assert after_first["tenants_tenant"] == 2
    second = _run(env, "--demo")
    assert "0 baru, 0 diperbarui" in second
    assert _counts(database) == after_first
