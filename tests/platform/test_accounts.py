"""The account pages every user needs: landing after sign-in, profile, password change and
reset, per-account lockout, own API tokens, and the citizen's "Laporan saya"."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from kotacerdas.accounts.models import ApiToken, User
from kotacerdas.accounts.services import api_token_create
from kotacerdas.notifications.services import deliver_due
from kotacerdas.tenants.models import Tenant
from tests.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/akun/masuk/"


def _sign_in(
    client: Client, username: str, password: str = DEMO_PASSWORD, ip: str = "10.0.0.1", **extra: Any
) -> TestResponse:
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip, **extra)


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("superadmin", "/admin/"),
        ("warga-demo", "/"),
        ("admin-kota", "/kota-serang/"),
        ("diskominfo-kab", "/kabupaten-serang/"),
    ],
)
def test_each_role_lands_on_its_own_work_after_sign_in(
    client: Client, username: str, expected: str
) -> None:
    response = _sign_in(client, username)
    assert response.status_code == 302
    location = response["Location"]
    user = User.objects.get(username=username)
    if user.tenant is not None:
        # Either the role's landing tool or its tenant's workspace, never the region picker.
        assert location.startswith(f"/{user.tenant.slug}/"), location
    else:
        assert location == expected


def test_sign_in_keeps_an_explicit_next(client: Client) -> None:
    response = client.post(
        f"{LOGIN}?next=/akun/profil/", {"username": "warga-demo", "password": DEMO_PASSWORD}
    )
    assert response["Location"] == "/akun/profil/"


def test_workspace_lists_every_tool_of_the_role(client: Client, ani: User, kota: Tenant) -> None:
    from kotacerdas.core.views import staff_entries

    client.force_login(ani)
    page = client.get(f"/{kota.slug}/").content.decode()
    for entry in staff_entries(ani, kota):
        assert reverse(entry["url"], args=[kota.slug]) in page


def test_profile_edits_name_email_and_phone(client: Client, dewi: User) -> None:
    client.force_login(dewi)
    response = client.post(
        "/akun/profil/",
        {
            "full_name": "Dewi Lestari",
            "email": "Dewi@Example.ID",
            "phone": "0812-9999-0001",
            "language": "en",
        },
    )
    assert response.status_code == 302
    dewi.refresh_from_db()
    assert (dewi.full_name, dewi.email, dewi.phone, dewi.language) == (
        "Dewi Lestari",
        "dewi@example.id",
        "+6281299990001",
        "en",
    )


def test_profile_refuses_an_email_of_another_account(client: Client, dewi: User, ani: User) -> None:
    client.force_login(dewi)
    response = client.post(
        "/akun/profil/",
        {"full_name": "Dewi", "email": ani.email.upper(), "phone": "", "language": "id"},
    )
    assert response.status_code == 200
    assert "sudah dipakai akun lain" in response.content.decode()
    dewi.refresh_from_db()
    assert dewi.email != ani.email


def test_password_change(client: Client, dewi: User) -> None:
    client.force_login(dewi)
    response = client.post(
        "/akun/kata-sandi/",
        {
            "old_password": DEMO_PASSWORD,
            "new_password1": "sandi-baru-yang-panjang",
            "new_password2": "sandi-baru-yang-panjang",
        },
    )
    assert response.status_code == 302
    dewi.refresh_from_db()
    assert dewi.check_password("sandi-baru-yang-panjang")


def _reset_link() -> str:
    deliver_due()
    body = str(mail.outbox[-1].body)
    match = re.search(r"https?://[^/\s]+(/akun/reset/[^\s]+/)", body)
    assert match, body
    return match.group(1)


def test_password_reset_by_email_in_the_users_language(client: Client, dewi: User) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.post("/akun/lupa-sandi/", {"email": dewi.email})
    assert response.status_code == 302
    link = _reset_link()
    assert mail.outbox[-1].subject == "Reset password"
    form = client.get(link, follow=True)
    assert form.status_code == 200
    set_url = form.redirect_chain[-1][0]
    done = client.post(
        set_url,
        {"new_password1": "kata-sandi-pulih-99", "new_password2": "kata-sandi-pulih-99"},
    )
    assert done.status_code == 302
    dewi.refresh_from_db()
    assert dewi.check_password("kata-sandi-pulih-99")
    # The link works once.
    assert "Invalid link" in client.get(link, follow=True).content.decode()


def test_password_reset_for_an_unknown_email_sends_nothing_and_says_the_same(
    client: Client,
) -> None:
    response = client.post("/akun/lupa-sandi/", {"email": "tidak-ada@example.id"})
    assert response.status_code == 302
    deliver_due()
    assert mail.outbox == []


def test_wrong_passwords_from_many_addresses_lock_the_account_for_a_while(
    client: Client, dewi: User
) -> None:
    for attempt in range(10):
        _sign_in(client, "warga-demo", "salah-salah", ip=f"10.0.{attempt}.1")
    # The right password from a fresh address is refused while the lock lasts, and the
    # identifier used does not matter (email or phone name the same account).
    for identifier in ("warga-demo", dewi.email, "0812-0000-0001"):
        response = _sign_in(client, identifier, ip="10.9.9.9")
        assert response.status_code == 429, identifier
    # The lock ends on time: failures during it do not extend it.
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=16), tick=False):
        assert _sign_in(client, "warga-demo", ip="10.9.9.9").status_code == 302


def test_password_reset_lifts_the_lock_at_once(client: Client, dewi: User) -> None:
    for attempt in range(10):
        _sign_in(client, "warga-demo", "salah-salah", ip=f"10.1.{attempt}.1")
    assert _sign_in(client, "warga-demo").status_code == 429
    client.post("/akun/lupa-sandi/", {"email": dewi.email})
    set_url = client.get(_reset_link(), follow=True).redirect_chain[-1][0]
    client.post(
        set_url, {"new_password1": "kata-sandi-pulih-77", "new_password2": "kata-sandi-pulih-77"}
    )
    client.logout()
    assert _sign_in(client, "warga-demo", "kata-sandi-pulih-77").status_code == 302


def test_owner_lists_and_revokes_their_own_tokens_only(
    client: Client, admin_kota: User, citra: User
) -> None:
    own, _raw = api_token_create(user=admin_kota, name="sistem antrean")
    other, _raw = api_token_create(user=citra, name="sistem lain")
    client.force_login(admin_kota)
    page = client.get("/akun/profil/").content.decode()
    assert "sistem antrean" in page and "sistem lain" not in page
    client.post(reverse("accounts:token_revoke", args=[other.pk]))
    client.post(reverse("accounts:token_revoke", args=[own.pk]))
    assert ApiToken.objects.get(pk=own.pk).revoked_at is not None
    assert ApiToken.objects.get(pk=other.pk).revoked_at is None


def test_my_reports_page_lists_the_citizens_items_and_needs_sign_in(
    client: Client, dewi: User
) -> None:
    assert client.get("/akun/laporan-saya/").status_code == 302
    client.force_login(dewi)
    response = client.get("/akun/laporan-saya/")
    assert response.status_code == 200
    assert "Laporan saya" in response.content.decode()


def test_my_reports_merges_every_app_hook_newest_first(
    dewi: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.apps import apps

    from kotacerdas.accounts import landing

    now = dt.datetime(2026, 11, 30, 9, tzinfo=dt.UTC)
    fake = {
        "complaints": [
            {"title": "A", "url": "/a", "status": "x", "updated_at": now, "tenant": "K"}
        ],
        "services": [
            {
                "title": "B",
                "url": "/b",
                "status": "y",
                "updated_at": now + dt.timedelta(1),
                "tenant": "K",
            }
        ],
    }
    for label, rows in fake.items():
        config = apps.get_app_config(label)
        monkeypatch.setattr(
            config, "citizen_items", f"tests.platform.test_accounts._{label}", raising=False
        )
        globals()[f"_{label}"] = lambda user, *, limit=20, rows=rows: rows
    titles = [item["title"] for item in landing.citizen_items(dewi)]
    assert titles[:2] == ["B", "A"]


def test_the_message_language_is_the_one_registered_in_then_the_one_switched_to(
    client: Client,
) -> None:
    client.cookies["django_language"] = "en"
    client.post(
        "/akun/daftar/",
        {"full_name": "Sari", "contact": "sari@example.com", "password": "bunga-melati-77"},
    )
    sari = User.objects.get(email="sari@example.com")
    assert sari.language == "en"
    client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    sari.refresh_from_db()
    assert sari.language == "id"
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    sari.refresh_from_db()
    assert sari.language == "id", "an unknown language changes nothing"
    anonymous = Client()
    assert anonymous.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302


def test_messages_follow_the_users_language_in_email_and_bell(
    kota: Tenant, admin_kota: User, dewi: User
) -> None:
    """A signed-in reporter hears in their stored language, whatever language the report was
    filed in; an anonymous reporter keeps the language of the session that filed it."""
    from kotacerdas.complaints import services
    from kotacerdas.complaints.models import Category
    from kotacerdas.notifications.models import Channel, Notification

    other = Category.objects.get(tenant=kota, code="lainnya")
    User.objects.filter(pk=dewi.pk).update(language="en")
    dewi.refresh_from_db()
    mine, _new = services.complaint_submit(
        tenant=kota,
        category=other,
        description="Lampu mati",
        address="Jl. A",
        reporter=dewi,
        language="id",
    )
    anonymous, _new = services.complaint_submit(
        tenant=kota,
        category=other,
        description="Lampu mati",
        address="Jl. A",
        reporter_email="anon@example.com",
        language="en",
    )
    indonesian, _new = services.complaint_submit(
        tenant=kota,
        category=other,
        description="Lampu mati",
        address="Jl. A",
        reporter_email="siti@example.com",
        language="id",
    )
    bell = Notification.objects.get(user=dewi, channel=Channel.INAPP)
    assert (bell.subject, bell.body) == ("", ""), "a message key and parameters, no sentence"
    assert bell.rendered("en")[0] == f"Report {mine.ticket} received"
    assert bell.rendered("id")[0] == f"Laporan {mine.ticket} diterima", "the reader's language"
    deliver_due()
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects[dewi.email] == f"Report {mine.ticket} received"
    assert subjects["anon@example.com"] == f"Report {anonymous.ticket} received"
    assert subjects["siti@example.com"] == f"Laporan {indonesian.ticket} diterima"
