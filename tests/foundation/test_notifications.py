"""The notification outbox: notify() writes, deliver_due() sends through a real SMTP server
(aiosmtpd, started here on a free port), retries with backoff, and gives up visibly."""

from __future__ import annotations

import datetime as dt
import email
import re
import socket
import threading
from collections.abc import Callable, Iterator
from email.message import Message
from functools import partial
from typing import Any

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.db.models import QuerySet
from django.test import Client
from django.utils import timezone

from kotacerdas.accounts.models import User
from kotacerdas.core.messages import Params, text
from kotacerdas.notifications.models import Channel, Notification, Status, Unsubscribe
from kotacerdas.notifications.services import deliver_due, notify
from kotacerdas.tenants.models import Tenant

PLAIN = "tests.plain"


@text(PLAIN)
def plain(params: Params) -> tuple[str, str]:
    """The outbox's own tests: a message whose text is its parameters."""
    return str(params["subject"]), str(params["body"])


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(  # noqa: N802 - aiosmtpd's hook name
        self, server: Any, session: Any, envelope: Any
    ) -> str:
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"

    def subjects(self) -> list[str]:
        return sorted(str(m["Subject"]) for m in self.messages)


class SmtpServer:
    """A real SMTP server on a free local port that can be stopped and started again."""

    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.inbox = Inbox()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        assert self.controller is not None
        self.controller.stop()
        self.controller = None


@pytest.fixture
def smtp(settings: Any) -> Iterator[SmtpServer]:
    server = SmtpServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.SITE_URL = "https://kota.example.go.id"
    server.start()
    yield server
    if server.controller is not None:
        server.stop()


def _plain(
    key: str,
    *,
    tenant: Tenant | None,
    channel: str = Channel.INAPP,
    subject: str = "a",
    body: str = "b",
    **recipient: Any,
) -> Notification | None:
    """``notify()`` with the PLAIN message: ``recipient`` is ``user=``/``email=`` and the rest."""
    return notify(
        key=key,
        channel=channel,
        tenant=tenant,
        message=PLAIN,
        params={"subject": subject, "body": body},
        **recipient,
    )


Send = Callable[..., Notification | None]


@pytest.fixture
def send(kota: Tenant) -> Send:
    """Queues a PLAIN message of Kota Serang: ``send("k1", user=dewi, subject="Kabar")``."""
    return partial(_plain, tenant=kota)


def _queue(n: int, tenant: Tenant | None, prefix: str = "m") -> None:
    for i in range(n):
        _plain(
            f"test:{prefix}{i}",
            tenant=tenant,
            channel=Channel.EMAIL,
            subject=f"{prefix}{i}",
            body="Laporan Anda sudah ditindaklanjuti.",
            email=f"warga{i}@example.id",
        )


# --- notify ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_key_is_queued_once(send: Send, dewi: User) -> None:
    first = send("k1", user=dewi)
    again = send("k1", user=dewi)
    assert first is not None
    assert again is None
    assert Notification.objects.filter(key="k1").count() == 1


@pytest.mark.django_db
def test_a_duplicate_key_does_not_spoil_the_callers_transaction(
    send: Send, monkeypatch: pytest.MonkeyPatch
) -> None:
    with transaction.atomic():
        assert send("k2", channel=Channel.EMAIL, email="x@e.id")
        # As when a concurrent writer commits the same key between the check and the insert:
        monkeypatch.setattr(QuerySet, "exists", lambda self: False)
        assert send("k2", channel=Channel.EMAIL, email="x@e.id") is None
        monkeypatch.undo()
        # The caller's transaction is still usable.
        assert send("k3", channel=Channel.EMAIL, email="y@e.id")
    assert Notification.objects.filter(key__in=["k2", "k3"]).count() == 2


@pytest.mark.django_db
def test_email_without_an_address_is_not_queued_and_inapp_needs_a_user(send: Send) -> None:
    nobody = User.objects.create_user(username="tanpa-surel", password="x" * 12)
    assert send("k4", channel=Channel.EMAIL, user=nobody) is None
    with pytest.raises(ValueError, match="needs a user"):
        send("k5")
    assert not Notification.objects.filter(key__in=["k4", "k5"]).exists()


