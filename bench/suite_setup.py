"""The test suite's per-worker set-up (issue #12 item 7): what ``tests/conftest.py`` loads into
each worker's test database, the whole country (before) against Banten and the regions tests
name (now), interleaved on copies of one migrated SQLite database.

Run: ``.venv/bin/python bench/suite_setup.py [rounds]``; prints JSON.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHILD = """
import os, sys, time
sys.path.insert(0, {root!r})
import django
django.setup()
from tests.conftest import TEST_REGIONS, load_serang
started = time.perf_counter()
load_serang(prefix={prefix!r})
print(time.perf_counter() - started)
"""


def _run(database: Path, prefix: object) -> float:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["DJANGO_SETTINGS_MODULE"] = "kotacerdas.settings"
    code = CHILD.format(root=str(ROOT), prefix=prefix)
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return float(out.stdout.strip().splitlines()[-1])


def main(rounds: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        migrated = Path(tmp) / "migrated.sqlite3"
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{migrated}"}
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "kotacerdas.cli", "migrate", "-v", "0"], env=env, check=True
        )
        migrate_s = time.perf_counter() - started
        whole, subset = [], []
        for i in range(rounds):  # interleaved: the shared machine's load moves both alike
            for prefix, times in (("", whole), (("36", "31", "64.72", "71.71"), subset)):
                copy = Path(tmp) / f"r{i}-{len(times)}-{bool(prefix)}.sqlite3"
                shutil.copy(migrated, copy)
                times.append(_run(copy, prefix))
        print(
            json.dumps(
                {
                    "rounds": rounds,
                    "migrate_s": round(migrate_s, 1),
                    "load_whole_country_s": [round(t, 1) for t in whole],
                    "load_test_regions_s": [round(t, 1) for t in subset],
                    "median_ratio": round(statistics.median(subset) / statistics.median(whole), 3),
                    "load_average": os.getloadavg(),
                }
            )
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2)
