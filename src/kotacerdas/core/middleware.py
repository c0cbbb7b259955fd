"""Platform-wide request guards: the body-size limit at the ASGI edge, hostile input that
must be a 400 rather than a 500, and the security headers every response carries."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[..., Awaitable[None]]

# The only form encodings the platform reads. Django decodes a form body with the charset the
# client declares; UTF-16 and friends turn the body into garbage or a UnicodeDecodeError.
FORM_CHARSETS = frozenset({"utf-8", "utf8", "us-ascii", "ascii"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# PostgreSQL text cannot hold NUL; Django's backend raises this ValueError for such a parameter.
NUL_MESSAGE = "cannot contain NUL (0x00) characters"


def _is_machine_path(path: str) -> bool:
    return path.startswith(("/api/", "/open311/"))


def error_response(request: HttpRequest, *, status: int, code: str, message: str) -> HttpResponse:
    """The platform's error shape: JSON ``{"error": {"code", "message"}}`` for machines,
    the error page for people."""
    if _is_machine_path(request.path_info):
        return JsonResponse({"error": {"code": code, "message": message}}, status=status)
    return render(request, "core/error.html", {"title": message, "message": message}, status=status)


class RejectBadInput:
    """Answers 400 for input no view can use: a NUL byte in the path, the query string or a
    form field, and form bodies in another charset than UTF-8. A NUL that reaches PostgreSQL
    some other way (a JSON body) is turned into the same 400 instead of a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problem = self._problem(request)
        if problem is not None:
            return error_response(request, status=400, code=problem[0], message=problem[1])
        return self.get_response(request)

    def _problem(self, request: HttpRequest) -> tuple[str, str] | None:
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            return "invalid_character", _("Alamat berisi karakter yang tidak sah.")
        content_type = request.META.get("CONTENT_TYPE", "")
        media, _sep, params = content_type.partition(";")
        if media.strip().lower() in FORM_TYPES:
            charset = request.encoding or ""
            for param in params.split(";"):
                name, _eq, value = param.partition("=")
                if name.strip().lower() == "charset":
                    charset = value.strip().strip('"')
            if charset and charset.lower() not in FORM_CHARSETS:
                return "unsupported_charset", _("Isian formulir harus dikirim dalam UTF-8.")
            # Django parses the form once (CSRF reads it anyway); files stay untouched.
            try:
                values = [v for vs in request.POST.lists() for v in vs[1]]
            except (UnicodeDecodeError, ValueError):
                return "malformed_body", _("Isian formulir tidak dapat dibaca.")
            if any("\x00" in value for value in values):
                return "invalid_character", _("Isian berisi karakter yang tidak sah.")
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, ValueError) and NUL_MESSAGE in str(exception):
            return error_response(
                request,
                status=400,
                code="invalid_character",
                message=_("Isian berisi karakter yang tidak sah."),
            )
        return None


class SecurityHeaders:
    """Adds the Content-Security-Policy (``settings.CONTENT_SECURITY_POLICY``; empty: none)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy: str = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response


async def lifespan(receive: Receive, send: Send) -> None:
    """Acknowledges the ASGI lifespan protocol (Django has no start-up or shut-down work), so
    servers need not probe for it and warn."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


class BodyLimit:
    """ASGI wrapper: a request body larger than ``limit`` bytes gets a 413 before the
    application reads it, judged by its Content-Length and again as it streams in (a chunked
    body has none). The application then sees a disconnect and stops."""

    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await lifespan(receive, send)
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = None
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
        if declared is not None and (declared < 0 or declared > self.limit):
            await self._refuse(scope, send)
            return
        received = 0
        refused = False
        response_started = False

        async def limited_receive() -> Message:
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    refused = True
                    if not response_started:
                        await self._refuse(scope, send)
                    return {"type": "http.disconnect"}
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if refused:
                return  # the 413 has been sent; the application's late answer is dropped
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        await self.app(scope, limited_receive, tracking_send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        # No Django request exists yet, so the language comes straight from the header.
        megabytes = self.limit // (1024 * 1024)
        languages = dict(scope.get("headers", ())).get(b"accept-language", b"")
        message = (
            f"The request body exceeds the limit of {megabytes} MB."
            if languages.lstrip().lower().startswith(b"en")
            else f"Isi permintaan melebihi batas {megabytes} MB."
        )
        body = json.dumps({"error": {"code": "body_too_large", "message": message}}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
