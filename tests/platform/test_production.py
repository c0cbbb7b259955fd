"""The README's production deployment, followed literally: collectstatic with manifest storage,
DEBUG off, uvicorn with several workers. Pages render, static files are served by their hashed
names, the edge refuses huge bodies without growing, keep-alive responses are not held back
by delayed ACKs, and the access log carries no personal data or secrets."""

from __future__ import annotations

import re
import socket
import statistics
import time

import httpx
import pytest

from tests.platform.conftest import ProductionServer

pytestmark = pytest.mark.production

PUBLIC_PAGES = [
    "/",
    "/kota-serang/",
    "/akun/masuk/",
    "/akun/daftar/",
    "/kota-serang/aduan/",
    "/kota-serang/aduan/lapor/",
    "/kota-serang/aduan/daftar/",
    "/api/v1/docs",
]
STATIC = re.compile(r"""(?:src|href)="(/static/[^"]+)\"""")


def _check_page_and_its_static_files(client: httpx.Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assets = STATIC.findall(response.text)
    assert assets, url
    for asset in assets:
        # Manifest storage serves content-hashed names (e.g. app.3f2a9c1b0d4e.css).
        assert re.search(r"\.[0-9a-f]{12}\.", asset), asset
        assert client.get(asset).status_code == 200, asset


def test_public_pages_render_with_hashed_static_files(production: ProductionServer) -> None:
    with production.client() as client:
        for url in PUBLIC_PAGES:
            _check_page_and_its_static_files(client, url)


def test_staff_pages_render_in_production(production: ProductionServer) -> None:
    with production.client() as client:
        production.login(client, "admin-kota")
        for url in ("/kota-serang/", "/admin/", "/kota-serang/aduan/kelola/"):
            _check_page_and_its_static_files(client, url)


def test_healthz_reports_database_and_static_files_ok(production: ProductionServer) -> None:
    response = httpx.get(f"{production.url}/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "static": "ok"}


def test_production_sends_hsts_and_a_content_security_policy(production: ProductionServer) -> None:
    response = httpx.get(f"{production.url}/kota-serang/", headers={"X-Forwarded-Proto": "https"})
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src", 1)[1].split(";")[0]


def _peak_memory_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise AssertionError("no VmHWM")


def _read_until_closed(sock: socket.socket) -> str:
    sock.settimeout(30)
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    return data.decode("latin-1")


def test_declared_huge_body_is_refused_before_it_is_read(production: ProductionServer) -> None:
    with socket.create_connection(("127.0.0.1", int(production.url.rsplit(":", 1)[1]))) as sock:
        sock.sendall(
            b"POST /kota-serang/aduan/lapor/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: multipart/form-data; boundary=x\r\n"
            b"Content-Length: 300000000\r\n\r\n"
        )
        head = _read_until_closed(sock)
    assert head.startswith("HTTP/1.1 413"), head
    assert '"code": "body_too_large"' in head


def test_streamed_huge_body_is_cut_off_and_memory_stays_bounded(
    production: ProductionServer,
) -> None:
    before = {pid: _peak_memory_kib(pid) for pid in production.worker_pids()}
    port = int(production.url.rsplit(":", 1)[1])
    chunk = b"x" * (1024 * 1024)
    sent = 0
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.settimeout(30)
        sock.sendall(
            b"POST /kota-serang/aduan/lapor/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        try:
            for _ in range(300):  # 300 MB if the server never stops reading
                sock.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
                sent += len(chunk)
        except OSError:
            pass  # the server answered and closed: exactly what should happen
        head = _read_until_closed(sock)
    assert head.startswith("HTTP/1.1 413"), head
    # The limit is 16 MB; socket buffers may hold a few MB more before the close is seen.
    assert sent < 64 * 1024 * 1024, sent
    after = {pid: _peak_memory_kib(pid) for pid in production.worker_pids()}
    for pid, peak in after.items():
        assert peak - before.get(pid, peak) < 48 * 1024, (pid, before.get(pid), peak)


def _request_times(sock: socket.socket, count: int) -> list[float]:
    request = (
        b"GET /static/vendor/leaflet/images/marker-icon.png HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    times = []
    for _ in range(count):
        start = time.perf_counter()
        sock.sendall(request)
        buffer = b""
        while b"\r\n\r\n" not in buffer:
            buffer += sock.recv(65536)
        head, _sep, body = buffer.partition(b"\r\n\r\n")
        length = int(re.search(rb"(?i)content-length: (\d+)", head).group(1))  # type: ignore[union-attr]
        while len(body) < length:
            body += sock.recv(65536)
        times.append(time.perf_counter() - start)
    return times


def test_keep_alive_responses_are_not_held_back_by_delayed_acks(
    production: ProductionServer,
) -> None:
    """With the plain asyncio loop and several workers uvicorn loses TCP_NODELAY, and every
    response after the first on a keep-alive connection waits ~40 ms for the client's delayed
    ACK. The first request of a fresh connection is answered before delayed ACK starts, so it
    is this server's own reference: later requests must not be systematically slower."""
    port = int(production.url.rsplit(":", 1)[1])
    fresh = []
    for _ in range(15):
        with socket.create_connection(("127.0.0.1", port)) as sock:
            fresh.extend(_request_times(sock, 1))
    with socket.create_connection(("127.0.0.1", port)) as sock:
        kept = _request_times(sock, 40)[5:]
    assert statistics.median(kept) < 3 * statistics.median(fresh) + 0.010, (
        statistics.median(kept),
        statistics.median(fresh),
    )


def _log_after(production: ProductionServer, marker: str) -> str:
    """The log once the access line for ``marker`` is in it (written after the response)."""
    url = f"/healthz?marker={marker}"
    httpx.get(production.url + url)
    deadline = time.monotonic() + 10
    while url not in (log := production.log.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return log


def test_a_404_is_logged_once(production: ProductionServer) -> None:
    httpx.get(f"{production.url}/kota-serang/tidak-ada-halaman-uji-404/")
    log = _log_after(production, "after-404")
    lines = [line for line in log.splitlines() if "tidak-ada-halaman-uji-404" in line]
    assert len(lines) == 1, lines


PLANTED_NUMBER = "081298765432"
PLANTED_NIK = "3673015501900007"
PLANTED_TOKEN = "0f" * 20


def test_the_log_holds_no_planted_numbers_or_tokens(production: ProductionServer) -> None:
    with production.client() as client:
        production.login(client, "calltaker-kota")
        client.get(f"/kota-serang/112/penelepon/?nomor={PLANTED_NUMBER}")
        client.get(f"/kota-serang/112/penelepon/?caller_number=%2B62{PLANTED_NUMBER[1:]}")
        client.get(f"/kota-serang/aduan/pantau/{PLANTED_TOKEN}/")
        client.get(f"/kota-serang/layanan/berkas/{PLANTED_TOKEN}:signed/")
        client.get(f"/kota-serang/aduan/daftar/?q={PLANTED_NIK}")
        client.get(f"/akun/reset/MQ/{PLANTED_TOKEN[:30]}-x/")
    log = _log_after(production, "after-secrets")
    assert "/kota-serang/aduan/pantau/" in log  # the access log is on and was written
    for secret in (PLANTED_NUMBER, PLANTED_NUMBER[1:], PLANTED_NIK, PLANTED_TOKEN, "signed"):
        assert secret not in log, secret
    assert "Traceback" not in log