# --- delivery through a real SMTP server ----------------------------------------------------


@pytest.mark.django_db
def test_every_message_arrives_once_across_an_smtp_outage(smtp: SmtpServer, kota: Tenant) -> None:
    _queue(6, kota)
    assert deliver_due(limit=2).sent == 2  # the server is up: two go out
    smtp.stop()  # the mail server goes down mid-run
    down = deliver_due(limit=10)
    assert (down.sent, down.retried, down.dead) == (0, 4, 0)
    waiting = Notification.objects.filter(status=Status.FAILED)
    assert waiting.count() == 4
    assert all(n.attempts == 1 and n.last_error for n in waiting)
    # Nothing is due before the backoff has passed: no hammering of a dead server.
    assert deliver_due(limit=10).total == 0
    smtp.start()
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=2), tick=False):
        assert deliver_due(limit=10).sent == 4
        assert deliver_due(limit=10).total == 0
    assert smtp.inbox.subjects() == [f"m{i}" for i in range(6)]
    assert set(Notification.objects.values_list("status", flat=True)) == {Status.SENT}
    message = smtp.inbox.messages[0]
    assert message["Auto-Submitted"] == "auto-generated"
    assert "ditindaklanjuti" in message.get_payload()


@pytest.mark.django_db
def test_a_message_is_dead_after_the_last_attempt_and_staff_see_it(  # noqa: PLR0917 - fixtures
    smtp: SmtpServer, settings: Any, kota: Tenant, admin_kota: User, admin_kab: User, ani: User
) -> None:
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    _queue(1, kota, prefix="lost")
    smtp.stop()
    assert deliver_due().retried == 1
    with time_machine.travel(timezone.now() + dt.timedelta(hours=1), tick=False):
        assert deliver_due().dead == 1
    lost = Notification.objects.get(key="test:lost0")
    assert (lost.status, lost.attempts) == (Status.DEAD, 2)

    client = Client()
    client.force_login(admin_kota)
    page = client.get(f"/{kota.slug}/notifikasi/")
    assert page.status_code == 200
    assert "lost0" in page.content.decode()
    for other in (admin_kab, ani):  # another tenant's administrator, an operator
        client.force_login(other)
        assert client.get(f"/{kota.slug}/notifikasi/").status_code == 404
        assert client.post(f"/{kota.slug}/notifikasi/{lost.pk}/kirim-ulang/").status_code == 404

    client.force_login(admin_kota)
    assert client.post(f"/{kota.slug}/notifikasi/{lost.pk}/kirim-ulang/").status_code == 302
    smtp.start()
    assert deliver_due().sent == 1
    assert smtp.inbox.subjects() == ["lost0"]


@pytest.mark.django_db
def test_the_worker_command_delivers_what_is_due(smtp: SmtpServer, kota: Tenant) -> None:
    _queue(3, kota, prefix="cmd")
    call_command("deliver_notifications", "--once", "--batch", "2")
    assert smtp.inbox.subjects() == ["cmd0", "cmd1", "cmd2"]


# --- unsubscribe ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_one_click_unsubscribe_stops_later_mail_about_that_scope(
    smtp: SmtpServer, send: Send
) -> None:
    def mail(key: str, scope: str) -> Notification | None:
        return send(
            key,
            channel=Channel.EMAIL,
            subject=key,
            body="Ada kabar baru.",
            email="Warga@Example.id",
            url="/kota-serang/aduan/",
            unsubscribe_scope=scope,
        )

    assert mail("u1", "complaint:1")
    deliver_due()
    (message,) = smtp.inbox.messages
    header = re.sub(r"\s+", "", str(message["List-Unsubscribe"]))  # unfold a long header
    link = re.fullmatch(
        r"<(https://kota\.example\.go\.id/akun/notifikasi/berhenti/[^>]+/)>", header
    )
    assert link is not None
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    body = message.get_payload()
    assert link.group(1) in body
    assert "https://kota.example.go.id/kota-serang/aduan/" in body

    path = link.group(1).removeprefix("https://kota.example.go.id")
    client = Client(enforce_csrf_checks=True)
    assert client.get(path).status_code == 200  # a link scanner's visit changes nothing
    assert not Unsubscribe.objects.exists()
    assert mail("u2", "complaint:1")  # still subscribed: queued, then dropped on unsubscribe
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Notification.objects.get(key="u2").status == Status.DEAD
    assert mail("u3", "complaint:1") is None
    assert mail("u4", "complaint:2") is not None  # another scope still arrives
    assert client.post(path[:-5] + "xxxx/").status_code == 404  # a tampered token


