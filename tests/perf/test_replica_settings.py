"""The settings wiring of DATABASE_REPLICA_URL: unset changes nothing; set, it adds the replica
alias (same pool/timeouts, tests mirror the primary), the router and the middleware."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

SNIPPET = """
import json
from django.conf import settings
import django
django.setup()
print(json.dumps({
    "aliases": sorted(settings.DATABASES),
    "routers": list(getattr(settings, "DATABASE_ROUTERS", [])),
    "middleware": settings.MIDDLEWARE[:3],
    "replica": settings.DATABASES.get("replica"),
}, default=str))
"""


def _settings(**env: str) -> dict[str, Any]:
    environ = {k: v for k, v in os.environ.items() if k != "DATABASE_REPLICA_URL"}
    environ.update(DJANGO_SETTINGS_MODULE="kotacerdas.settings", **env)
    out = subprocess.run(
        [sys.executable, "-c", SNIPPET],
        env=environ,
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    found: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return found


def test_unset_changes_nothing_and_set_adds_router_middleware_and_alias() -> None:
    primary = "postgresql://kc@primary.internal:5432/kotacerdas"
    plain = _settings(DATABASE_URL=primary)
    assert plain["aliases"] == ["default"]
    assert plain["routers"] == []
    assert "kotacerdas.core.replica.ReadYourWrites" not in plain["middleware"]

    wired = _settings(
        DATABASE_URL=primary,
        DATABASE_REPLICA_URL="postgresql://kc@replica.internal:5433/kotacerdas",
    )
    assert wired["aliases"] == ["default", "replica"]
    assert wired["routers"] == ["kotacerdas.core.replica.ReplicaRouter"]
    # Before the session middleware, so session and user reads are routed too.
    assert wired["middleware"][:3] == [
        "django.middleware.security.SecurityMiddleware",
        "kotacerdas.core.replica.ReadYourWrites",
        "kotacerdas.core.middleware.SecurityHeaders",
    ]
    replica = wired["replica"]
    assert (replica["HOST"], replica["PORT"]) == ("replica.internal", 5433)
    assert replica["OPTIONS"]["pool"]["timeout"] == 1.0
    assert "statement_timeout" in replica["OPTIONS"]["options"]
    assert replica["TEST"]["MIRROR"] == "default"
