"""Round trips of the hot paths (issue #12), the per-process configuration cache and its
invalidation (in this process and from another one), the public feed cache, and the Open311
page built by PostgreSQL."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

import orjson
import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries, Settings

from kotacerdas.accounts.models import User
from kotacerdas.complaints import config, services
from kotacerdas.complaints.models import Category, Complaint, Open311Key, Photo, Status
from kotacerdas.complaints.open311 import feed as open311_feed
from kotacerdas.complaints.open311 import feed_sql as open311_sql
from kotacerdas.tenants.models import Opd, Tenant
from tests.complaints.conftest import jpeg_with_gps
from tests.complaints.test_views import report_data, url

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

BASE = "/open311/v2"
JUR = "serangkota.go.id"


def open311_key() -> str:
    out = io.StringIO()
    call_command("create_open311_key", "--tenant", "36.73", stdout=out)
    return out.getvalue().strip().splitlines()[-1]


def open311_post(client: Client, key: str, **extra: str) -> TestResponse:
    data = {
        "jurisdiction_id": JUR,
        "api_key": key,
        "service_code": "pju",
        "lat": "-6.1235",
        "long": "106.149",
        "description": "Lampu mati",
        "attribute[jumlah_lampu]": "1",
        **extra,
    }
    return client.post(f"{BASE}/requests.json", data)


def test_open311_post_is_five_round_trips_once_the_configuration_is_cached(
    client: Client, kota: Tenant, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    key = open311_key()
    assert open311_post(client, key).status_code == 200  # loads the tenant's configuration
    # BEGIN, the complaint, its event, its number (the counter's UPDATE … RETURNING and the
    # complaint's ticket in one statement on PostgreSQL, two on SQLite), COMMIT; inside the
    # test's own transaction, BEGIN and COMMIT are a SAVEPOINT and its RELEASE
    with django_assert_num_queries(5 if connection.vendor == "postgresql" else 6):
        response = open311_post(client, key)
    assert response.status_code == 200
    assert Complaint.objects.filter(ticket=json.loads(response.content)[0]["service_request_id"])


def statements(context: CaptureQueriesContext) -> list[str]:
    """The statements sent, without the SAVEPOINT/RELEASE pairs that the test's own transaction
    turns each BEGIN/COMMIT into (BEGIN and COMMIT are not captured outside tests either)."""
    return [
        q["sql"]
        for q in context.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]


def test_citizen_web_form_submission_makes_at_most_ten_queries(
    client: Client, pju: Category, kota: Tenant, settings: Settings
) -> None:
    settings.COMPLAINTS_CONFIG_RECHECK_SECONDS = 60  # no recheck in the middle of the count
    other = Client()
    other.get(url("report"))  # the process caches the tenant's configuration
    # elsewhere: the reports below find no similar report nearby (they still look)
    warm = other.post(
        url("report"), report_data(pju, idempotency_key="w", lat="-6.0", long="106.0")
    )
    assert warm.status_code == 302, warm.context["form"].errors
    client.get(url("report"))
    with CaptureQueriesContext(connection) as context:
        response = client.post(url("report"), report_data(pju))
    assert response.status_code == 302
    # the tenant, the replay check (view and service), nearby reports, the complaint, its event,
    # its number (one statement on PostgreSQL, two on SQLite), and the new browser session
    # (does its key exist; insert)
    assert len(statements(context)) <= 10, statements(context)
    with CaptureQueriesContext(connection) as context:
        response = client.post(
            url("report"),
            {
                **report_data(pju, idempotency_key="form-token-2", lat="-6.2", long="106.2"),
                "photos": [jpeg_with_gps()],
            },
        )
    assert response.status_code == 302 and Complaint.objects.count() == 3
    assert len(statements(context)) <= 10, statements(context)


def test_revoked_key_and_deactivated_category_take_effect_at_once_in_this_process(
    client: Client, kota: Tenant
) -> None:
    key = open311_key()
    assert open311_post(client, key).status_code == 200
    services.category_other_ensure(tenant=kota)
    pju = config.config_for(kota).by_code["pju"]
    pju.is_active = False
    pju.save()
    assert open311_post(client, key).status_code == 404
    Open311Key.objects.update(revoked_at=timezone.now())  # no signal: say so
    config.config_changed()
    assert open311_post(client, key, service_code="lainnya").status_code == 403


@pytest.mark.skipif(
    "os.environ.get('DATABASE_URL', '').startswith('sqlite')",
    reason="the SQLite test database lives in this process's memory: no other process sees it",
)
def test_a_change_in_another_process_reaches_this_one_within_the_recheck_time(
    serang_after_flush: None, settings: Settings
) -> None:
    """Another process (a real one, with its own cache) revokes the key; this process, which
    cached it as valid, refuses it once it rechecks the shared version."""
    from kotacerdas.complaints.demo import load_categories

    load_categories()
    settings.COMPLAINTS_CONFIG_RECHECK_SECONDS = 600  # while the other process starts
    client = Client()
    key = open311_key()
    assert open311_post(client, key).status_code == 200
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kotacerdas.settings",
        "DATABASE_URL": f"postgresql://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
    }
    script = (
        "import django; django.setup()\n"
        "from django.utils import timezone\n"
        "from kotacerdas.complaints.models import Open311Key\n"
        "for key in Open311Key.objects.all():\n"
        "    key.revoked_at = timezone.now(); key.save()\n"
    )
    subprocess.run([sys.executable, "-c", script], env=env, check=True, timeout=120)
    assert open311_post(client, key).status_code == 200  # still cached here
    settings.COMPLAINTS_CONFIG_RECHECK_SECONDS = 0.5
    time.sleep(0.6)
    assert open311_post(client, key).status_code == 403


# --- the public feed cache -----------------------------------------------------------------


def feed(client: Client, **headers: str) -> TestResponse:
    return client.get(f"{BASE}/requests.json", {"jurisdiction_id": JUR}, headers=headers)


def test_public_feed_carries_etag_and_cache_control_and_answers_304(
    client: Client, kota: Tenant, pju: Category, settings: Settings
) -> None:
    settings.OPEN311_FEED_FRESH_SECONDS, settings.OPEN311_FEED_STALE_SECONDS = 5, 60
    services.complaint_submit(tenant=kota, category=pju, description="Lampu", address="Jl. A")
    first = feed(client)
    assert first.status_code == 200 and len(json.loads(first.content)) == 1
    assert first["Cache-Control"] == "public, max-age=5, stale-while-revalidate=55"
    again = feed(client, if_none_match=first["ETag"])
    assert again.status_code == 304 and again["ETag"] == first["ETag"] and not again.content
    other = feed(client, if_none_match='"something-else"')
    assert other.status_code == 200 and other.content == first.content


def test_stale_feed_is_served_at_once_and_rebuilt_in_the_background(
    serang_after_flush: None, settings: Settings
) -> None:
    """Transactional: the rebuild runs in its own thread, on its own database connection."""
    from kotacerdas.complaints.demo import load_categories

    load_categories()
    kota = Tenant.objects.get(region_id="36.73")
    pju = Category.objects.get(tenant=kota, code="pju")
    settings.OPEN311_FEED_FRESH_SECONDS, settings.OPEN311_FEED_STALE_SECONDS = 1, 60
    client = Client()
    services.complaint_submit(tenant=kota, category=pju, description="Satu", address="Jl. A")
    assert len(json.loads(feed(client).content)) == 1
    services.complaint_submit(tenant=kota, category=pju, description="Dua", address="Jl. B")
    assert len(json.loads(feed(client).content)) == 1  # fresh: as built
    time.sleep(1.1)
    stale = feed(client)  # served as it was, and starts the rebuild
    assert len(json.loads(stale.content)) == 1
    assert stale["Cache-Control"] == "public, max-age=0, stale-while-revalidate=59"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(json.loads(feed(client).content)) == 1:
        time.sleep(0.05)
    assert len(json.loads(feed(client).content)) == 2


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_deep_pages_by_keyset_follow_the_link_header(
    client: Client, kota: Tenant, pju: Category, fmt: str, settings: Settings
) -> None:
    settings.OPEN311_FEED_STALE_SECONDS = 0
    for i in range(5):
        services.complaint_submit(tenant=kota, category=pju, description=f"A{i}", address="Jl.")
    by_offset = [
        r.ticket for r in Complaint.objects.filter(tenant=kota).order_by("-created_at", "-pk")
    ]
    seen: list[str] = []
    target = f"{BASE}/requests.{fmt}?jurisdiction_id={JUR}&page_size=2"
    while target:
        response = client.get(target)
        assert response.status_code == 200
        if fmt == "json":
            seen += [i["service_request_id"] for i in json.loads(response.content)]
        else:
            seen += [
                e.text or ""
                for e in ET.fromstring(response.content).iter("service_request_id")  # noqa: S314
            ]
        link = response.get("Link", "")
        target = link[1 : link.index(">")] if link else ""
    assert seen == by_offset
    for bad in ("x", "1_", "1_2_3", "9999999999999999999_1", "\uff11_1"):
        response = client.get(f"{BASE}/requests.json", {"jurisdiction_id": JUR, "after": bad})
        assert response.status_code == 400, bad


def test_errors_are_never_cached(client: Client, kota: Tenant, settings: Settings) -> None:
    assert client.get(f"{BASE}/requests.json", {"jurisdiction_id": "nowhere"}).status_code == 404
    response = client.get(f"{BASE}/requests.json", {"jurisdiction_id": JUR, "page": "0"})
    assert response.status_code == 400 and "ETag" not in response


# --- the page built by PostgreSQL ----------------------------------------------------------


@pytest.mark.skipif("os.environ.get('DATABASE_URL', '').startswith('sqlite')")
def test_page_built_in_postgresql_equals_the_page_built_in_python(
    kota: Tenant, pju: Category, sampah: Category, admin_kota: User
) -> None:
    complaints = [
        services.complaint_submit(
            tenant=kota, category=category, description=text, address=address, lat=lat, long=lng
        )[0]
        for category, text, address, lat, lng in [
            (pju, "Lampu", "Jl. A", -6.12, 106.15),
            (sampah, "Sampah", "", -6.1, 106.1),
            (pju, "Gelap & <rawan> “malam”", "Jl. C", None, None),
        ]
    ]
    services.complaint_dispose(
        complaint=complaints[0],
        actor=admin_kota,
        opds=[Opd.objects.get(tenant=kota, acronym="Dishub"), Opd.objects.get(category=pju)],
    )
    services.complaint_decline(complaint=complaints[1], actor=admin_kota, reason="Jalan nasional")
    Photo.objects.create(
        complaint=complaints[2], image="a.jpg", original="a.jpg", width=1, height=1
    )
    Photo.objects.create(complaint=complaints[1], original="b.jpg")  # not re-encoded yet
    assert Complaint.objects.filter(status=Status.BUKAN_WEWENANG).count() == 1
    for language in ("id", "en"):
        request = RequestFactory().get(
            f"{BASE}/requests.json", {"jurisdiction_id": JUR}, HTTP_ACCEPT_LANGUAGE=language
        )
        page = open311_feed.public_requests(kota).order_by("-created_at", "-pk")[:1000]
        built = orjson.loads(open311_sql.page_json(page, request, kota)[0])
        assert built == open311_feed.request_items(page, request, kota)
        assert [item["media_url"] is not None for item in built] == [True, False, False]
        assert reverse("complaints:photo", args=[kota.slug, 1]).split("1")[0] in str(built)