# --- the bell and the inbox -----------------------------------------------------------------


@pytest.mark.django_db
def test_the_bell_counts_unread_notices_and_the_inbox_marks_them_read(
    client: Client, send: Send, kota: Tenant, dewi: User, ani: User
) -> None:
    mine = send("bell1", user=dewi, subject="Laporan Anda selesai", url=f"/{kota.slug}/")
    send("bell2", user=dewi, subject="Kabar 2")
    theirs = send("bell3", user=ani)
    assert mine is not None and theirs is not None

    assert 'class="bell"' not in client.get("/").content.decode()  # signed out: no bell
    client.force_login(dewi)
    assert 'data-unread="2"' in client.get("/").content.decode()
    inbox = client.get("/akun/notifikasi/").content.decode()
    assert "Laporan Anda selesai" in inbox and "Kabar 2" in inbox
    client.post("/akun/notifikasi/baca-semua/")
    assert "data-unread" not in client.get("/").content.decode()
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert client.get("/akun/notifikasi/?sebelum=abc").status_code == 404


@pytest.mark.django_db
def test_opening_a_notice_marks_it_read_only_by_a_post_with_its_csrf_token(
    send: Send, kota: Tenant, dewi: User, ani: User
) -> None:
    mine = send("open1", user=dewi, subject="Laporan Anda selesai", url=f"/{kota.slug}/")
    theirs = send("open2", user=ani)
    assert mine is not None and theirs is not None
    client = Client(enforce_csrf_checks=True)
    client.force_login(dewi)
    path = f"/akun/notifikasi/{mine.pk}/"
    # A GET (a link prefetcher, a crawler, a mail scanner) follows the link and writes nothing.
    followed = client.get(path)
    assert followed.status_code == 302 and followed["Location"] == f"/{kota.slug}/"
    assert Notification.objects.get(pk=mine.pk).read_at is None
    assert client.post(path).status_code == 403  # no CSRF token: refused, still unread
    assert Notification.objects.get(pk=mine.pk).read_at is None

    inbox = client.get("/akun/notifikasi/").content.decode()
    assert f'<form method="post" action="{path}"' in inbox
    token = client.cookies["csrftoken"].value
    opened = client.post(path, {"csrfmiddlewaretoken": token})
    assert opened.status_code == 302 and opened["Location"] == f"/{kota.slug}/"
    assert Notification.objects.get(pk=mine.pk).read_at is not None
    assert f'<a href="{path}">' in client.get("/akun/notifikasi/").content.decode()
    # Ani's notice: a 404 to Dewi, read or not.
    assert client.get(f"/akun/notifikasi/{theirs.pk}/").status_code == 404
    assert (
        client.post(f"/akun/notifikasi/{theirs.pk}/", {"csrfmiddlewaretoken": token}).status_code
        == 404
    )
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_the_inbox_needs_a_signed_in_user(client: Client, db: Any) -> None:
    response = client.get("/akun/notifikasi/")
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


# --- several workers on PostgreSQL ----------------------------------------------------------


