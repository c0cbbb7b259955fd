"""The leaders' read-only list of applications (issue #13): counts, status, service, dates and
OPD, never the applicant's NIK, KK, address or form; scoped to the tenant (and an OPD
operator's own OPD), filterable by days, status and SLA, paged by keyset."""

from __future__ import annotations

import datetime as dt
import re
import sys
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from kotacerdas.accounts.models import User
from kotacerdas.services.models import Application, Service, Status
from kotacerdas.tenants.models import Tenant
from tests.conftest import account

from .conftest import KK_NUMBER, WOMAN_NIK

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
NOW = dt.datetime(2026, 6, 20, 10, 0, tzinfo=WIB)
ADDRESS = "Jl. Rahasia Nomor 7"


def at(month: int, day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=WIB)


@pytest.fixture
def rows(catalogue: Any, kota: Tenant, dewi: User) -> dict[str, Application]:
    kk = Service.objects.get(tenant=kota, code="kk-baru")
    ak1 = Service.objects.get(tenant=kota, code="kartu-kuning")  # Disnakertrans

    def make(
        number: str, service: Service, submitted: dt.datetime | None, **kw: Any
    ) -> Application:
        return Application.objects.create(
            tenant=kota,
            service=service,
            applicant=dewi,
            number=number,
            nik=WOMAN_NIK,
            kk_number=KK_NUMBER,
            delivery_address=ADDRESS,
            form_data={"nama": "Siti Rahmawati"},
            submitted_at=submitted,
            **kw,
        )

    done = Status.COMPLETED
    return {
        # Submitted in June; completed on time / late.
        "on_time": make(
            "P-1", kk, at(6, 2), status=done, completed_at=at(6, 3), sla_deadline=at(6, 4)
        ),
        "late": make(
            "P-2", kk, at(6, 4), status=done, completed_at=at(6, 8), sla_deadline=at(6, 5)
        ),
        "waiting": make("P-3", ak1, at(6, 10), status=Status.SUBMITTED, sla_deadline=at(6, 12)),
        # Submitted in May, completed in June.
        "may": make(
            "P-4", kk, at(5, 28), status=done, completed_at=at(6, 1), sla_deadline=at(6, 2)
        ),
        "draft": make("P-5", kk, None, status=Status.DRAFT),
    }


def page_of(client: Client, tenant: Tenant, **params: str) -> Any:
    url = reverse("services:application_register", kwargs={"tenant_slug": tenant.slug})
    return client.get(url, params)


def numbers(response: Any) -> list[str]:
    return re.findall(r"<td>(P-\d)</td>", response.content.decode())


def total(response: Any) -> int:
    found = re.search(r'data-total="(\d+)"', response.content.decode())
    assert found
    return int(found.group(1))


@time_machine.travel(NOW, tick=False)
def test_leader_sees_the_applications_of_the_days_without_personal_data(
    rows: dict[str, Application], kota: Tenant, pimpinan_kota: User
) -> None:
    client = Client()
    client.force_login(pimpinan_kota)
    june = page_of(client, kota, dari="2026-06-01", sampai="2026-06-30")
    assert june.status_code == 200
    assert numbers(june) == ["P-3", "P-2", "P-1"]  # newest submission first
    assert total(june) == 3
    body = june.content.decode()
    for secret in (WOMAN_NIK, KK_NUMBER, ADDRESS, "Siti Rahmawati", "warga-demo"):
        assert secret not in body
    assert "Disdukcapil" in body and "terlambat" in body
    # No filter: every submitted application, never the draft.
    assert numbers(page_of(client, kota)) == ["P-3", "P-2", "P-1", "P-4"]


