"""Load benchmark for Rabeg's Open311 server (issue #3).

Starts the production configuration (uvicorn, KOTACERDAS_ENV=production, DEBUG off) on a fresh
PostgreSQL database, preloads N complaints with one INSERT … SELECT generate_series, then for
S seconds measures:
  * Open311 ``POST requests.json`` (throughput, p50, p99);
  * ``GET requests.json`` filtered by service and status (p50, p95);
and the ceiling: a bare ASGI app in the same server (uvicorn, same workers) doing the same
single-row INSERT with psycopg, measured the same way. Prints JSON with the ratio ours/ceiling.

    .venv/bin/python bench/complaints_load.py --rows 100000 --seconds 10

Loopback only. The load generator runs on the same machine and competes for its cores.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import psycopg

ROOT = Path(__file__).resolve().parents[1]
JURISDICTION = "serangkota.go.id"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run(cmd: list[str], env: dict[str, str]) -> str:
    return subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout


def recreate_database(url: str) -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


PRELOAD = """
INSERT INTO complaints_complaint (
  tenant_id, ticket, tracking_token, open311_token, category_id, description, attributes, lat, long, address,
  channel, classification, severity, confidentiality, status, status_note, reporter_name, reporter_email,
  reporter_phone, device_id, account_id, media_url, me_too_count, created_at, updated_at, verify_due, due_at,
  reopen_count, rating_comment)
SELECT %(tenant)s, 'B-' || lpad(i::text, 9, '0'), md5(i::text) || 'aaaaaaaa', md5('t' || i::text)::uuid,
  (%(categories)s::bigint[])[1 + i %% cardinality(%(categories)s::bigint[])],
  'Aduan contoh nomor ' || i, '{}', -6.2 + (i %% 1000) / 5000.0, 106.1 + (i %% 997) / 5000.0, 'Jl. Contoh ' || i,
  'web', 'pengaduan', 'sedang', (ARRAY['biasa','anonim','rahasia'])[1 + i %% 3], (ARRAY['baru','didisposisi','diproses','selesai','ditutup'])[1 + i %% 5],
  '', 'Pelapor ' || i, '', '', '', '', '', 0,
  now() - (i %% 730) * interval '1 day' - (i %% 86400) * interval '1 second', now(), now() + interval '3 days',
  now() + interval '3 days', 0, ''
FROM generate_series(1, %(rows)s) AS i
"""


def preload(url: str, rows: int) -> dict[str, int]:
    with psycopg.connect(url, autocommit=True) as conn:
        tenant = conn.execute("SELECT id FROM tenants_tenant WHERE region_id = '36.73'").fetchone()[
            0
        ]
        categories = [
            r[0]
            for r in conn.execute(
                "SELECT id FROM complaints_category WHERE tenant_id = %s ORDER BY id", (tenant,)
            )
        ]
        pju = conn.execute(
            "SELECT id FROM complaints_category WHERE tenant_id = %s AND code = 'pju'", (tenant,)
        ).fetchone()[0]
        started = time.perf_counter()
        conn.execute(PRELOAD, {"tenant": tenant, "categories": categories, "rows": rows})
        conn.execute("VACUUM ANALYZE complaints_complaint")
        print(
            f"preloaded {rows} complaints in {time.perf_counter() - started:.1f} s", file=sys.stderr
        )
    return {"tenant": tenant, "pju": pju}


def start_server(
    app: str, env: dict[str, str], workers: int, log: Path
) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            app,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        cwd=ROOT / "bench",
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(url + "/healthz", timeout=2)
            return process, url
        except httpx.TransportError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError(log.read_text())


async def hammer(
    method: str, url: str, seconds: float, concurrency: int, data: dict[str, str] | None
) -> dict[str, Any]:
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < stop:
                began = time.perf_counter()
                response = await client.request(method, url, data=data)
                latencies.append(time.perf_counter() - began)
                if response.status_code != 200:
                    errors += 1

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - began
    latencies.sort()

    def pct(p: float) -> float:
        return (
            round(latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000, 1)
            if latencies
            else 0.0
        )

    return {
        "requests": len(latencies),
        "errors": errors,
        "throughput_rps": round(len(latencies) / elapsed, 1),
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "mean_ms": round(statistics.mean(latencies) * 1000, 1) if latencies else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument(
        "--database-url", default="postgresql://postgres@127.0.0.1:5432/kc_complaints_bench"
    )
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="kc-bench-"))
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "KOTACERDAS_ENV": "production",
        "DEBUG": "false",
        "SECRET_KEY": "bench-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "KOTACERDAS_VAR_DIR": str(tmp),
        "EMAIL_URL": "dummymail://",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    cli = [sys.executable, "-m", "kotacerdas.cli"]
    recreate_database(args.database_url)
    run([*cli, "setup", "--demo", "--demo-password", "bench-demo-password"], env)
    api_key = run([*cli, "create_open311_key", "--tenant", "36.73"], env).strip().splitlines()[-1]
    ids = preload(args.database_url, args.rows)

    post_form = {
        "jurisdiction_id": JURISDICTION,
        "api_key": api_key,
        "service_code": "pju",
        "lat": "-6.1235",
        "long": "106.149",
        "description": "Lampu mati (beban uji)",
        "attribute[jumlah_lampu]": "1",
    }
    results: dict[str, Any] = {
        "rows": args.rows,
        "seconds": args.seconds,
        "concurrency": args.concurrency,
        "workers": args.workers,
    }

    server, url = start_server("kotacerdas.asgi:application", env, args.workers, tmp / "ours.log")
    try:
        base = url + "/open311/v2"
        results["ours_post"] = asyncio.run(
            hammer("POST", base + "/requests.json", args.seconds, args.concurrency, post_form)
        )
        get_url = (
            f"{base}/requests.json?jurisdiction_id={JURISDICTION}&service_code=pju&status=open"
        )
        results["ours_get_filtered"] = asyncio.run(
            hammer("GET", get_url, args.seconds, args.concurrency, None)
        )
        results["ours_get_filtered_page_size_50"] = asyncio.run(
            hammer("GET", get_url + "&page_size=50", args.seconds, args.concurrency, None)
        )
    finally:
        server.terminate()
        server.wait(timeout=30)

    ceiling_env = {
        **env,
        "CEILING_DSN": args.database_url,
        "CEILING_TENANT_ID": str(ids["tenant"]),
        "CEILING_CATEGORY_ID": str(ids["pju"]),
    }
    server, url = start_server(
        "complaints_ceiling_app:app", ceiling_env, args.workers, tmp / "ceiling.log"
    )
    try:
        results["ceiling_post"] = asyncio.run(
            hammer("POST", url + "/", args.seconds, args.concurrency, post_form)
        )
    finally:
        server.terminate()
        server.wait(timeout=30)

    ceiling = results["ceiling_post"]["throughput_rps"] or 1
    results["ratio_post_throughput_ours_over_ceiling"] = round(
        results["ours_post"]["throughput_rps"] / ceiling, 3
    )
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