@pytest.mark.postgres
def test_workers_in_parallel_send_each_message_once(
    serang_after_flush: Any, smtp: SmtpServer
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED needs PostgreSQL")
    tenant = Tenant.objects.get(region_id="36.73")
    _queue(24, tenant, prefix="p")
    start = threading.Barrier(3)
    errors: list[str] = []

    def worker() -> None:
        try:
            start.wait()
            while deliver_due(limit=3).total:
                pass
        except Exception as error:  # pragma: no cover - reported below
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert smtp.inbox.subjects() == sorted(f"p{i}" for i in range(24))
    assert Notification.objects.filter(status=Status.SENT).count() == 24


# --- message keys: rendered when read, in the reader's language -------------------------------


@pytest.mark.django_db
def test_the_bell_stores_a_key_and_shows_it_in_the_viewers_language(
    client: Client, kota: Tenant, dewi: User
) -> None:
    notice = notify(
        key="lang1",
        channel=Channel.INAPP,
        tenant=kota,
        message="complaints.received",
        params={"ticket": "SRG-1", "due": "01-12-2026 10:00"},
        user=dewi,
    )
    assert notice is not None
    notice.refresh_from_db()
    assert (notice.subject, notice.body, notice.message_key) == ("", "", "complaints.received")
    assert notice.params == {"ticket": "SRG-1", "due": "01-12-2026 10:00"}
    client.force_login(dewi)
    indonesian = client.get("/akun/notifikasi/").content.decode()
    assert "Laporan SRG-1 diterima" in indonesian and "01-12-2026 10:00" in indonesian
    client.cookies["django_language"] = "en"
    english = client.get("/akun/notifikasi/").content.decode()
    assert "Report SRG-1 received" in english and "Laporan SRG-1 diterima" not in english


@pytest.mark.django_db
def test_an_email_is_rendered_when_sent_in_the_recipients_language(
    kota: Tenant, dewi: User, mailoutbox: list[Any]
) -> None:
    User.objects.filter(pk=dewi.pk).update(language="en")
    dewi.refresh_from_db()
    notify(
        key="lang2",
        channel=Channel.EMAIL,
        tenant=kota,
        message="complaints.received",
        params={"ticket": "SRG-2", "due": "01-12-2026 10:00"},
        user=dewi,
        url="/kota-serang/aduan/",
        unsubscribe_scope="complaint:2",
    )
    notify(
        key="lang3",
        channel=Channel.EMAIL,
        tenant=kota,
        message="complaints.received",
        params={"ticket": "SRG-3", "due": "01-12-2026 10:00"},
        email="warga@example.id",
        language="id",
    )
    assert Notification.objects.get(key="lang2").language == "en"
    deliver_due()
    sent = {m.to[0]: m for m in mailoutbox}
    english = sent[dewi.email]
    assert english.subject == "Report SRG-2 received"
    assert "Stop receiving" in english.body and "/kota-serang/aduan/" in english.body
    assert sent["warga@example.id"].subject == "Laporan SRG-3 diterima"


@pytest.mark.django_db
def test_a_row_from_before_keys_is_shown_and_sent_as_stored(
    client: Client, kota: Tenant, dewi: User, mailoutbox: list[Any]
) -> None:
    Notification.objects.create(
        key="old1", channel=Channel.INAPP, tenant=kota, user=dewi, subject="Kabar lama", body="Isi"
    )
    Notification.objects.create(
        key="old2",
        channel=Channel.EMAIL,
        tenant=kota,
        email="w@example.id",
        subject="Surel lama",
        body="Isi lama\n",
    )
    client.force_login(dewi)
    client.cookies["django_language"] = "en"
    assert "Kabar lama" in client.get("/akun/notifikasi/").content.decode()
    deliver_due()
    assert [(m.subject, m.body) for m in mailoutbox] == [("Surel lama", "Isi lama\n")]


@pytest.mark.django_db
def test_an_unknown_message_or_a_missing_parameter_fails_in_the_caller(
    kota: Tenant, dewi: User
) -> None:
    with pytest.raises(KeyError):
        notify(key="x1", channel=Channel.INAPP, tenant=kota, message="no.such", user=dewi)
    with pytest.raises(KeyError):
        notify(
            key="x2",
            channel=Channel.INAPP,
            tenant=kota,
            message="complaints.received",
            params={"ticket": "SRG-4"},
            user=dewi,
        )
    assert not Notification.objects.filter(key__in=["x1", "x2"]).exists()