@time_machine.travel(NOW, tick=False)
def test_filters_by_completion_day_status_sla_and_opd(
    rows: dict[str, Application], kota: Tenant, pimpinan_kota: User
) -> None:
    client = Client()
    client.force_login(pimpinan_kota)
    june = {"dari": "2026-06-01", "sampai": "2026-06-30"}
    completed = page_of(client, kota, tanggal="selesai", status="completed", **june)
    assert numbers(completed) == ["P-2", "P-1", "P-4"]  # newest completion first
    assert numbers(page_of(client, kota, tanggal="selesai", sla="tepat", **june)) == ["P-1", "P-4"]
    assert numbers(page_of(client, kota, tanggal="selesai", sla="lewat", **june)) == ["P-2"]
    assert numbers(page_of(client, kota, status="submitted")) == ["P-3"]
    disnaker = rows["waiting"].service.opd
    assert numbers(page_of(client, kota, opd=str(disnaker.pk))) == ["P-3"]
    assert numbers(page_of(client, kota, layanan=str(rows["late"].service_id))) == [
        "P-2",
        "P-1",
        "P-4",
    ]


@time_machine.travel(NOW, tick=False)
def test_bad_filters_get_a_400(rows: dict[str, Application], kota: Tenant, kab: Tenant) -> None:
    client = Client()
    client.force_login(account("pimpinan-kota"))
    other_opd = kab.opds.first()
    assert other_opd is not None
    for params in (
        {"dari": "2026-13-01"},
        {"dari": "2026-06-30", "sampai": "2026-06-01"},
        {"kecamatan": "36.73.01"},  # applications record no kecamatan
        {"tanggal": "kemarin"},
        {"status": "draft"},
        {"status": "hilang"},
        {"sla": "cepat"},
        {"opd": "x"},
        {"opd": str(other_opd.pk)},
        {"layanan": "99999999"},
        {"setelah": "abc"},
    ):
        response = page_of(client, kota, **params)
        assert response.status_code == 400, params


@time_machine.travel(NOW, tick=False)
def test_who_may_see_the_list(
    rows: dict[str, Application], kota: Tenant, citra: User, dewi: User
) -> None:
    for username, status in (
        ("admin-kota", 200),
        ("pimpinan-kota", 200),
        ("pimpinan-kab", 404),  # another tenant's leader
        ("calltaker-kota", 404),
    ):
        client = Client()
        client.force_login(account(username))
        assert page_of(client, kota).status_code == status, username
    for user in (citra, dewi):
        client = Client()
        client.force_login(user)
        assert page_of(client, kota).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_opd_operator_sees_only_their_opd(
    rows: dict[str, Application], kota: Tenant, operator: User, ani: User
) -> None:
    client = Client()
    client.force_login(operator)  # Disdukcapil
    assert numbers(page_of(client, kota)) == ["P-2", "P-1", "P-4"]
    disnaker = rows["waiting"].service.opd
    assert page_of(client, kota, opd=str(disnaker.pk)).status_code == 404
    client.force_login(ani)  # Diskominfo runs no service
    assert numbers(page_of(client, kota)) == []


@time_machine.travel(NOW, tick=False)
def test_pages_by_keyset_in_a_fixed_number_of_queries(
    rows: dict[str, Application],
    kota: Tenant,
    pimpinan_kota: User,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    view: Any = sys.modules["kotacerdas.services.views.register"]
    client = Client()
    client.force_login(pimpinan_kota)
    page_of(client, kota)  # the session and the tenant's first reads
    original = view.PAGE
    view.PAGE = 2
    try:
        first = page_of(client, kota)
        assert numbers(first) == ["P-3", "P-2"] and first.context["next_url"]
        url = reverse("services:application_register", kwargs={"tenant_slug": kota.slug})
        second = client.get(url + first.context["next_url"])
        assert numbers(second) == ["P-1", "P-4"] and not second.context["next_url"]
        # session, user, tenant, the OPDs and services of the form, counts, the page: fixed.
        with django_assert_num_queries(first_queries := len_queries(client, kota)):
            page_of(client, kota)
        Application.objects.create(
            tenant=kota,
            service=rows["late"].service,
            applicant=rows["late"].applicant,
            number="P-6",
            submitted_at=at(6, 11),
            status=Status.SUBMITTED,
        )
        with django_assert_num_queries(first_queries):
            page_of(client, kota)
    finally:
        view.PAGE = original


def len_queries(client: Client, tenant: Tenant) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        page_of(client, tenant)
    return len(queries)
