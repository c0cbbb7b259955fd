"""Open311 POST and GET against their two ceilings, in interleaved rounds (issue #12 item 1).

One uvicorn (the production stack: ``--loop uvloop --http httptools``, ``--workers`` processes (4),
``KOTACERDAS_ENV=production``) serves ``bench/ceiling_app.py``: the platform, the framework
ceiling (Django views with the same middleware running one statement) and the physical ceiling
(a bare ASGI app running the same statement with async psycopg, orjson). Load comes from
``wrk`` (compiled; ``scripts/apt-install.sh wrk``), 16 keep-alive connections by default.

Each round measures, in an order that rotates from round to round:
  POST  ours (Open311 ``requests.json``) | Django view: the INSERT | bare ASGI: the INSERT
  GET   ours uncached (default page, 1,000 items) | Django view: the SELECT | bare: the SELECT
  GET   ours as served (the public feed cache on)
and prints JSON: every run (with what the busy database connections waited on, sampled from
pg_stat_activity), and for each ratio (ours over a ceiling, throughput) its median,
minimum and maximum over the rounds.

The database is made fresh (``setup --demo``), then Kota Serang gets ``--rows`` complaints with
dispositions (every complaint past triage), photos (three in ten) and public events (submission,
disposition, resolution, confirmation) as their statuses imply, and is analysed.

    .venv/bin/python bench/complaints_load.py --rows 100000 --seconds 10 --rounds 3

Loopback only. wrk, uvicorn and PostgreSQL share the machine's cores.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
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


COMPLAINTS = """
INSERT INTO complaints_complaint (
  tenant_id, ticket, tracking_token, open311_token, category_id, description, attributes, lat,
  long, address, channel, classification, severity, confidentiality, status, status_note,
  reporter_name, reporter_email, reporter_phone, language, device_id, account_id, media_url,
  me_too_count, created_at, updated_at, verify_due, due_at, reopen_count, rating_comment,
  idempotency_client, idempotency_fingerprint)
SELECT %(tenant)s, 'B-' || lpad(i::text, 9, '0'), md5(i::text) || 'aaaaaaaa', md5('t' || i)::uuid,
  (%(categories)s::bigint[])[1 + i %% cardinality(%(categories)s::bigint[])],
  'Aduan contoh nomor ' || i, '{}', -6.2 + (i %% 1000) / 5000.0, 106.1 + (i %% 997) / 5000.0,
  'Jl. Contoh ' || i, 'web', 'pengaduan', 'sedang',
  (ARRAY['biasa','anonim','rahasia'])[1 + i %% 3],
  (ARRAY['baru','didisposisi','diproses','selesai','ditutup'])[1 + i %% 5],
  '', 'Pelapor ' || i, '', '', 'id', '', '', '', 0,
  now() - (i %% 730) * interval '1 day' - (i %% 86400) * interval '1 second', now(),
  now() + interval '3 days', now() + interval '3 days', 0, '', '', ''
FROM generate_series(1, %(rows)s) AS i
"""
DISPOSITIONS = """
INSERT INTO complaints_disposition (complaint_id, opd_id, created_at, response_due,
  first_response_at, resolved_at, resolution_note, reopen_count, is_active)
SELECT c.id, cat.opd_id, c.created_at + interval '1 day', c.created_at + interval '4 days',
  CASE WHEN c.status <> 'didisposisi' THEN c.created_at + interval '2 days' END,
  CASE WHEN c.status IN ('selesai', 'ditutup') THEN c.created_at + interval '5 days' END,
  '', 0, true
FROM complaints_complaint c JOIN complaints_category cat ON cat.id = c.category_id
WHERE c.tenant_id = %(tenant)s AND c.status <> 'baru'
"""
PHOTOS = """
INSERT INTO complaints_photo (complaint_id, response_id, image, original, width, height, created_at)
SELECT id, NULL, 'complaints/bench/' || id || '.jpg', 'complaints/bench/' || id || '.jpg',
  1600, 1200, created_at
FROM complaints_complaint WHERE tenant_id = %(tenant)s AND id %% 10 < 3
"""
EVENTS = """
INSERT INTO complaints_event (tenant_id, actor_id, action, from_state, to_state, note, public,
  data, created_at, complaint_id, opd_id)
SELECT c.tenant_id, NULL, e.action, e.from_state, e.to_state, '', true, '{}',
  c.created_at + e.after, c.id, NULL
