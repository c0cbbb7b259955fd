"""The application ``complaints_load.py`` serves: one uvicorn, one stack, three things.

- ``/ceiling/bare/post/<tenant>/<category>`` and ``/ceiling/bare/get/<tenant>``: the physical
  ceiling, a bare ASGI app running the one statement of ``ceiling_sql`` with psycopg (async,
  a small pool per worker, no framework), the page serialised with orjson;
- ``/ceiling/django/…``: the framework ceiling, Django views with the platform's middleware
  running the same statement (``ceiling_urls``);
- everything else: the platform itself (``kotacerdas.asgi``, with ``ceiling_settings``).
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

import orjson
import psycopg
from ceiling_sql import GET_PAGE, INSERT, insert_params

os.environ["DJANGO_SETTINGS_MODULE"] = "ceiling_settings"

from kotacerdas.asgi import application as platform

DSN = os.environ["DATABASE_URL"]
POOL_SIZE = 10

_pool: asyncio.Queue[psycopg.AsyncConnection[Any]] = asyncio.Queue()
_opening = asyncio.Lock()
_opened: list[bool] = []


async def _connection() -> psycopg.AsyncConnection[Any]:
    async with _opening:
        if not _opened:
            for _ in range(POOL_SIZE):
                _pool.put_nowait(await psycopg.AsyncConnection.connect(DSN, autocommit=True))
            _opened.append(True)
    return await _pool.get()


async def _drain(receive: Any) -> None:
    while (await receive()).get("more_body"):
        pass


async def _bare(parts: list[str], send: Any) -> None:
    conn = await _connection()
    try:
        if parts[0] == "post":
            cursor = await conn.execute(INSERT, insert_params(int(parts[1]), int(parts[2])))
            row = await cursor.fetchone()
            body = orjson.dumps([{"service_request_id": str(row[0]) if row else None}])
        else:
            cursor = await conn.execute(GET_PAGE, [int(parts[1])])
            names = [c.name for c in cursor.description or ()]
            rows = await cursor.fetchall()
            body = orjson.dumps([dict(zip(names, r, strict=True)) for r in rows])
    finally:
        _pool.put_nowait(conn)
    headers = [(b"content-type", b"application/json; charset=utf-8")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    path = scope.get("path", "")
    if scope["type"] == "http" and path.startswith("/ceiling/bare/"):
        await _drain(receive)
        await _bare(path.removeprefix("/ceiling/bare/").split("/"), send)
        return
    await platform(scope, receive, send)
