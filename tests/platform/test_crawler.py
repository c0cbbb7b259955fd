"""The crawler: every page reachable from each persona's landing page, in Indonesian and in
English, through the test client. No page may answer 500, no internal link may be broken (404:
a page links a tool only to the roles it admits), no GET may write to the database, and no
English page may show an Indonesian sentence of the catalogue left untranslated."""

from __future__ import annotations

import html
import re
from collections import deque
from functools import cache
from importlib import import_module
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kotacerdas.accounts.landing import landing_url
from kotacerdas.accounts.models import User
from kotacerdas.notifications.models import Channel
from kotacerdas.notifications.services import mark_read, notify
from tests.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "kotacerdas"
# One account of every role of the demo (README), each with its own landing page and links.
PERSONAS = [
    None,  # anonymous
    "warga-demo",
    "diskominfo-kota",  # an OPD operator; Satu Data (opendata) staff
    "disdukcapil-kota",  # an OPD operator with the services desk
    "dlh-kota",  # an OPD operator; sensors and air quality
    "admin-kota",
    "calltaker-kota",
    "dispatcher-kota",
    "supervisor-kota",
    "pimpinan-kota",
    "penyedia-kota",  # an internet provider (wifi)
    "pokdarwis-kab",  # a tourism-village manager (economy)
    "produsen-kab",  # a producer (economy)
    "superadmin",
]
# Partners exist with their app's demo records (their village, business, provider).
PARTNER_DEMO = {"penyedia-kota": "wifi", "pokdarwis-kab": "economy", "produsen-kab": "economy"}
MAX_PAGES = 120  # per persona and language; one page per URL shape (digits, tokens folded)
SKIP = re.compile(r"^/(static|media|admin|i18n|jsi18n)/|/keluar/|/hapus/|/api/v1/docs")
LINK = re.compile(r"""<a\b[^>]*\bhref="([^"]+)\"""", re.IGNORECASE)
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


def _shape(path: str) -> str:
    return re.sub(r"/[0-9a-f]{16,}|/\d+", "/#", path)


@cache
def _untranslated_candidates() -> list[tuple[str, str]]:
    """Indonesian msgids with an English translation that differs, long enough not to be a
    name or an abbreviation shared by both languages."""
    pairs = []
    for po in SRC.glob("*/locale/en/LC_MESSAGES/django.po"):
        text = po.read_text(encoding="utf-8")
        for block in text.split("\n\n"):
            if "msgid_plural" in block or "#, fuzzy" in block:
                continue
            match = re.search(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n?)+)', block, re.M)
            if not match:
                continue
            msgid = "".join(re.findall(r'"(.*)"', match.group(1)))
            msgstr = "".join(re.findall(r'"(.*)"', match.group(2)))
            if not msgid or not msgstr or msgid == msgstr or "{" in msgid or "<" in msgid:
                continue
            app = po.parent.parent.parent.parent.name
            if "%" in msgid:
                # A message with parameters (a notification's, say): its longest literal run
                # between the parameters, when it is long enough to be a sentence.
                runs = re.split(r"%\(\w+\)[sdf]|%[sdf]|\\n", msgid)
                longest = max((r.strip(" .,:;") for r in runs), key=len)
                if len(longest.split()) >= 4 and longest not in msgstr:
                    pairs.append((longest.replace('\\"', '"'), app))
                continue
            if len(msgid.split()) >= 3:
                pairs.append((msgid.replace('\\"', '"'), app))
    return pairs


def _visible_text(page: str) -> str:
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    page = re.sub(r"(?s)<[^>]+>", " ", page)
    return re.sub(r"\s+", " ", html.unescape(page))


def _start_pages(user: User | None) -> list[str]:
    pages = ["/", "/kota-serang/", "/kabupaten-serang/", "/akun/masuk/"]
    if user is not None:
        pages += [landing_url(user), "/akun/profil/", "/akun/laporan-saya/"]
    return pages


def _crawl(client: Client, persona: str, starts: list[str], language: str) -> list[str]:
    problems: list[str] = []
    seen_shapes: set[str] = set()
    queue: deque[tuple[str, str]] = deque((url, "(start)") for url in starts)
    visited = 0
    candidates = _untranslated_candidates() if language == "en" else []
    while queue and visited < MAX_PAGES:
        url, referrer = queue.popleft()
        path = urlsplit(url).path
        shape = _shape(url)
        if shape in seen_shapes or SKIP.search(path):
            continue
        seen_shapes.add(shape)
        visited += 1
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        status = response.status_code
        # The database cache (the dashboard's figures) is a cache, not data: its rows may come
        # and go on any read.
        writes = [
            q["sql"][:120]
            for q in queries
            if WRITE.match(q["sql"]) and "kotacerdas_cache" not in q["sql"][:40]
        ]
        if writes:
            problems.append(f"{language} {persona}: GET {url} writes: {writes}")
        if status >= 500 or status == 404:
            problems.append(f"{language} {persona}: {url} -> {status} (linked from {referrer})")
            continue
        if status != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = response.content.decode("utf-8", errors="replace")
        if candidates:
            text = _visible_text(page)
            for msgid, app in candidates:
                if msgid in text:
                    problems.append(f"en {persona}: {url} shows untranslated ({app}): {msgid!r}")
        for raw_href in LINK.findall(page):
            href = html.unescape(raw_href)
            if href.startswith(("mailto:", "tel:", "javascript:", "#")):
                continue
            absolute, _fragment = urldefrag(urljoin(url, href))
            parts = urlsplit(absolute)
            if parts.netloc not in ("", "testserver"):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            queue.append((target, url))
    return problems


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("username", PERSONAS)
def test_every_reachable_page_works_and_is_translated(
    client: Client, username: str | None, language: str
) -> None:
    if username in PARTNER_DEMO:
        import_module(f"kotacerdas.{PARTNER_DEMO[username]}.demo").load_demo(password=DEMO_PASSWORD)
    user = User.objects.get(username=username) if username else None
    if user is not None:
        client.force_login(user)
        # A notice in the bell, so that the inbox is crawled with a stored message in it: it
        # must render in the page's language (a stored sentence would stay Indonesian). Read
        # already, so that the inbox links it (an unread one is a POST button) and the crawl
        # follows that link, which must not write either.
        notice = notify(
            key=f"crawler:{user.pk}",
            channel=Channel.INAPP,
            tenant=None,
            message="complaints.received",
            params={"ticket": "SRG-CRAWL", "due": "01-12-2026 10:00"},
            user=user,
        )
        assert notice is not None
        mark_read(user=user, pks=[notice.pk])
    client.cookies["django_language"] = language
    problems = _crawl(client, username or "anonim", _start_pages(user), language)
    assert not problems, "\n".join(problems)
