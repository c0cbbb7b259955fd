"""The audit trail's move onto the lifecycle kit keeps every existing event (migration 0004),
run for real on a fresh database: migrate to 0003, write events the old way, migrate on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

BEFORE = ("complaints", "0003_supporters_idempotency_client_disposition_resolution")
AFTER = ("complaints", "0004_event_on_lifecycle_kit")

SEED = f"""
import datetime as dt
from django.db import connection
from django.db.migrations.loader import MigrationLoader
apps = MigrationLoader(connection).project_state({BEFORE!r}).apps
Region = apps.get_model("regions", "Region")
Tenant = apps.get_model("tenants", "Tenant")
Opd = apps.get_model("tenants", "Opd")
Category = apps.get_model("complaints", "Category")
Complaint = apps.get_model("complaints", "Complaint")
Event = apps.get_model("complaints", "Event")
now = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)
tenants = []
for code, slug in (("36.73", "kota-serang"), ("36.04", "kab-serang")):
    region = Region.objects.create(code=code, name=slug, level=2)
    tenant = Tenant.objects.create(
        region=region, name=slug, short_name=slug, slug=slug, jurisdiction_id=slug + ".go.id"
    )
    opd = Opd.objects.create(tenant=tenant, name="Dinas Perhubungan", acronym="Dishub")
    category = Category.objects.create(tenant=tenant, code="pju", name="PJU", group="Jalan", opd=opd)
    complaint = Complaint.objects.create(
        tenant=tenant, ticket=slug + "-1", category=category, description="Lampu mati",
        verify_due=now, created_at=now, updated_at=now,
    )
    Event.objects.create(complaint=complaint, action="submit", to_status="baru",
                         note="Diterima melalui Situs web.", created_at=now)
    Event.objects.create(complaint=complaint, action="dispose", from_status="baru",
                         to_status="didisposisi", opd=opd, created_at=now)
    Event.objects.create(complaint=complaint, action="hold", from_status="baru",
                         to_status="ditunda", is_public=False, created_at=now)
"""

CHECK = """
import json
from kotacerdas.complaints.models import Event
rows = Event.objects.order_by("pk").values_list(
    "complaint__ticket", "tenant__slug", "action", "from_state", "to_state", "public", "opd__acronym", "data"
)
print(json.dumps([list(r) for r in rows]))
"""


def _run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "kotacerdas.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_existing_events_survive_the_move_to_the_lifecycle_kit(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'migrate.sqlite3'}",
        "KOTACERDAS_VAR_DIR": str(tmp_path),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    _run(env, "migrate", *BEFORE, "-v", "0")
    _run(env, "shell", "--no-imports", "-c", SEED)
    _run(env, "migrate", *AFTER, "-v", "0")
    rows = json.loads(_run(env, "shell", "--no-imports", "-c", CHECK).strip().splitlines()[-1])
    assert rows == [
        [ticket, slug, *rest]
        for slug in ("kota-serang", "kab-serang")
        for ticket in [f"{slug}-1"]
        for rest in (
            ["submit", "", "baru", True, None, {}],
            ["dispose", "baru", "didisposisi", True, "Dishub", {}],
            ["hold", "baru", "ditunda", False, None, {}],
        )
    ]
