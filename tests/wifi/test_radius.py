"""RADIUS accounting with real packets: pyrad's client sends Accounting-Requests over UDP to
the platform's server, which answers and builds sessions. The server runs in the test's thread
(so it sees the test's transaction); the client runs in another thread."""

from __future__ import annotations

import datetime as dt
import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection
from pyrad import packet
from pyrad.client import Client, Timeout

from kotacerdas.tenants.models import Tenant
from kotacerdas.wifi import selectors
from kotacerdas.wifi.models import Hotspot, RadiusClient, WifiSession
from kotacerdas.wifi.radius import DICTIONARY, AccountingServer
from kotacerdas.wifi.services import hash_identifier, sessions_close_stale, settings_for

SECRET = b"rahasia-nas-uji"
MAC = "AA-BB-CC-DD-EE-01"


@pytest.fixture
def server(kota: Tenant, alun: Hotspot) -> Iterator[AccountingServer]:
    RadiusClient.objects.create(
        tenant=kota, name="AP uji", ip_address="127.0.0.1", secret=SECRET.decode()
    )
    with AccountingServer(("127.0.0.1", 0)) as srv:
        srv.timeout = 5
        yield srv


def exchange(server: AccountingServer, *, secret: bytes = SECRET, **attributes: Any) -> Any:
    """Sends one Accounting-Request from a client thread; the server answers here. Returns the
    reply packet, or None when the server dropped it."""
    client = Client(
        server="127.0.0.1",
        acctport=server.server_address[1],
        secret=secret,
        dict=DICTIONARY,
        retries=1,
        timeout=2,
    )
    request = client.CreateAcctPacket()
    for name, value in attributes.items():
        request[name.replace("_", "-")] = value
    answer: dict[str, Any] = {}

    def send() -> None:
        try:
            answer["reply"] = client.SendPacket(request)
        except Timeout:
            answer["reply"] = None

    thread = threading.Thread(target=send)
    thread.start()
    server.handle_request()
    thread.join(10)
    client._CloseSocket()  # pyrad leaves its socket open otherwise
    return answer["reply"]


def common(status: str, **extra: Any) -> dict[str, Any]:
    return {
        "Acct_Status_Type": status,
        "Acct_Session_Id": "sesi-0001",
        "NAS_Identifier": "ap-alun",
        "Calling_Station_Id": MAC,
        "User_Name": "budi.santoso",
        **extra,
    }


def test_start_interim_stop_make_one_session_with_its_usage(
    server: AccountingServer, alun: Hotspot, kota: Tenant
) -> None:
    reply = exchange(server, **common("Start"))
    assert reply is not None and reply.code == packet.AccountingResponse
    exchange(
        server,
        **common(
            "Interim-Update",
            Acct_Input_Octets=1_000,
            Acct_Output_Octets=50_000,
            Acct_Session_Time=60,
        ),
    )
    exchange(
        server,
        **common(
            "Interim-Update",
            Acct_Input_Octets=3_000,
            Acct_Output_Octets=2**31,
            Acct_Output_Gigawords=1,
            Acct_Session_Time=120,
        ),
    )
    exchange(
        server,
        **common(
            "Stop",
            Acct_Input_Octets=4_000,
            Acct_Output_Octets=10,
            Acct_Output_Gigawords=2,
            Acct_Session_Time=300,
            Acct_Terminate_Cause="User-Request",
        ),
    )
    # a retransmitted Stop is answered and changes nothing
    assert exchange(server, **common("Stop", Acct_Session_Time=300)) is not None
    session = WifiSession.objects.get(hotspot=alun)
    assert session.input_octets == 4_000
    assert session.output_octets == 2 * 2**32 + 10
    assert session.session_time_s == 300
    assert session.stopped_at is not None and session.stop_cause == "User-Request"
    assert server.counters.by_type == {"Start": 1, "Interim-Update": 2, "Stop": 2}


def test_identifiers_are_stored_only_as_keyed_hashes(
    server: AccountingServer, alun: Hotspot, kota: Tenant
) -> None:
    exchange(server, **common("Start"))
    session = WifiSession.objects.get(hotspot=alun)
    secret = settings_for(kota).hash_secret
    assert session.device_hash == hash_identifier(secret, "aa:bb:cc:dd:ee:01")
    assert session.user_hash == hash_identifier(secret, "budi.santoso")
    # nothing in any column of any wifi table holds the MAC address or the user name
    with connection.cursor() as cursor:
        for model in (WifiSession, Hotspot):
            table = model._meta.db_table
            cursor.execute(f"SELECT * FROM {table}")
            dump = repr(cursor.fetchall()).lower()
            for secret_value in ("aa-bb-cc-dd-ee-01", "aa:bb:cc", "aabbccddee01", "budi.santoso"):
                assert secret_value not in dump


