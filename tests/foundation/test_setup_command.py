"""`kotacerdas setup` on a fresh database, as a newcomer runs it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from kotacerdas.accounts.models import User
from kotacerdas.tenants.models import Tenant


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


def test_setup_demo_on_a_fresh_database_loads_the_country_and_a_second_run_changes_nothing(
    tmp_path: Path,
) -> None:
    """The suite's one run of the whole ``setup`` (migrations, every region, the demo) on a
    fresh database; the servers of the browser and production tests start from a copy of the
    migrated test database instead."""
    database = tmp_path / "fresh.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "KOTACERDAS_VAR_DIR": str(tmp_path),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)

    first = _run(env, "--demo")
    assert "Wilayah: 91592 baru, 0 diperbarui, 0 tetap." in first
    after_first = _counts(database)
    assert after_first["regions_region"] == 91592
    with sqlite3.connect(database) as db:
        levels = dict(db.execute("select level, count(*) from regions_region group by level"))
    assert (levels[1], levels[2]) == (38, 514), "the whole country: provinces, kabupaten/kota"
    assert after_first["tenants_tenant"] == 2
    assert after_first["accounts_user"] > 0

    second = _run(env, "--demo")
    assert "Wilayah: 0 baru, 0 diperbarui, 91592 tetap." in second
    assert _counts(database) == after_first


@pytest.mark.django_db
def test_setup_without_demo_creates_no_tenant_or_account_and_loads_only_the_given_regions() -> None:
    users, tenants = User.objects.count(), Tenant.objects.count()
    out = StringIO()

    call_command("setup", regions="36.73.06", stdout=out)

    # Kecamatan Taktakan, its 13 kelurahan and its two ancestors (Banten, Kota Serang).
    assert "Wilayah: 0 baru, 0 diperbarui, 16 tetap." in out.getvalue()
    assert "Data demo" not in out.getvalue()
    assert (User.objects.count(), Tenant.objects.count()) == (users, tenants)


@pytest.mark.django_db
@pytest.mark.parametrize("regions", ["3", "36.7", "36,x", "36.73.06.100"])
def test_setup_refuses_a_malformed_region_code(regions: str) -> None:
    with pytest.raises(CommandError, match="Kode wilayah tidak sah"):
        call_command("setup", regions=regions, stdout=StringIO())