FROM complaints_complaint c
JOIN (VALUES
  ('submit', '', 'baru', interval '0', ARRAY['baru','didisposisi','diproses','selesai','ditutup']),
  ('dispose', 'baru', 'didisposisi', interval '1 day', ARRAY['didisposisi','diproses','selesai','ditutup']),
  ('respond', 'didisposisi', 'diproses', interval '2 days', ARRAY['diproses','selesai','ditutup']),
  ('resolve', 'diproses', 'selesai', interval '5 days', ARRAY['selesai','ditutup']),
  ('confirm', 'selesai', 'ditutup', interval '6 days', ARRAY['ditutup'])
) AS e(action, from_state, to_state, after, statuses) ON c.status = ANY(e.statuses)
WHERE c.tenant_id = %(tenant)s
"""


def preload(url: str, rows: int) -> dict[str, Any]:
    with psycopg.connect(url) as conn:
        tenant = conn.execute("SELECT id FROM tenants_tenant WHERE region_id = '36.73'").fetchone()
        assert tenant is not None
        params: dict[str, Any] = {"tenant": tenant[0], "rows": rows}
        params["categories"] = [
            r[0]
            for r in conn.execute(
                "SELECT id FROM complaints_category WHERE tenant_id = %s ORDER BY id", [tenant[0]]
            )
        ]
        pju = conn.execute(
            "SELECT id FROM complaints_category WHERE tenant_id = %s AND code = 'pju'", [tenant[0]]
        ).fetchone()
        assert pju is not None
        started = time.perf_counter()
        counts = {}
        for name, sql in (
            ("complaints", COMPLAINTS),
            ("dispositions", DISPOSITIONS),
            ("photos", PHOTOS),
            ("events", EVENTS),
        ):
            counts[name] = conn.execute(sql, params).rowcount
        conn.commit()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    counts["seconds"] = round(time.perf_counter() - started, 1)
    print(f"preloaded {counts}", file=sys.stderr)
    return {"tenant": tenant[0], "pju": pju[0], "preload": counts}


def start_server(
    env: dict[str, str], workers: int, log: Path
) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable, "-m", "uvicorn", "ceiling_app:app",
            "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
            "--loop", "uvloop", "--http", "httptools",
            "--no-access-log", "--log-level", "warning",
        ],
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        cwd=BENCH,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2):
                return process, url
        except urllib.error.HTTPError:  # it answers (static files are not collected here)
            return process, url
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise RuntimeError(log.read_text())


LUA = """
wrk.method = %(method)s
wrk.body = %(body)s
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %%d, "errors": %%d, "duration_us": %%d, "p50_us": %%d, "p95_us": %%d, '
    .. '"p99_us": %%d, "max_us": %%d}\\n',
    summary.requests, e.status + e.connect + e.read + e.write + e.timeout, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def wrk(
    url: str, *, seconds: float, connections: int, body: str | None, tmp: Path
) -> dict[str, Any]:
    script = tmp / f"wrk-{abs(hash((url, body)))}.lua"
    method = json.dumps("POST" if body else "GET")
    script.write_text(LUA % {"method": method, "body": json.dumps(body) if body else "nil"})
    out = subprocess.run(
        [
            "wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds:g}s",
            "--timeout", "30s", "-s", str(script), url,
        ],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    raw = json.loads(next(line for line in out.splitlines() if line.startswith("{")))
    return {
        "requests": raw["requests"],
        "errors": raw["errors"],
        "rps": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "p50_ms": round(raw["p50_us"] / 1000, 1),
        "p95_ms": round(raw["p95_us"] / 1000, 1),
        "p99_ms": round(raw["p99_us"] / 1000, 1),
    }


class WaitSampler:
    """Samples what the benchmark database's busy connections wait on (pg_stat_activity, every
    0.1 s) while a run lasts: the share of samples waiting on a lock shows contention."""

    SQL = """SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU/none'), count(*)
             FROM pg_stat_activity WHERE datname = current_database() AND state = 'active'
             AND pid <> pg_backend_pid() GROUP BY 1"""

    def __init__(self, url: str) -> None:
        self.url = url
        self.counts: dict[str, int] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self.stop.wait(0.1):
                for what, count in conn.execute(self.SQL):
                    self.counts[what] = self.counts.get(what, 0) + count

    def __enter__(self) -> WaitSampler:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()

    def shares(self) -> dict[str, float]:
        total = sum(self.counts.values()) or 1
        top = sorted(self.counts.items(), key=lambda kv: -kv[1])[:4]
        return {what: round(count / total, 2) for what, count in top}


def load_average() -> float:
    return round(os.getloadavg()[0], 1)


def spread(values: list[float]) -> dict[str, float]:
    return {
        "median": round(statistics.median(values), 3),
        "min": round(min(values), 3),
        "max": round(max(values), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    # The README's production command runs 4 workers (Django runs a worker's synchronous views
    # one at a time, so a worker waiting on the database leaves the core to another).
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--database-url", default="postgresql://postgres@127.0.0.1:5432/kc_complaints_bench"
    )
    parser.add_argument("--reuse", action="store_true", help="keep the database of a last run")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: scripts/apt-install.sh wrk")

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
        "PYTHONPATH": str(BENCH),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    cli = [sys.executable, "-m", "kotacerdas.cli"]
    key_file = Path(tempfile.gettempdir()) / "kc-complaints-bench.json"
    if args.reuse and key_file.exists():
        state = json.loads(key_file.read_text())
    else:
        recreate_database(args.database_url)
        run([*cli, "setup", "--demo", "--demo-password", "bench-demo-password"], env)
        out = run([*cli, "create_open311_key", "--tenant", "36.73"], env)
        state = {"api_key": out.strip().splitlines()[-1], **preload(args.database_url, args.rows)}
        key_file.write_text(json.dumps(state))

    post_body = urlencode(
        {
            "jurisdiction_id": JURISDICTION,
            "api_key": state["api_key"],
            "service_code": "pju",
            "lat": "-6.1235",
            "long": "106.149",
            "description": "Lampu mati (beban uji)",
            "attribute[jumlah_lampu]": "1",
        }
    )
    tenant, pju = state["tenant"], state["pju"]
    feed = "/open311/v2/requests.json?" + urlencode({"jurisdiction_id": JURISDICTION})
    runs: dict[str, tuple[str, str | None]] = {
        "post_ours": ("/open311/v2/requests.json", post_body),
        "post_django": (f"/ceiling/django/post/{tenant}/{pju}", post_body),
        "post_bare": (f"/ceiling/bare/post/{tenant}/{pju}", post_body),
        "get_ours_uncached": ("/ceiling/uncached" + feed, None),
        "get_django": (f"/ceiling/django/get/{tenant}", None),
        "get_bare": (f"/ceiling/bare/get/{tenant}", None),
        "get_ours_cached": (feed, None),
    }
    results: dict[str, Any] = {
        "rows": args.rows,
        "preload": state["preload"],
        "seconds": args.seconds,
        "rounds": args.rounds,
        "connections": args.connections,
        "workers": args.workers,
        "machine": f"{os.cpu_count()} cores, {os.uname().machine}",
        "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "runs": {name: [] for name in runs},
    }
    server, base = start_server(env, args.workers, tmp / "server.log")
    try:
        for name, (path, body) in runs.items():  # warm every worker's pools and caches
            warm = wrk(base + path, seconds=2, connections=args.connections, body=body, tmp=tmp)
            if warm["errors"] or not warm["requests"]:
                raise RuntimeError(f"{name}: {warm}\n{(tmp / 'server.log').read_text()[-3000:]}")
        names = list(runs)
        for round_no in range(args.rounds):
            order = names[round_no % len(names) :] + names[: round_no % len(names)]
            for name in order:
                path, body = runs[name]
                with WaitSampler(args.database_url) as waits:
                    measured = wrk(
                        base + path,
                        seconds=args.seconds,
                        connections=args.connections,
                        body=body,
                        tmp=tmp,
                    )
                measured["load_average"] = load_average()
                measured["db_waits"] = waits.shares()
                results["runs"][name].append(measured)
                print(f"round {round_no + 1} {name}: {measured}", file=sys.stderr)
    finally:
        server.terminate()
        server.wait(timeout=30)

    def rps(name: str) -> list[float]:
        return [r["rps"] for r in results["runs"][name]]

    def ratio(ours: str, ceiling: str) -> dict[str, float]:
        return spread([o / c for o, c in zip(rps(ours), rps(ceiling), strict=True) if c])

    results["ratios"] = {
        "post_ours_over_django": ratio("post_ours", "post_django"),
        "post_ours_over_bare": ratio("post_ours", "post_bare"),
        "get_uncached_ours_over_django": ratio("get_ours_uncached", "get_django"),
        "get_uncached_ours_over_bare": ratio("get_ours_uncached", "get_bare"),
        "get_cached_ours_over_bare": ratio("get_ours_cached", "get_bare"),
    }
    results["summary"] = {
        name: {
            "rps": spread(rps(name)),
            "p50_ms": spread([r["p50_ms"] for r in results["runs"][name]]),
            "p95_ms": spread([r["p95_ms"] for r in results["runs"][name]]),
        }
        for name in runs
    }
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
