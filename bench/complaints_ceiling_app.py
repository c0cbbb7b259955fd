"""The ceiling for ``complaints_load.py``: a bare ASGI app that answers every POST with the same
single-row INSERT into ``complaints_complaint`` that a complaint submission makes, with psycopg
(one pooled async connection per concurrent request, no framework)."""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from typing import Any

import psycopg

DSN = os.environ["CEILING_DSN"]
TENANT_ID = int(os.environ["CEILING_TENANT_ID"])
CATEGORY_ID = int(os.environ["CEILING_CATEGORY_ID"])
POOL_SIZE = 20

INSERT = """
INSERT INTO complaints_complaint (
  tenant_id, ticket, tracking_token, open311_token, category_id, description, attributes, lat, long, address,
  channel, classification, severity, confidentiality, status, status_note, reporter_name, reporter_email,
  reporter_phone, device_id, account_id, media_url, me_too_count, created_at, updated_at, verify_due, due_at,
  reopen_count, rating_comment)
VALUES (%s, %s, %s, %s, %s, %s, '{}', %s, %s, '', 'open311', 'pengaduan', 'sedang', 'biasa', 'baru', '', '', '',
  '', '', '', '', 0, now(), now(), now() + interval '3 days', now() + interval '3 days', 0, '')
RETURNING id
"""

_pool: asyncio.Queue[psycopg.AsyncConnection[Any]] = asyncio.Queue()
_opened: list[int] = []
_lock = asyncio.Lock()


async def _connection() -> psycopg.AsyncConnection[Any]:
    async with _lock:
        if not _opened:
            for _ in range(POOL_SIZE):
                _pool.put_nowait(await psycopg.AsyncConnection.connect(DSN, autocommit=True))
            _opened.append(POOL_SIZE)
    return await _pool.get()


async def _read_body(receive: Any) -> bytes:
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            return body


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    await _read_body(receive)
    conn = await _connection()
    try:
        cursor = await conn.execute(
            INSERT,
            (
                TENANT_ID,
                "C-" + uuid.uuid4().hex[:24],
                uuid.uuid4().hex,
                uuid.uuid4(),
                CATEGORY_ID,
                "ceiling",
                -6.12,
                106.15,
            ),
        )
        row = await cursor.fetchone()
    finally:
        _pool.put_nowait(conn)
    body = json.dumps([{"service_request_id": str(row[0]) if row else None}]).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json; charset=utf-8")],
        }
    )
    await send({"type": "http.response.body", "body": body})
