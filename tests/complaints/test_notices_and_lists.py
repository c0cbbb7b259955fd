"""The reporter hears of every public change (through the outbox, in their language, with one
stop link); "Laporan saya"; an OPD sends back what is not its authority; the inbox search
and keyset pages; query counts pinned on every list page and list endpoint."""

from __future__ import annotations

import re
from typing import Any

from django.core import mail
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from kotacerdas.accounts.landing import citizen_items
from kotacerdas.accounts.models import User
from kotacerdas.complaints import services
from kotacerdas.complaints.models import Category, Complaint, Status
from kotacerdas.notifications.models import Channel, Notification
from kotacerdas.notifications.services import deliver_due
from kotacerdas.tenants.models import Opd, Tenant
from tests.complaints.test_views import login, url
from tests.conftest import search


def _file(kota: Tenant, pju: Category, **extra: Any) -> Complaint:
    complaint, _created = services.complaint_submit(
        tenant=kota, category=pju, description="Lampu mati", address="Jl. A", **extra
    )
    return complaint


def test_reporter_is_told_of_each_public_change_in_their_language_and_can_stop(
    kota: Tenant, pju: Category, admin_kota: User, budi: User
) -> None:
    complaint = _file(kota, pju, reporter_email="siti@example.com", language="en")
    dishub = Opd.objects.get(tenant=kota, acronym="Dishub")
    services.complaint_hold(complaint=complaint, actor=admin_kota, note="internal")  # not public
    services.complaint_dispose(complaint=complaint, actor=admin_kota, opds=[dishub])
    services.response_add(complaint=complaint, actor=budi, body="On our way")
    services.response_add(complaint=complaint, actor=budi, body="internal", is_public=False)
    deliver_due()
    subjects = [m.subject for m in mail.outbox]
    assert len(subjects) == 3, subjects  # receipt, disposition, answer
    assert subjects[0] == f"Report {complaint.ticket} received"
    assert "Verified, waiting for the OPD" in subjects[1]
    assert "On our way" in mail.outbox[2].body and "internal" not in mail.outbox[2].body
    # One stop link per complaint: after it, nothing more about this complaint.
    link = re.search(
        r"http\S+/notifikasi/berhenti/\S+|http\S*berhenti\S*", str(mail.outbox[2].body)
    )
    assert link is not None, mail.outbox[2].body
    path = "/" + link.group(0).split("/", 3)[3]
    assert Client().post(path).status_code == 200
    services.complaint_resolve(complaint=complaint, actor=budi, note="Fixed")
    deliver_due()
    assert len(mail.outbox) == 3
    # The tracking link is in the receipt only for the reporter's own address.
    assert complaint.tracking_token in mail.outbox[0].body


def test_signed_in_reporter_gets_the_bell_and_laporan_saya(
    kota: Tenant, pju: Category, admin_kota: User, dewi: User
) -> None:
    complaint = _file(kota, pju, reporter=dewi)
    dishub = Opd.objects.get(tenant=kota, acronym="Dishub")
    services.complaint_dispose(complaint=complaint, actor=admin_kota, opds=[dishub])
    inapp = Notification.objects.filter(user=dewi, channel=Channel.INAPP)
    assert inapp.count() == 2  # receipt and disposition
    (item,) = [i for i in citizen_items(dewi) if i["app"] == "complaints"]
    assert item["title"].startswith(complaint.ticket)
    assert item["url"].endswith(f"/pantau/{complaint.tracking_token}/")
    assert item["status"] == "Terverifikasi, menunggu OPD"
    page = login(dewi).get("/akun/laporan-saya/")
    assert page.status_code == 200 and complaint.ticket in page.content.decode()


