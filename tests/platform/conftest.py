"""The production server: ``collectstatic`` and ``setup --demo`` under the production settings
(``KOTACERDAS_ENV=production``, DEBUG off, manifest static storage), then the README's uvicorn
command (several workers, uvloop, httptools, access log on) writing to a log file that the
redaction test reads after the others have used the server.

Its database is a copy of the run's migrated template with the test regions, so ``setup``
migrates nothing and loads only those regions; ``tests/foundation/test_setup_command.py`` runs
the whole ``setup`` on a fresh database of the suite's engine."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests import template_db
from tests.browser.conftest import SETUP_DEMO
from tests.conftest import DEMO_PASSWORD

CLI = [sys.executable, "-m", "kotacerdas.cli"]
WORKERS = 2


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # One production server per run: keep its tests on one xdist worker.
    for item in items:
        if item.get_closest_marker("production"):
            item.add_marker(pytest.mark.xdist_group("production"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class ProductionServer:
    url: str
    env: dict[str, str]
    log: Path
    static_root: Path
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [*CLI, *args], env=self.env, capture_output=True, text=True, check=True, timeout=600
        )
        return done.stdout

    def worker_pids(self) -> list[int]:
        assert self.process is not None
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30, follow_redirects=False)

    def login(self, client: httpx.Client, username: str) -> None:
        client.get("/akun/masuk/")
        response = client.post(
            "/akun/masuk/",
            data={
                "username": username,
                "password": DEMO_PASSWORD,
                "csrfmiddlewaretoken": client.cookies["csrftoken"],
            },
            headers={"Referer": f"{self.url}/akun/masuk/"},
        )
        assert response.status_code == 302, response.text[:500]


def server_command(port: int) -> list[str]:
    """The README's production command (on a free port)."""
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "kotacerdas.asgi:application",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(WORKERS),
        "--loop",
        "uvloop",
        "--http",
        "httptools",
        "--proxy-headers",
        "--timeout-graceful-shutdown",
        "5",
    ]


@pytest.fixture(scope="session")
def production(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    django_db_setup: None,  # the run's template database exists
) -> Iterator[ProductionServer]:
    tmp = tmp_path_factory.mktemp("production")
    database_url, drop_database = template_db.server_database(
        template_db.shared_dir(tmp_path_factory, request.config), tmp
    )
    port = free_port()
    env = {
        **os.environ,
        "KOTACERDAS_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "KOTACERDAS_VAR_DIR": str(tmp),
        "EMAIL_URL": f"filemail:///{tmp / 'mail'}",
        "MAP_TILE_URL": "",
        # The test speaks plain HTTP to the server; a real deployment keeps secure cookies.
        "SECURE_COOKIES": "false",
        "MAX_REQUEST_BODY_MB": "16",
    }
    for name in ("DEBUG", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    live = ProductionServer(
        url=f"http://127.0.0.1:{port}", env=env, log=tmp / "server.log", static_root=tmp / "static"
    )
    try:
        live.manage("collectstatic", "--noinput", "-v", "0")
        live.manage(*SETUP_DEMO)
        with live.log.open("wb") as log:
            live.process = subprocess.Popen(
                server_command(port), env=env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{live.url}/healthz", timeout=2).status_code in (200, 503):
                    break
            except httpx.TransportError:
                pass
            if live.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("server did not start:\n" + live.log.read_text())
            time.sleep(0.2)
        while len(live.worker_pids()) < WORKERS and time.monotonic() < deadline:
            time.sleep(0.2)
        yield live
    finally:
        if live.process is not None:
            live.process.terminate()
            live.process.wait(timeout=20)
        drop_database()
