"""Public Wi-Fi at scale: one round of health checks of N points, half of them not answering,
against their check interval; and RADIUS accounting packets ingested per second.

Usage (as root: the silent half lives in a network namespace that drops every packet):
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/kc_wifi_bench \\
        .venv/bin/python bench/wifi_checks.py [points=1000] [packets=3000]
    (points=0 measures only RADIUS accounting, and needs no root)

Prepares (idempotently) Banten's regions and the Serang tenants. N points of Kota Serang are
created: half check a status page served on 127.0.0.1, half a host inside a namespace made by
the script whose egress drops everything (so ICMP, TCP and HTTP time out, as a dead point's
do). It times ``checks.run_round(every=True)`` (claim, probe concurrently, record every result
in its own transaction) and, as the baseline in the same run, the probes alone with no database
(``checks.probe_all``). Then it sends M Accounting-Requests (Start, Interim-Update, Stop of M/3
sessions) from a pyrad client to the platform's server on a free port, and as the baseline the
same packets to the same server code with the database write left out. Prints JSON.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import http.server
import json
import os
import platform
import socket
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from multiprocessing import get_context
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.settings")
import django

django.setup()

from django.conf import settings  # noqa: E402 - after django.setup()
from django.core.management import call_command  # noqa: E402 - after django.setup()
from pyrad import packet  # noqa: E402 - after django.setup()
from pyrad.client import Client  # noqa: E402 - after django.setup()

from kotacerdas.tenants.models import Tenant  # noqa: E402 - after django.setup()
from kotacerdas.wifi import checks, radius  # noqa: E402 - after django.setup()
from kotacerdas.wifi.models import Hotspot, RadiusClient, WifiSession  # noqa: E402
from kotacerdas.wifi.services import hotspot_create  # noqa: E402 - after django.setup()

PREFIX = "bench-wifi-"


def prepare() -> Tenant:
    call_command("migrate", verbosity=0)
    if not Tenant.objects.filter(region_id="36.73").exists():
        from kotacerdas.regions.loader import load_regions
        from kotacerdas.tenants import demo as tenants_demo

        load_regions(prefix="36")
        tenants_demo.load_demo(password="bench-only")
    return Tenant.objects.get(region_id="36.73")


class Quiet(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args: Any) -> None:
        pass


def dead_host() -> tuple[str, Any]:
    """An address whose every answer is dropped: a namespace behind a veth pair."""
    tag = uuid.uuid4().hex[:6]
    ns, outer, inner = f"kcb{tag}", f"kcbo{tag}", f"kcbi{tag}"
    ip = "/usr/sbin/ip"
    commands = [
        [ip, "netns", "add", ns],
        [ip, "link", "add", outer, "type", "veth", "peer", "name", inner],
        [ip, "link", "set", inner, "netns", ns],
        [ip, "addr", "add", "10.232.0.1/30", "dev", outer],
        [ip, "link", "set", outer, "up"],
        [ip, "netns", "exec", ns, ip, "addr", "add", "10.232.0.2/30", "dev", inner],
        [ip, "netns", "exec", ns, ip, "link", "set", inner, "up"],
        [
            ip,
            "netns",
            "exec",
            ns,
            "/usr/sbin/tc",
            "qdisc",
            "replace",
            "dev",
            inner,
            "root",
            "tbf",
            "rate",
            "8bit",
            "burst",
            "10",
            "limit",
            "10",
        ],
    ]
    for command in commands:
        subprocess.run(command, check=True, capture_output=True, timeout=20)

    def cleanup() -> None:
        subprocess.run([ip, "netns", "del", ns], check=False, capture_output=True, timeout=20)
        subprocess.run([ip, "link", "del", outer], check=False, capture_output=True, timeout=20)

    return "10.232.0.2", cleanup


def bench_checks(tenant: Tenant, n: int) -> dict[str, Any]:
    Hotspot.objects.filter(tenant=tenant, name__startswith=PREFIX).delete()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    dead, cleanup = dead_host()
    try:
        for i in range(n):
            alive = i % 2 == 0
            host = "127.0.0.1" if alive else dead
            hotspot_create(
                tenant=tenant,
                actor=None,
                name=f"{PREFIX}{i:05d}",
                lat=Decimal("-6.12"),
                lng=Decimal("106.15"),
                check_host=host,
                check_port=port if alive else 80,
                check_url=f"http://{host}:{port if alive else 80}/",
                check_interval_s=300,
            )
        # The checker claims only this run's points: park every other monitored point.
        later = dt.datetime(2999, 1, 1, tzinfo=dt.UTC)
        others = Hotspot.objects.monitored().exclude(name__startswith=PREFIX)
        parked = list(others.values_list("pk", "next_check_at"))
        others.update(next_check_at=later)
        targets = [
            t for h in Hotspot.objects.filter(name__startswith=PREFIX) if (t := checks.target_of(h))
        ]
        started = time.monotonic()
        asyncio.run(
            checks.probe_all(
                targets,
                concurrency=settings.WIFI_CHECK_CONCURRENCY,
                ping_count=settings.WIFI_CHECK_PINGS,
                timeout=settings.WIFI_CHECK_TIMEOUT,
            )
        )
        probes_only = time.monotonic() - started
        started = time.monotonic()
        stats = checks.run_round(every=False)
        full = time.monotonic() - started
        for pk, due in parked:
            Hotspot.objects.filter(pk=pk).update(next_check_at=due)
    finally:
        cleanup()
        server.shutdown()
    return {
        "points": n,
        "not_answering": n // 2,
        "checked": stats.checked,
        "answering": stats.up,
        "round_seconds": round(full, 2),
        "probes_only_seconds": round(probes_only, 2),
        "database_overhead_ratio": round(full / probes_only, 2),
        "interval_seconds": 300,
        "share_of_interval": round(full / 300, 4),
        "concurrency": settings.WIFI_CHECK_CONCURRENCY,
        "timeout_seconds": settings.WIFI_CHECK_TIMEOUT,
        "pings_per_check": settings.WIFI_CHECK_PINGS,
    }


def send(port: int, secret: bytes, m: int, tag: str) -> float:
    client = Client(
        server="127.0.0.1",
        acctport=port,
        secret=secret,
        dict=radius.DICTIONARY,
        retries=3,
        timeout=5,
    )
    started = time.monotonic()
    for i in range(m):
        session, step = divmod(i, 3)
        request = client.CreateAcctPacket()
        request["Acct-Status-Type"] = ("Start", "Interim-Update", "Stop")[step]
        request["Acct-Session-Id"] = f"{tag}-{session}"
        request["NAS-Identifier"] = f"{PREFIX}nas"
        request["Calling-Station-Id"] = (
            f"02-00-00-{session % 256:02X}-{session // 256 % 256:02X}-01"
        )
        request["Acct-Input-Octets"] = 1000 * step
        request["Acct-Session-Time"] = 60 * step
        reply = client.SendPacket(request)
        assert reply.code == packet.AccountingResponse
    client._CloseSocket()
    return time.monotonic() - started


def bench_radius(tenant: Tenant, m: int) -> dict[str, Any]:
    secret = "bench-secret"
    RadiusClient.objects.filter(ip_address="127.0.0.1").delete()
    RadiusClient.objects.create(tenant=tenant, name="bench", ip_address="127.0.0.1", secret=secret)
    Hotspot.objects.filter(tenant=tenant, nas_identifier=f"{PREFIX}nas").delete()
    hotspot_create(
        tenant=tenant,
        actor=None,
        name=f"{PREFIX}nas",
        lat=Decimal("-6.12"),
        lng=Decimal("106.15"),
        nas_identifier=f"{PREFIX}nas",
    )

    def run(write: bool, senders: int) -> float:
        server = radius.AccountingServer(("127.0.0.1", 0))
        if not write:  # the baseline: decode, verify and answer, no database
            original = radius.accounting_record
            radius.accounting_record = lambda **kwargs: None  # type: ignore[assignment]
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            port = server.server_address[1]
            tag = uuid.uuid4().hex[:6]
            share = m // senders
            # Senders in processes of their own (like the access points of a controller), each
            # waiting for its answer before the next packet, so `senders` are in flight at once.
            started = time.monotonic()
            # "spawn": forking beside the server's thread can copy a lock it holds (a hang).
            with ProcessPoolExecutor(senders, mp_context=get_context("spawn")) as pool:
                list(
                    pool.map(
                        send,
                        [port] * senders,
                        [secret.encode()] * senders,
                        [share] * senders,
                        [f"{tag}{i}" for i in range(senders)],
                    )
                )
            return time.monotonic() - started
        finally:
            server.shutdown()
            server.server_close()
            if not write:
                radius.accounting_record = original

    result: dict[str, Any] = {"packets": m}
    for senders in (1, 16):
        baseline = run(write=False, senders=senders)
        stored = run(write=True, senders=senders)
        result[f"senders_{senders}"] = {
            "packets_per_second": round(m / stored, 1),
            "baseline_packets_per_second_no_database": round(m / baseline, 1),
            "ratio_to_baseline": round(baseline / stored, 3),
        }
    result["sessions_stored"] = WifiSession.objects.filter(
        hotspot__nas_identifier=f"{PREFIX}nas"
    ).count()
    return result


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    m = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
    tenant = prepare()
    result = {
        "date": dt.datetime.now(dt.UTC).date().isoformat(),
        "machine": f"{platform.node()} {os.cpu_count()} cores {platform.machine()}",
        "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
        "checks": bench_checks(tenant, n) if n else None,
        "radius": bench_radius(tenant, m),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    socket.setdefaulttimeout(30)
    main()