def test_opd_sends_back_a_complaint_that_is_not_its_authority(
    kota: Tenant, pju: Category, admin_kota: User, budi: User
) -> None:
    complaint = _file(kota, pju)
    dishub = Opd.objects.get(tenant=kota, acronym="Dishub")
    services.complaint_dispose(complaint=complaint, actor=admin_kota, opds=[dishub])
    response = login(budi).post(
        url("staff_detail", complaint.pk),
        {"action": "send_back", "note": "Jalan nasional, bukan Dishub kota"},
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.BARU and complaint.due_at == complaint.verify_due
    assert not complaint.dispositions.get(opd=dishub).is_active
    event = complaint.events.get(action="send_back")
    assert event.opd == dishub and event.note == "Jalan nasional, bukan Dishub kota"
    # Back in the administrator's triage; Dishub can no longer act on it.
    assert complaint.ticket in login(admin_kota).get(url("staff_inbox")).content.decode()
    again = login(budi).post(url("staff_detail", complaint.pk), {"action": "respond", "body": "x"})
    assert Complaint.objects.get(pk=complaint.pk).responses.count() == 0
    assert again.status_code in (302, 200)


def test_inbox_search_and_keyset_pages(
    kota: Tenant,
    pju: Category,
    sampah: Category,
    admin_kota: User,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    lamps = [_file(kota, pju) for _ in range(55)]
    rubbish = _file(kota, sampah)
    services.complaint_submit(
        tenant=kota, category=pju, description="Tiang roboh di Jl. Mawar", address="Jl. B"
    )
    staff = login(admin_kota)
    with django_assert_max_num_queries(14):
        first = staff.get(url("staff_inbox"))
    body = first.content.decode()
    assert body.count("/aduan/kelola/") >= 50
    next_url = search(r'href="(\?[^"]*setelah=\d+)"', body).group(1).replace("&amp;", "&")
    with django_assert_max_num_queries(14):
        second = staff.get(url("staff_inbox") + next_url).content.decode()
    shown = set(re.findall(r"SRG-\d{4}-\d{6}", body)) | set(re.findall(r"SRG-\d{4}-\d{6}", second))
    assert {c.ticket for c in [*lamps, rubbish]} <= shown
    found = staff.get(url("staff_inbox"), {"q": "mawar"}).content.decode()
    assert len(set(re.findall(r"SRG-\d{4}-\d{6}", found))) == 1
    by_ticket = staff.get(url("staff_inbox"), {"q": rubbish.ticket.lower()}).content.decode()
    assert set(re.findall(r"SRG-\d{4}-\d{6}", by_ticket)) == {rubbish.ticket}
    by_category = staff.get(url("staff_inbox"), {"category": sampah.pk}).content.decode()
    assert set(re.findall(r"SRG-\d{4}-\d{6}", by_category)) == {rubbish.ticket}
    dlh = Opd.objects.get(tenant=kota, acronym="DLH")
    services.complaint_dispose(complaint=rubbish, actor=admin_kota, opds=[dlh])
    by_opd = staff.get(url("staff_inbox"), {"opd": dlh.pk}).content.decode()
    assert set(re.findall(r"SRG-\d{4}-\d{6}", by_opd)) == {rubbish.ticket}


def test_public_list_and_api_inbox_page_by_keyset_with_pinned_queries(
    client: Client,
    kota: Tenant,
    pju: Category,
    admin_kota: User,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    complaints = [_file(kota, pju) for _ in range(65)]
    with django_assert_max_num_queries(8):
        first = client.get(url("public_list")).content.decode()
    first_page = set(re.findall(r"SRG-\d{4}-\d{6}", first))
    following = search(r'href="(\?setelah=\d+[^"]*)"', first).group(1).replace("&amp;", "&")
    with django_assert_max_num_queries(9):
        second = client.get(url("public_list") + following).content.decode()
    second_page = set(re.findall(r"SRG-\d{4}-\d{6}", second))
    assert len(first_page) == len(second_page) == 30 and not first_page & second_page

    staff = login(admin_kota)
    seen: list[int] = []
    after = None
    while True:
        params: dict[str, str | int] = {"tenant": "36.73", "limit": 20}
        if after:
            params["after"] = after
        with django_assert_max_num_queries(8):
            page = staff.get("/api/v1/complaints/inbox", params).json()
        seen += [row["id"] for row in page]
        if len(page) < 20:
            break
        after = page[-1]["id"]
    assert sorted(seen) == sorted(c.pk for c in complaints)
    bad = staff.get("/api/v1/complaints/inbox", {"tenant": "36.73", "limit": "500"})
    assert bad.status_code == 400


def test_a_new_tenant_offers_lainnya_in_both_languages_without_a_write_on_get(
    client: Client,
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kotacerdas.tenants.services import tenant_create

    tenant, _created = tenant_create(code="64.72", jurisdiction_id="samarindakota.go.id")
    other = Category.objects.get(tenant=tenant, code="lainnya")
    assert other.is_active and other.opd is None, "no OPD yet: the administrator's triage"
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/{tenant.slug}/aduan/lapor/")
    assert page.status_code == 200 and ">Lainnya<" in page.content.decode()
    assert not [q for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))]
    client.cookies["django_language"] = "en"
    english = client.get(f"/{tenant.slug}/aduan/lapor/").content.decode()
    assert ">Other<" in english and ">Lainnya<" not in english
    assert "Use my location" in english


def test_pin_only_report_shows_the_point_and_the_nearest_kelurahan(
    client: Client, kota: Tenant, pju: Category
) -> None:
    from kotacerdas.regions.models import Region

    Region.objects.filter(code="36.73.01.1002").update(center_lat="-6.1230", center_lng="106.1495")
    Region.objects.filter(code="36.73.01.1001").update(center_lat="-6.2000", center_lng="106.2000")
    complaint, _ = services.complaint_submit(
        tenant=kota, category=pju, description="Lampu mati", lat=-6.1235, long=106.149
    )
    page = client.get(url("ticket", complaint.ticket)).content.decode()
    near = Region.objects.get(code="36.73.01.1002").name
    assert "titik -6.12350, 106.14900" in page and f"dekat Kel./Desa {near}" in page


def test_other_list_pages_and_endpoints_have_pinned_query_counts(
    client: Client,
    kota: Tenant,
    pju: Category,
    admin_kota: User,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    for _ in range(12):
        _file(kota, pju)
    with django_assert_max_num_queries(6):
        assert client.get(url("public_home")).status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get("/api/v1/complaints/categories", {"tenant": "36.73"}).status_code == 200
    staff = login(admin_kota)
    with django_assert_max_num_queries(12):
        assert staff.get(url("statistics"), {"tahun": "2026"}).status_code == 200
    with django_assert_max_num_queries(8):
        assert staff.get(url("statistics"), {"tahun": "2026", "format": "xlsx"}).status_code == 200


def test_classification_is_stored_as_values_and_named_when_shown(
    kota: Tenant, pju: Category, admin_kota: User
) -> None:
    complaint = _file(kota, pju)
    services.complaint_classify(complaint=complaint, actor=admin_kota, severity="berat")
    event = complaint.events.get(action="classify")
    assert (event.note, event.data) == ("", {"severity": "berat"})
    page = login(admin_kota).get(url("staff_detail", complaint.pk)).content.decode()
    assert "tingkat: Berat" in page
