"""A live HTTP server for API clients: uvicorn serving the real ASGI application in a thread of
the test process, on a free port, against the test database. Data that the server must see is
committed (written outside the test transaction) and removed afterwards."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from django.db import connections


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def live_server() -> Iterator[str]:
    from kotacerdas.asgi import application

    port = _free_port()
    config = uvicorn.Config(
        application,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="off",
        access_log=False,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        # The server's threads borrowed pooled PostgreSQL connections; close the pool so that
        # the test database can be dropped at the end of the run.
        for conn in connections.all():
            close_pool = getattr(conn, "close_pool", None)
            if close_pool is not None and getattr(conn, "pool", None) is not None:
                close_pool()
