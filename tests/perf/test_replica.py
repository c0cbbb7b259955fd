"""The read replica against a REAL streaming standby: a throwaway primary cluster and a
standby made from it with ``pg_basebackup -R``, both on free ports under /tmp.

Reads of a read-only request are served by the standby (``pg_is_in_recovery()`` on the
connection that ran them), writes and the reads after a write by the primary, and reads fall
back to the primary when the standby is stopped.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.db import connections, transaction
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django import DjangoDbBlocker

from kotacerdas.core import replica as replica_module
from kotacerdas.core.replica import STICKY_COOKIE, ReadYourWrites, ReplicaRouter

pytestmark = [pytest.mark.postgres, pytest.mark.xdist_group("perf-replica")]

PRIMARY, REPLICA = "rr_primary", "rr_replica"


def _bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_basebackup"))
    if found:
        return Path(found[-1]).parent
    tool = shutil.which("pg_basebackup")
    return Path(tool).parent if tool and shutil.which("initdb") else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Clusters:
    def __init__(self, bin_dir: Path, root: Path) -> None:
        self.bin, self.root = bin_dir, root
        self.run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.primary_dir, self.standby_dir = root / "primary", root / "standby"
        self.primary_port, self.standby_port = _free_port(), _free_port()
        self.started: list[Path] = []

    def run(self, *args: str) -> None:
        subprocess.run([*self.run_as, *args], check=True, capture_output=True, timeout=60)

    def start(self, data: Path, port: int) -> None:
        opts = f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off"
        if data not in self.started:
            self.started.append(data)  # before starting: cleaned up even if the start fails
        # A log file: otherwise the server holds our output pipe open and run() never returns.
        log = str(self.root / f"{data.name}.log")
        self.run(str(self.bin / "pg_ctl"), "-D", str(data), "-l", log, "-o", opts, "-w", "start")

    def stop(self, data: Path) -> None:
        self.run(str(self.bin / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        if data in self.started:
            self.started.remove(data)

    def up(self) -> None:
        if self.run_as:
            shutil.chown(self.root, "postgres")
        self.run(str(self.bin / "initdb"), "-D", str(self.primary_dir), "-U", "postgres",
                 "-A", "trust")  # fmt: skip
        self.start(self.primary_dir, self.primary_port)
        self.run(str(self.bin / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(self.primary_port),
                 "-U", "postgres", "-D", str(self.standby_dir), "-R", "-X", "stream")  # fmt: skip
        self.start(self.standby_dir, self.standby_port)

    def down(self) -> None:
        for data in list(self.started):
            with contextlib.suppress(subprocess.SubprocessError, OSError):
                self.stop(data)


def _db(port: int) -> dict[str, Any]:
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "postgres",
        "USER": "postgres",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "OPTIONS": {"connect_timeout": 2},
        "CONN_HEALTH_CHECKS": True,
    }


class Router(ReplicaRouter):
    primary, replica = PRIMARY, REPLICA


@pytest.fixture(scope="module")
def clusters(django_db_blocker: DjangoDbBlocker) -> Iterator[Clusters]:
    bin_dir = _bin_dir()
    if bin_dir is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) are not installed")
    root = Path(tempfile.mkdtemp(prefix="kotacerdas-replica-", dir="/tmp"))
    c = Clusters(bin_dir, root)
    added = []
    try:
        c.up()
        for alias, port in ((PRIMARY, c.primary_port), (REPLICA, c.standby_port)):
            configured = connections.configure_settings(
                {"default": dict(connections.settings["default"]), alias: _db(port)}
            )
            connections.settings[alias] = configured[alias]
            added.append(alias)
        with django_db_blocker.unblock(), override_settings(DATABASE_ROUTERS=[Router()]):
            with connections[PRIMARY].schema_editor() as editor:
                editor.create_model(Session)
            _wait_for_standby()
            yield c
    finally:
        for alias in added:
            try:
                connections[alias].close()
            finally:
                del connections[alias]
                del connections.settings[alias]
        replica_module.mark_replica_up(REPLICA)
        c.down()
        shutil.rmtree(root, ignore_errors=True)


def _wait_for_standby() -> None:
    """Until the standby has replayed everything the primary has written so far."""
    with connections[PRIMARY].cursor() as cur:
        cur.execute("SELECT pg_current_wal_lsn()")
        lsn = cur.fetchone()[0]
    for _ in range(200):
        with connections[REPLICA].cursor() as cur:
            cur.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
            if cur.fetchone()[0]:
                return
        time.sleep(0.05)
    raise AssertionError("the standby did not catch up within 10 s")


def _served_by(alias: str) -> tuple[bool, int]:
    with connections[alias].cursor() as cur:
        cur.execute("SELECT pg_is_in_recovery(), inet_server_port()")
        row: tuple[bool, int] = cur.fetchone()
        return row


def _view(request: HttpRequest) -> HttpResponse:
    """Reads the session rows through the ORM (the router picks the database), writes one on
    unsafe methods, and says which server answered the read."""
    if request.method == "POST":
        Session.objects.create(
            session_key=request.POST["key"], session_data="x", expire_date=timezone.now()
        )
    qs = Session.objects.order_by("session_key")
    keys = ",".join(qs.values_list("session_key", flat=True))
    in_recovery, port = _served_by(qs.db)
    return HttpResponse(f"{qs.db}|{in_recovery}|{port}|{keys}")


def _call(request: HttpRequest) -> tuple[HttpResponse, list[str]]:
    response = ReadYourWrites(_view)(request)
    body = response.content.decode().split("|")
    for alias in (PRIMARY, REPLICA):
        connections[alias].close()  # as at the end of a real request
    return response, body


def test_reads_from_the_standby_writes_to_the_primary_and_falls_back(
    clusters: Clusters, django_db_blocker: DjangoDbBlocker
) -> None:
    rf = RequestFactory()
    with django_db_blocker.unblock(), override_settings(DATABASE_ROUTERS=[Router()]):
        # A write: served by the primary, and the client gets the sticky cookie.
        with CaptureQueriesContext(connections[PRIMARY]) as on_primary:
            response, body = _call(rf.post("/", {"key": "a-written-one"}))
        assert body[:3] == [PRIMARY, "False", str(clusters.primary_port)]
        assert any("INSERT" in q["sql"] for q in on_primary.captured_queries)
        assert STICKY_COOKIE in response.cookies
        assert response.cookies[STICKY_COOKIE]["max-age"] == 5

        # The same client's next read stays on the primary (read-your-writes) ...
        sticky = rf.get("/")
        sticky.COOKIES[STICKY_COOKIE] = "1"
        _, body = _call(sticky)
        assert body == [PRIMARY, "False", str(clusters.primary_port), "a-written-one"]

        # ... and a reader without the cookie reads from the standby, which streamed the row.
        _wait_for_standby()
        with CaptureQueriesContext(connections[REPLICA]) as on_replica:
            response, body = _call(rf.get("/"))
        assert body == [REPLICA, "True", str(clusters.standby_port), "a-written-one"]
        assert any("django_session" in q["sql"] for q in on_replica.captured_queries)
        assert STICKY_COOKIE not in response.cookies

        # Outside a request (commands, workers) and inside a transaction: the primary.
        assert Session.objects.all().db == PRIMARY
        token = replica_module._replica_allowed.set(True)
        try:
            with transaction.atomic(using=PRIMARY):
                assert Session.objects.all().db == PRIMARY
            assert Session.objects.select_for_update().db == PRIMARY
        finally:
            replica_module._replica_allowed.reset(token)

        # The standby stops: reads fall back to the primary and still answer.
        clusters.stop(clusters.standby_dir)
        _, body = _call(rf.get("/"))
        assert body == [PRIMARY, "False", str(clusters.primary_port), "a-written-one"]
        # ... without trying the dead standby on every request.
        _, body = _call(rf.get("/"))
        assert body[0] == PRIMARY

        # Back up: once the retry interval has passed (cleared here) the standby serves reads again.
        clusters.start(clusters.standby_dir, clusters.standby_port)
        replica_module.mark_replica_up(REPLICA)
        _, body = _call(rf.get("/"))
        assert body[:3] == [REPLICA, "True", str(clusters.standby_port)]
