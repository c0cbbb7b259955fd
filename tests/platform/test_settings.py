"""Settings for production behaviour, read in a fresh interpreter with the given environment:
rate limits never count in the database, the database fails fast, production sends HSTS and
the CSP."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.once  # reads no database (tests/conftest.py)

PRODUCTION = {
    "KOTACERDAS_ENV": "production",
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "kotacerdas.serangkota.go.id",
}


def _settings(**environment: str) -> dict[str, object]:
    env = {**os.environ, **environment}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DEBUG", None)
    code = (
        "import json; from kotacerdas import settings as s; print(json.dumps({"
        "'ratelimit': s.CACHES['ratelimit']['BACKEND'], 'use': s.RATELIMIT_USE_CACHE,"
        "'db': s.DATABASES['default'].get('OPTIONS', {}), 'hsts': s.SECURE_HSTS_SECONDS,"
        "'csp': s.CONTENT_SECURITY_POLICY}, default=str))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    found: dict[str, object] = json.loads(done.stdout)
    return found


def test_rate_limits_count_in_memory_never_in_the_database_cache() -> None:
    found = _settings(CACHE_URL="dbcache://kotacerdas_cache")
    assert found["use"] == "ratelimit"
    assert found["ratelimit"] == "django.core.cache.backends.locmem.LocMemCache"


def test_rate_limits_count_in_redis_when_the_cache_is_redis() -> None:
    found = _settings(CACHE_URL="redis://127.0.0.1:6379/1")
    assert found["ratelimit"] == "django.core.cache.backends.redis.RedisCache"


def test_postgresql_connections_fail_fast() -> None:
    options = _settings(DATABASE_URL="postgresql://u@127.0.0.1:5432/x")["db"]
    assert isinstance(options, dict)
    assert options["connect_timeout"] == 3
    assert "statement_timeout=30000" in options["options"]
    assert options["pool"]["timeout"] == 5.0


def test_production_sends_hsts_and_a_strict_csp_even_when_the_variable_is_empty() -> None:
    found = _settings(**PRODUCTION, CONTENT_SECURITY_POLICY="")
    assert found["hsts"] == 365 * 24 * 3600
    assert "script-src 'self'" in str(found["csp"])
    assert _settings(KOTACERDAS_ENV="development")["csp"] == ""


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A throwaway Redis server of this test's own (``scripts/ensure-redis.sh`` installs it)."""
    server = shutil.which("redis-server") or "/usr/bin/redis-server"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _attempt in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(10)


def test_a_redis_cache_url_works_with_what_pip_install_brings(redis_url: str) -> None:
    """CACHE_URL=redis://… with only the runtime dependencies: the cache and the rate-limit
    counters really live in Redis (a production server answered 500 when the client library
    was missing)."""
    env = {**os.environ, "CACHE_URL": redis_url}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'kotacerdas.settings';"
        "django.setup(); from django.core.cache import caches;"
        "caches['default'].set('probe', 'ok', 60); caches['ratelimit'].set('hits', 1, 60);"
        "caches['ratelimit'].incr('hits'); print(caches['default'].get('probe'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
    import redis

    keys = sorted(redis.Redis.from_url(redis_url, decode_responses=True).keys("*"))
    assert keys == [":1:probe", "rl:1:hits"], keys