def test_a_wrong_secret_or_unknown_nas_gets_no_answer_and_stores_nothing(
    server: AccountingServer, alun: Hotspot
) -> None:
    assert exchange(server, secret=b"salah", **common("Start")) is None
    assert server.counters.bad_authenticator == 1
    assert exchange(server, **common("Start", NAS_Identifier="ap-asing")) is None
    assert server.counters.rejected == 1
    assert not WifiSession.objects.exists()


def test_a_lost_stop_is_closed_by_the_timeout(
    server: AccountingServer, alun: Hotspot, kota: Tenant, time_machine: Callable[..., Any]
) -> None:
    exchange(server, **common("Start"))
    exchange(server, **common("Interim-Update", Acct_Session_Time=60, Acct_Input_Octets=10))
    session = WifiSession.objects.get(hotspot=alun)
    assert sessions_close_stale(now=session.updated_at + dt.timedelta(minutes=29)) == 0
    assert sessions_close_stale(now=session.updated_at + dt.timedelta(minutes=31)) == 1
    session.refresh_from_db()
    assert session.stop_cause == "timeout"
    assert session.stopped_at == session.updated_at
    # the next session with the same counter after a NAS reboot is a new one
    exchange(server, **common("Start"))
    assert WifiSession.objects.filter(hotspot=alun).count() == 2


def test_usage_per_day_counts_sessions_and_unique_devices(
    server: AccountingServer, alun: Hotspot, kota: Tenant
) -> None:
    for n, mac in enumerate(["AA-00-00-00-00-01", "AA-00-00-00-00-02", "aa:00:00:00:00:01"]):
        exchange(server, **common("Start", Acct_Session_Id=f"s{n}", Calling_Station_Id=mac))
    session = WifiSession.objects.filter(hotspot=alun).earliest("started_at")
    start = session.started_at - dt.timedelta(hours=1)
    end = session.started_at + dt.timedelta(hours=1)
    days = selectors.usage_by_day(kota, start, end)
    assert sum(d["sessions"] for d in days) == 3
    assert selectors.devices_in(kota, start, end) == 2


def test_waiting_packets_share_one_transaction_and_a_failing_one_costs_only_itself(
    server: AccountingServer, alun: Hotspot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Six Starts are waiting when the server wakes: it applies them in one batch (one commit)
    and answers them after it; the one the database refuses is neither stored nor answered,
    so its NAS retransmits it, and the other five are not held back."""
    from django.db import DatabaseError

    from kotacerdas.wifi import radius

    client = Client(server="127.0.0.1", secret=SECRET, dict=DICTIONARY)
    nas = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    nas.bind(("127.0.0.1", 0))
    for i in range(6):
        request = client.CreateAcctPacket()
        for name, value in common("Start", Acct_Session_Id=f"sesi-{i}").items():
            request[name.replace("_", "-")] = value
        nas.sendto(request.RequestPacket(), server.server_address)

    from kotacerdas.wifi.services import accounting_record as original

    def refused_for_the_fourth(**kwargs: Any) -> Any:
        if kwargs["acct"].session_id == "sesi-3":
            raise DatabaseError("disk penuh")
        return original(**kwargs)

    monkeypatch.setattr(radius, "accounting_record", refused_for_the_fourth)
    batches: list[int] = []
    handle_batch = server.handle_batch

    def counted(batch: list[tuple[bytes, Any]]) -> None:
        batches.append(len(batch))
        handle_batch(batch)

    monkeypatch.setattr(server, "handle_batch", counted)
    server.handle_request()
    assert batches == [6]
    nas.setblocking(False)
    replies = []
    while True:
        try:
            replies.append(nas.recv(4096))
        except BlockingIOError:
            break
    nas.close()
    assert len(replies) == 5
    assert sorted(
        WifiSession.objects.filter(hotspot=alun).values_list("session_id", flat=True)
    ) == [f"sesi-{i}" for i in (0, 1, 2, 4, 5)]
    assert server.counters.by_type == {"Start": 5}


def test_an_answer_to_a_vanished_nas_does_not_stop_the_server(
    server: AccountingServer, alun: Hotspot
) -> None:
    """A NAS that closed its port before the answer arrived makes the kernel report "port
    unreachable" on the server's next read; the packets waiting behind it are still served."""
    client = Client(server="127.0.0.1", secret=SECRET, dict=DICTIONARY)
    gone = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    request = client.CreateAcctPacket()
    for name, value in common("Start", Acct_Session_Id="sesi-hilang").items():
        request[name.replace("_", "-")] = value
    gone.sendto(request.RequestPacket(), server.server_address)
    gone.close()
    server.handle_request()  # answers a closed port: ICMP port unreachable comes back
    assert exchange(server, **common("Start", Acct_Session_Id="sesi-baru")) is not None
    assert WifiSession.objects.filter(hotspot=alun).count() == 2
