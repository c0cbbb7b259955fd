"""Browser tests: headless Debian Chromium driven by Playwright against a real uvicorn server.

The server runs the production ASGI application on its own database (SQLite file, or a
separate PostgreSQL database when the suite runs on PostgreSQL): a copy of the run's migrated
template with the test regions, prepared with ``kotacerdas setup --demo --regions …``. Tests
talk to it only through the browser or HTTP.
"""

from __future__ import annotations

import email
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, Playwright, ViewportSize, sync_playwright

from tests import template_db
from tests.conftest import DEMO_PASSWORD, TEST_REGIONS

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CLI = [sys.executable, "-m", "kotacerdas.cli"]
# What `setup --demo` adds to a copy of the run's template database (migrated, with the test
# regions and tenants): the demo accounts and every app's demo data.
SETUP_DEMO = [
    "setup",
    "--demo",
    "--demo-password",
    DEMO_PASSWORD,
    "--regions",
    ",".join(TEST_REGIONS),
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # One server and one browser per run: keep every browser test on the same xdist worker.
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.xdist_group("browser"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveServer:
    url: str
    env: dict[str, str]
    mail_dir: Path
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def manage(self, *args: str) -> str:
        """Runs a ``kotacerdas`` command against the server's database; returns its output."""
        done = subprocess.run(
            [*CLI, *args], env=self.env, capture_output=True, text=True, check=True, timeout=300
        )
        return done.stdout

    def sent_mail(self) -> list[Message]:
        messages: list[Message] = []
        for path in sorted(self.mail_dir.glob("*.log")):
            chunks = path.read_text(encoding="utf-8").split("\n" + "-" * 79 + "\n")
            messages.extend(email.message_from_string(c.strip()) for c in chunks if c.strip())
        return messages


@pytest.fixture(scope="session")
def server(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    django_db_setup: None,  # the run's template database exists
) -> Iterator[LiveServer]:
    tmp = tmp_path_factory.mktemp("server")
    mail_dir = tmp / "mail"
    mail_dir.mkdir()
    database_url, drop_database = template_db.server_database(
        template_db.shared_dir(tmp_path_factory, request.config), tmp
    )
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "KOTACERDAS_VAR_DIR": str(tmp),
        "DEBUG": "false",
        "EMAIL_URL": f"filemail:///{mail_dir}",
        "MAP_TILE_URL": "",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Every browser test signs in from 127.0.0.1; the per-address limit is not under test here.
        "LOGIN_RATE_PER_IP": "1000/m",
        # The command centre's wall: short cache and polling, so a test sees it update.
        "DASHBOARD_LIVE_SECONDS": "2",
        "DASHBOARD_WALL_POLL_SECONDS": "2",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    live = LiveServer(url=f"http://127.0.0.1:{port}", env=env, mail_dir=mail_dir)
    try:
        live.manage(*SETUP_DEMO)
        with (tmp / "server.log").open("wb") as log:
            live.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "kotacerdas.asgi:application",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--no-access-log",
                    "--timeout-graceful-shutdown",
                    "2",
                ],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{live.url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if live.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("server did not start:\n" + (tmp / "server.log").read_text())
            time.sleep(0.2)
        yield live
    finally:
        if live.process is not None:
            live.process.terminate()
            live.process.wait(timeout=20)
        drop_database()


# Module scope, not session: Playwright's sync API keeps an event loop registered on this
# thread while it runs, and Django's ORM refuses to run under one; stopping Playwright after
# each browser module lets database tests that the same worker runs next work normally.
@pytest.fixture(scope="module")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="module")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    )
    yield browser
    browser.close()


PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture
def new_page(browser: Browser, server: LiveServer) -> Iterator[Callable[..., Page]]:
    """Opens pages in independent browser contexts (separate cookies: separate users)."""
    contexts = []

    def open_page(viewport: ViewportSize | None = None, locale: str = "id-ID") -> Page:
        context = browser.new_context(
            viewport=viewport or PHONE,
            locale=locale,
            timezone_id="Asia/Jakarta",
            base_url=server.url,
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Page]) -> Page:
    return new_page()


@pytest.fixture
def desktop_page(new_page: Callable[..., Page]) -> Page:
    return new_page(DESKTOP)


def _login(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/akun/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    assert "/akun/masuk/" not in page.url, f"login failed for {username}"


@pytest.fixture
def login() -> Callable[..., None]:
    return _login


def _shot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def shot() -> Callable[[Page, str], Path]:
    return _shot
