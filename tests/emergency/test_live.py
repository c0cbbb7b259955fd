"""Live streams of the board hold no database connection between events (issue #10.2)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.conf import settings
from django.db import connection
from django.test import Client

from kotacerdas.accounts.models import User
from kotacerdas.complaints import demo as complaints_demo
from kotacerdas.emergency import demo, live, services
from kotacerdas.emergency.models import DeskEvent, Incident
from kotacerdas.emergency.views import _still_allowed, event_stream
from kotacerdas.tenants.models import Tenant
from tests.conftest import DEMO_PASSWORD, account
from tests.emergency.conftest import agency, fire_data

STREAMS = 200
POOL_SIZE = 4
APP_NAME = "kc_live_test_server"


def session_key_of(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_a_stream_is_allowed_only_while_its_session_and_user_are_valid(
    kota: Tenant, dispatcher: User, ani: User
) -> None:
    client = Client()
    client.force_login(dispatcher)
    key = session_key_of(client)
    assert _still_allowed(key, dispatcher.pk, kota.pk)
    assert not _still_allowed(key, ani.pk, kota.pk)  # another user's id
    dispatcher.is_active = False
    dispatcher.save(update_fields=["is_active"])
    assert not _still_allowed(key, dispatcher.pk, kota.pk)
    dispatcher.is_active = True
    dispatcher.save(update_fields=["is_active"])
    assert _still_allowed(key, dispatcher.pk, kota.pk)
    client.logout()
    assert not _still_allowed(key, dispatcher.pk, kota.pk)


def test_leaders_may_watch_the_stream(kota: Tenant) -> None:
    leader = account("pimpinan-kota")
    client = Client()
    client.force_login(leader)
    assert _still_allowed(session_key_of(client), leader.pk, kota.pk)


def test_a_stream_ends_when_its_user_is_no_longer_allowed(kota: Tenant, fire: Incident) -> None:
    answers = iter([True, False])

    async def still_allowed() -> bool:
        return next(answers)

    async def run() -> list[str]:
        stream = event_stream(kota.pk, 0, still_allowed=still_allowed, check_every=0.01)
        return [chunk async for chunk in stream]

    chunks = async_to_sync(run)()  # ends by itself: no max_seconds
    assert chunks[0] == "retry: 1000\n\n"
    assert any('"kind": "incident_created"' in c for c in chunks)


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite poll")
def test_on_sqlite_one_poll_feeds_every_stream(
    kota: Tenant, fire: Incident, dispatcher: User
) -> None:
    last_event = fire.events.order_by("-pk").first()
    assert last_event is not None
    start = last_event.pk
    damkar = agency(kota, "damkar")

    async def run() -> list[list[str]]:
        async def one() -> list[str]:
            chunks = []
            async for chunk in event_stream(kota.pk, start, max_seconds=30):
                chunks.append(chunk)
                if '"kind": "step"' in chunk:
                    break
            return chunks

        tasks = [asyncio.create_task(one()) for _ in range(3)]
        await asyncio.sleep(0)  # let the streams subscribe before the dispatch
        await sync_to_async(services.incident_dispatch)(
            incident=fire, actor=dispatcher, assignments=[(damkar, None)]
        )
        return await asyncio.gather(*tasks)

    for chunks in async_to_sync(run)():
        kinds = [json.loads(c.split("data: ", 1)[1])["kind"] for c in chunks if "data: " in c]
        assert kinds == ["dispatched", "step"]


# --- 200 streams against one uvicorn worker (PostgreSQL: LISTEN/NOTIFY) --------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(serang_after_flush: None, tmp_path: Path) -> Iterator[str]:
    """One uvicorn worker on the test database, with a pool of only four connections."""
    db = connection.settings_dict
    url = (
        f"postgresql://{quote(db['USER'] or 'postgres')}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}?application_name={APP_NAME}"
    )
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DB_POOL_MIN_SIZE": "1",
        "DB_POOL_MAX_SIZE": str(POOL_SIZE),
        "KOTACERDAS_VAR_DIR": str(tmp_path),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log_path = tmp_path / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
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
                "1",
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("server did not start:\n" + log_path.read_text())
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def _server_connections() -> int:
    """Connections the server holds on the database (it names them ``APP_NAME``)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", [APP_NAME]
            )
            return int(cursor.fetchone()[0])
    finally:
        connection.close()


