"""Public feeds from a short shared cache, refreshed outside the request (stale-while-revalidate).

A public feed (the Open311 request list) is the same for every client who asks the same thing,
so its body is kept in the default cache (shared by every process; Redis when ``CACHE_URL``
names it) for ``OPEN311_FEED_STALE_SECONDS``. For ``OPEN311_FEED_FRESH_SECONDS`` after it was
built it is served as it is; after that it is still served at once while one background thread
(one per feed across all processes, claimed with ``cache.add``) builds it again. Only a feed
that nobody asked for within the stale window is built inside a request.

Each process also keeps its own copy of the feeds it served (at most ``LOCAL_ENTRIES``), and
reads the shared cache again only once its copy is no longer fresh: a fresh hit costs no round
trip and no unpickling of a large body.

Each response carries an ``ETag`` (a client's ``If-None-Match`` gets a 304) and a
``Cache-Control`` that lets a reverse proxy keep it as long as this cache does. Only 200
responses are kept; errors are never cached.
"""

from __future__ import annotations

import hashlib
import io
import logging
import threading
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIRequest
from django.db import connections
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotModified
from django.utils import translation
from django.utils.http import urlencode

logger = logging.getLogger(__name__)

LOCAL_ENTRIES = 256
_local: dict[str, dict[str, Any]] = {}


def _keep(key: str, entry: dict[str, Any]) -> None:
    if len(_local) >= LOCAL_ENTRIES:
        _local.clear()  # rare: as many different feeds asked of one process within minutes
    _local[key] = entry


def _fresh(entry: dict[str, Any] | None) -> bool:
    return entry is not None and time.time() - entry["built"] < settings.OPEN311_FEED_FRESH_SECONDS


def _key(request: HttpRequest, language: str) -> str:
    query = urlencode(sorted((k, v) for k, values in request.GET.lists() for v in values))
    digest = hashlib.sha256(f"{request.path}?{query}|{language}".encode()).hexdigest()
    return f"feed:{digest}"


def _detached(request: HttpRequest) -> WSGIRequest:
    """A copy of what a feed reads from ``request`` (path, query, host, scheme), for a thread
    that outlives it."""
    return WSGIRequest(
        {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": request.path_info,
            "SCRIPT_NAME": request.META.get("SCRIPT_NAME", ""),
            "QUERY_STRING": request.META.get("QUERY_STRING", ""),
            "HTTP_HOST": request.get_host(),
            "SERVER_NAME": request.META.get("SERVER_NAME", "localhost"),
            "SERVER_PORT": str(request.META.get("SERVER_PORT", "80")),
            "wsgi.url_scheme": request.scheme or "http",
            "wsgi.input": io.BytesIO(),
        }
    )


def _entry(response: HttpResponse) -> dict[str, Any]:
    body = response.content
    return {
        "built": time.time(),
        "etag": '"' + hashlib.sha256(body).hexdigest()[:32] + '"',
        "content_type": response["Content-Type"],
        "link": response.get("Link"),
        "body": body,
    }


def _respond(request: HttpRequest, entry: dict[str, Any]) -> HttpResponseBase:
    fresh = settings.OPEN311_FEED_FRESH_SECONDS
    stale = settings.OPEN311_FEED_STALE_SECONDS
    age = max(0, int(time.time() - entry["built"]))
    response: HttpResponseBase
    if entry["etag"] in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(entry["body"], content_type=entry["content_type"])
    if entry["link"]:
        response["Link"] = entry["link"]
    response["ETag"] = entry["etag"]
    response["Age"] = str(age)
    response["Cache-Control"] = (
        f"public, max-age={max(0, fresh - age)}, stale-while-revalidate={max(0, stale - fresh)}"
    )
    return response


def forget() -> None:
    """Empties this process's copies (the shared cache is left as it is)."""
    _local.clear()


def feed_cache(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponseBase]:
    """Serves ``view``'s GET responses through the shared feed cache (see the module)."""

    def build(
        request: HttpRequest, args: Any, kwargs: Any, key: str
    ) -> tuple[HttpResponse, dict[str, Any] | None]:
        response = view(request, *args, **kwargs)
        if response.status_code != 200:
            return response, None
        entry = _entry(response)
        cache.set(key, entry, settings.OPEN311_FEED_STALE_SECONDS)
        _keep(key, entry)
        return response, entry

    def refresh(request: WSGIRequest, language: str, args: Any, kwargs: Any, key: str) -> None:
        try:
            with translation.override(language):
                build(request, args, kwargs, key)
        except Exception:
            logger.exception("feed refresh failed: %s", request.path)
        finally:
            cache.delete(key + ":refreshing")
            connections.close_all()  # this thread's own connections

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method != "GET" or settings.OPEN311_FEED_STALE_SECONDS <= 0:
            return view(request, *args, **kwargs)
        language = translation.get_language() or settings.LANGUAGE_CODE
        key = _key(request, language)
        entry = _local.get(key)
        if not _fresh(entry):
            shared = cache.get(key)  # another process may have rebuilt it
            if shared is not None and (entry is None or shared["built"] > entry["built"]):
                entry = shared
                _keep(key, entry)
            elif (
                entry is not None
                and time.time() - entry["built"] >= settings.OPEN311_FEED_STALE_SECONDS
            ):
                entry = None  # past the stale window: not served
        if entry is None:
            response, entry = build(request, args, kwargs, key)
            if entry is None:  # an error: as it is, never cached
                return response
        elif not _fresh(entry) and cache.add(
            key + ":refreshing", 1, settings.OPEN311_FEED_STALE_SECONDS
        ):
            threading.Thread(
                target=refresh,
                args=(_detached(request), language, args, kwargs, key),
                name="feed-refresh",
                daemon=True,
            ).start()
        return _respond(request, entry)

    wrapper.uncached = view  # type: ignore[attr-defined]
    return wrapper
