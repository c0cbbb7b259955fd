"""Health checks against a real host: a network namespace with a veth pair made by the test,
an HTTP status page inside it that answers 200 or 503, and a tc qdisc that drops every packet
the host sends (netem is not in this machine's kernel; a token bucket whose burst is smaller
than any packet drops them all just as surely). The checker sends real ICMP echoes, TCP
connects and HTTP requests; nothing leaves this machine: the addresses exist only on the veth
pair the test creates and removes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from kotacerdas.tenants.models import Tenant
from kotacerdas.wifi.checks import run_round
from kotacerdas.wifi.models import Health, Hotspot
from kotacerdas.wifi.services import hotspot_create

IP = shutil.which("ip") or "/usr/sbin/ip"
TC = shutil.which("tc") or "/usr/sbin/tc"

# A status page that answers with the code written in a file (200 when the file is empty).
STATUS_PAGE = """
import http.server, pathlib, sys
status = pathlib.Path(sys.argv[2])
class Page(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(int(status.read_text() or 200))
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")
    def log_message(self, *args):
        pass
http.server.HTTPServer((sys.argv[1], 8080), Page).serve_forever()
"""


def _run(*args: str) -> None:
    subprocess.run(args, check=True, capture_output=True, timeout=20)


def _inside(ns: str, *args: str) -> list[str]:
    return [IP, "netns", "exec", ns, *args]


class Host:
    """A host at ``address`` inside namespace ``ns``, reached over a veth pair."""

    def __init__(self) -> None:
        tag = uuid.uuid4().hex[:6]
        self.ns = f"kcw{tag}"
        self.outer, self.inner = f"kcwo{tag}", f"kcwi{tag}"
        octet = int(tag[:2], 16) % 250 + 1
        self.address = f"10.231.{octet}.2"
        self.gateway = f"10.231.{octet}.1"
        self.server: subprocess.Popen[bytes] | None = None

    def create(self) -> None:
        _run(IP, "netns", "add", self.ns)
        _run(IP, "link", "add", self.outer, "type", "veth", "peer", "name", self.inner)
        _run(IP, "link", "set", self.inner, "netns", self.ns)
        _run(IP, "addr", "add", f"{self.gateway}/30", "dev", self.outer)
        _run(IP, "link", "set", self.outer, "up")
        _run(*_inside(self.ns, IP, "addr", "add", f"{self.address}/30", "dev", self.inner))
        _run(*_inside(self.ns, IP, "link", "set", self.inner, "up"))
        _run(*_inside(self.ns, IP, "link", "set", "lo", "up"))

    def serve(self, status_file: Path) -> None:
        command = _inside(
            self.ns, sys.executable, "-c", STATUS_PAGE, self.address, str(status_file)
        )
        self.server = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        probe = f"import socket; socket.create_connection(('{self.address}', 8080), 1).close()"
        for _attempt in range(100):
            done = subprocess.run(
                _inside(self.ns, sys.executable, "-c", probe),
                capture_output=True,
                check=False,
                timeout=10,
            )
            if done.returncode == 0:
                return
            time.sleep(0.1)
        raise RuntimeError("the status page in the namespace did not start")

    def drop_everything(self) -> None:
        _run(
            *_inside(self.ns, TC, "qdisc", "replace", "dev", self.inner, "root"),
            *("tbf", "rate", "8bit", "burst", "10", "limit", "10"),
        )

    def clear_qdisc(self) -> None:
        _run(*_inside(self.ns, TC, "qdisc", "del", "dev", self.inner, "root"))

    def destroy(self) -> None:
        if self.server is not None:
            self.server.terminate()
            self.server.wait(10)
        subprocess.run([IP, "netns", "del", self.ns], check=False, capture_output=True, timeout=20)
        subprocess.run(
            [IP, "link", "del", self.outer], check=False, capture_output=True, timeout=20
        )


def _namespaces_work() -> str:
    if os.geteuid() != 0:
        return "needs root to create network namespaces"
    if not shutil.which("ip") or not shutil.which("tc"):
        return "needs iproute2 (ip, tc)"
    probe = f"kcwprobe{uuid.uuid4().hex[:4]}"
    done = subprocess.run([IP, "netns", "add", probe], capture_output=True, check=False, timeout=20)
    if done.returncode != 0:
        return f"cannot create a network namespace here: {done.stderr.decode().strip()}"
    subprocess.run([IP, "netns", "del", probe], capture_output=True, check=False, timeout=20)
    return ""


@pytest.fixture
def host() -> Iterator[Host]:
    reason = _namespaces_work()
    if reason:
        pytest.skip(reason)
    h = Host()
    try:
        h.create()
        yield h
    finally:
        h.destroy()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="network checks run once, on the PostgreSQL pass"
)
def test_health_follows_a_real_host_through_ok_problem_critical_and_back(
    kota: Tenant, host: Host, settings: Any, tmp_path: Path
) -> None:
    settings.WIFI_CHECK_TIMEOUT = 1.0
    settings.WIFI_CHECK_PINGS = 3
    point = hotspot_create(
        tenant=kota,
        actor=None,
        name="Titik uji namespace",
        lat=Decimal("-6.12"),
        lng=Decimal("106.15"),
        check_host=host.address,
        check_port=8080,
        check_url=f"http://{host.address}:8080/",
        check_interval_s=60,
    )

    def health() -> str:
        run_round(every=True)
        return Hotspot.objects.get(pk=point.pk).health

    status = tmp_path / "status"
    status.write_text("")
    host.serve(status)
    assert health() == Health.OK
    last = point.checks.latest("checked_at")
    assert last.loss_pct == 0 and last.tcp_ok and last.http_status == 200
    assert last.rtt_ms is not None

    status.write_text("503")  # the portal is broken though the point answers pings
    assert health() == Health.PROBLEM
    assert point.checks.latest("checked_at").http_status == 503

    host.drop_everything()  # the point disappears: no echo, no connect, no page
    assert health() == Health.PROBLEM
    last = point.checks.latest("checked_at")
    assert last.loss_pct == 100 and not last.tcp_ok and last.http_status is None
    assert not last.up
    assert health() == Health.PROBLEM
    assert health() == Health.CRITICAL  # the third silent check in a row

    host.clear_qdisc()
    status.write_text("")
    assert health() == Health.OK
    moves = list(point.events.exclude(to_state="").values_list("to_state", flat=True))
    assert moves == ["OK", "PROBLEM", "CRITICAL", "OK"]