def _log_a_fire(tenant: Tenant) -> int:
    """A committed call with an incident, from another thread (as another process would)."""
    try:
        result = services.call_log(
            tenant=tenant,
            taker=account("calltaker-kota"),
            caller_number="081277770000",
            call_type="normal",
            incident=fire_data(tenant),
        )
        assert result.incident is not None
        return int(result.incident.events.get().pk)
    finally:
        connection.close()


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="LISTEN/NOTIFY needs PostgreSQL")
def test_200_open_streams_leave_the_platform_answering_and_all_get_events(server: str) -> None:
    complaints_demo.load_categories()
    demo.load_demo(password=DEMO_PASSWORD)
    kota = Tenant.objects.get(region_id="36.73")
    browser = Client()
    browser.force_login(account("dispatcher-kota"))
    cookies = {settings.SESSION_COOKIE_NAME: session_key_of(browser)}
    stream_url = f"{server}/{kota.slug}/112/papan/stream/"

    async def scenario() -> tuple[list[list[str]], int, int, int]:
        limits = httpx.Limits(max_connections=STREAMS + 10, max_keepalive_connections=0)
        timeout = httpx.Timeout(60.0)
        async with (
            httpx.AsyncClient(cookies=cookies, limits=limits, timeout=timeout) as streams,
            httpx.AsyncClient(timeout=timeout) as other,
            contextlib.AsyncExitStack() as stack,
        ):

            async def open_one() -> AsyncIterator[str]:
                response = await stack.enter_async_context(streams.stream("GET", stream_url))
                assert response.status_code == 200
                texts = response.aiter_text()
                assert (await anext(texts)).startswith("retry: 1000")
                return texts

            opened = await asyncio.gather(*(open_one() for _ in range(STREAMS)))
            # every stream is open and waiting: the rest of the platform still answers
            health = await other.get(f"{server}/healthz")
            complaint = await other.post(
                f"{server}/api/v1/complaints/",
                json={
                    "tenant": "36.73",
                    "category": "pju",
                    "description": "Lampu jalan mati sejak kemarin",
                    "lat": -6.12,
                    "long": 106.15,
                    "region": "36.73.01.1002",
                    "attributes": {"jumlah_lampu": ["1"]},
                },
            )
            held = await asyncio.to_thread(_server_connections)
            incident_event = await asyncio.to_thread(_log_a_fire, kota)

            async def until_incident(texts: AsyncIterator[str]) -> list[str]:
                seen: list[str] = []
                buffer = ""
                async for text in texts:
                    buffer += text
                    while "\n\n" in buffer:
                        message, buffer = buffer.split("\n\n", 1)
                        if "event: desk" in message:
                            seen.append(message)
                        if f'"id": {incident_event},' in message:
                            return seen
                return seen

            received = await asyncio.gather(*(until_incident(t) for t in opened))
            assert complaint.status_code == 201, complaint.text
            return received, health.status_code, complaint.status_code, held

    received, health, complaint, held = asyncio.run(scenario())
    assert health == 200
    assert complaint == 201
    # the pool's connections and the one listening connection, not one per stream
    assert 1 <= held <= POOL_SIZE + 1
    assert len(received) == STREAMS
    for messages in received:
        kinds = [json.loads(m.split("data: ", 1)[1])["kind"] for m in messages]
        assert kinds == ["call", "incident_created"]


def test_payload_carries_no_caller_data(kota: Tenant, fire: Incident) -> None:
    payload = live.event_payload(fire.events.get())
    assert set(payload) == {"id", "tenant", "kind", "incident", "action", "state"}
    assert "0812" not in json.dumps(payload)


def _kill_listener() -> int:
    """Terminate the hub's listening connection, as a database restart would."""
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND query LIKE 'LISTEN %%'"
            )
            return len(cursor.fetchall())
    finally:
        connection.close()


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="LISTEN/NOTIFY needs PostgreSQL")
def test_a_lost_listener_reconnects_and_streams_catch_up(serang_after_flush: None) -> None:
    demo.load_demo(password=DEMO_PASSWORD)
    kota = Tenant.objects.get(region_id="36.73")
    start = DeskEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    connection.close()

    async def run() -> list[str]:
        kinds: list[str] = []

        async def collect() -> None:
            stream = event_stream(kota.pk, start, max_seconds=60)
            async for chunk in stream:
                if "data: " in chunk:
                    kinds.append(json.loads(chunk.split("data: ", 1)[1])["kind"])
                    if kinds[-1] == "incident_created":
                        break
            await stream.aclose()

        task = asyncio.create_task(collect())
        await asyncio.sleep(0.5)  # the stream is subscribed and the listener is up
        assert await asyncio.to_thread(_kill_listener) == 1
        await asyncio.to_thread(_log_a_fire, kota)  # committed while the listener is down
        await asyncio.wait_for(task, 60)
        return kinds

    assert asyncio.run(run()) == ["call", "incident_created"]
