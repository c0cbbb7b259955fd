"""Live board latency: how long from a call-taker's API call to the event on a dispatcher's
server-sent-event stream, on a real uvicorn server (loopback, SQLite or $DATABASE_URL).

    DATABASE_URL=sqlite:///var/bench-emergency.sqlite3 .venv/bin/python bench/emergency_sse.py

Prepares the database with ``kotacerdas setup --demo``, starts uvicorn, signs the supervisor
in, opens the stream, then logs N calls through ``POST /api/v1/emergency/calls`` and times
each event's arrival. The issue's target: the board changes within a second.

Then, with ``BENCH_IDLE_STREAMS`` (200) more boards open on the same worker, it measures
``/healthz`` again (the baseline is measured before they open, in the same run) and counts
the events every idle stream received: open boards must cost no pooled connection (#10.2).
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

N = int(os.environ.get("BENCH_CALLS", "40"))
IDLE = int(os.environ.get("BENCH_IDLE_STREAMS", "200"))
ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "kotacerdas.cli"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def healthz_ms(url: str, times: int = 20) -> float:
    samples = []
    with httpx.Client(base_url=url, timeout=60) as client:
        for _ in range(times):
            start = time.perf_counter()
            client.get("/healthz").raise_for_status()
            samples.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(samples), 1)


class IdleBoards(threading.Thread):
    """``count`` open board streams on their own event loop, counting the call events."""

    def __init__(self, url: str, cookies: httpx.Cookies, count: int) -> None:
        super().__init__(daemon=True)
        self.url, self.cookies, self.count = url, cookies, count
        self.calls = [0] * count
        self.open_count = 0
        self.opened = threading.Event()
        self.stop = threading.Event()

    def run(self) -> None:
        asyncio.run(self.main())

    async def main(self) -> None:
        limits = httpx.Limits(max_connections=self.count + 5)
        async with httpx.AsyncClient(
            base_url=self.url, cookies=self.cookies, limits=limits, timeout=None
        ) as client:
            tasks = [asyncio.create_task(self.one(client, i)) for i in range(self.count)]
            while not self.stop.is_set():
                await asyncio.sleep(0.1)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def one(self, client: httpx.AsyncClient, i: int) -> None:
        async with client.stream("GET", "/kota-serang/112/papan/stream/") as response:
            lines = response.aiter_lines()
            await anext(lines)  # "retry:": the view has run
            self.open_count += 1
            if self.open_count == self.count:
                self.opened.set()
            async for line in lines:
                if line.startswith("data: ") and json.loads(line[6:])["kind"] == "call":
                    self.calls[i] += 1


def main() -> None:
    env = {**os.environ, "DEBUG": "false", "MAP_TILE_URL": ""}
    env.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-emergency.sqlite3'}")
    subprocess.run([*CLI, "setup", "--demo"], env=env, check=True, capture_output=True)
    token_out = subprocess.run(
        [*CLI, "create_api_token", "--user", "calltaker-kota", "--name", "bench"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    token = token_out.strip().splitlines()[-1]  # the secret is printed alone on the last line
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "kotacerdas.asgi:application",
            "--port",
            str(port),
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        env=env,
    )
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{url}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        healthz_before = healthz_ms(url)
        browser = httpx.Client(base_url=url)
        browser.get("/akun/masuk/")
        browser.post(
            "/akun/masuk/",
            data={
                "username": "supervisor-kota",
                "password": "kotacerdas-demo",
                "csrfmiddlewaretoken": browser.cookies["csrftoken"],
            },
            headers={"Referer": f"{url}/akun/masuk/"},
        )
        idle = IdleBoards(url, browser.cookies, IDLE)
        idle.start()
        idle.opened.wait(120)
        healthz_with_streams = healthz_ms(url)
        arrivals: dict[int, float] = {}
        ready = threading.Event()

        def listen() -> None:
            with browser.stream("GET", "/kota-serang/112/papan/stream/", timeout=None) as response:
                ready.set()
                for line in response.iter_lines():
                    if line.startswith("data: "):
                        event = json.loads(line[6:])
                        if event["kind"] == "call":
                            arrivals[len(arrivals)] = time.perf_counter()
                    if len(arrivals) >= N:
                        return

        listener = threading.Thread(target=listen, daemon=True)
        listener.start()
        ready.wait(10)
        time.sleep(0.3)
        api = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"})
        sent, post_ms = [], []
        for i in range(N):
            start = time.perf_counter()
            response = api.post(
                "/api/v1/emergency/calls",
                json={"caller_number": f"08129000{i:04d}", "call_type": "informasi"},
            )
            response.raise_for_status()
            end = time.perf_counter()
            sent.append(start)  # from the request: with NOTIFY the event may beat the response
            post_ms.append((end - start) * 1000)
            time.sleep(0.6)  # spread the calls over the 0.5 s poll
        listener.join(15)
        time.sleep(1)
        idle.stop.set()
        idle.join(20)
        browser.close()  # an open stream would hold uvicorn's graceful shutdown
        latency = [(arrivals[i] - sent[i]) * 1000 for i in range(min(len(arrivals), N))]
        print(
            json.dumps(
                {
                    "database": env["DATABASE_URL"].split(":", 1)[0],
                    "calls": N,
                    "events_received": len(arrivals),
                    "post_call_ms_median": round(statistics.median(post_ms), 1),
                    "event_latency_ms_median": round(statistics.median(latency), 1),
                    "event_latency_ms_p90": round(sorted(latency)[int(0.9 * len(latency)) - 1], 1),
                    "event_latency_ms_max": round(max(latency), 1),
                    "target_ms": 1000,
                    "idle_streams": IDLE,
                    "idle_streams_with_every_event": sum(1 for c in idle.calls if c == N),
                    "healthz_ms_median_baseline": healthz_before,
                    "healthz_ms_median_with_idle_streams": healthz_with_streams,
                },
                indent=2,
            )
        )
    finally:
        server.terminate()
        server.wait(20)


if __name__ == "__main__":
    main()
