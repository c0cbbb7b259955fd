"""Who may see what, across roles and tenants (404, never 403)."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.test import Client

from kotacerdas.accounts.models import User
from kotacerdas.tenants.access import access_opd
from kotacerdas.tenants.models import Opd, Tenant

pytestmark = pytest.mark.django_db


def test_operator_sees_an_opd_of_their_own_region_but_not_of_another(
    ani: User, citra: User, kota: Tenant, kab: Tenant
) -> None:
    dishub_kota = Opd.objects.get(tenant=kota, acronym="Dishub")
    dishub_kab = Opd.objects.get(tenant=kab, acronym="Dishub")
    assert access_opd(ani, dishub_kota.pk) == dishub_kota
    with pytest.raises(Http404):
        access_opd(ani, dishub_kab.pk)
    with pytest.raises(Http404):
        access_opd(citra, dishub_kota.pk)


def test_only_the_region_admin_may_change_an_opd(
    ani: User, admin_kota: User, admin_kab: User, kota: Tenant
) -> None:
    opd = Opd.objects.get(tenant=kota, acronym="Dishub")
    assert access_opd(admin_kota, opd.pk, for_write=True) == opd
    with pytest.raises(Http404):
        access_opd(ani, opd.pk, for_write=True)
    with pytest.raises(Http404):
        access_opd(admin_kab, opd.pk, for_write=True)


def test_citizen_cannot_reach_an_opd_record(dewi: User, kota: Tenant) -> None:
    with pytest.raises(Http404):
        access_opd(dewi, Opd.objects.get(tenant=kota, acronym="Dishub").pk)


def test_region_admin_back_office_lists_only_their_own_opds(
    client: Client, admin_kab: User
) -> None:
    client.force_login(admin_kab)
    page = client.get("/admin/tenants/opd/?all=").content.decode()
    assert "Dinas Kelautan dan Perikanan" in page
    assert "Dinas Perpustakaan dan Kearsipan" not in page  # a Kota Serang OPD


def test_region_admin_gets_404_for_another_regions_opd_in_the_back_office(
    client: Client, admin_kab: User, kota: Tenant
) -> None:
    client.force_login(admin_kab)
    opd = Opd.objects.get(tenant=kota, acronym="Dishub")
    response = client.get(f"/admin/tenants/opd/{opd.pk}/change/")
    # Django's admin treats a row outside the queryset as missing: back to the index.
    assert response.status_code == 302
    assert "Dinas Perhubungan" not in client.get(response["Location"]).content.decode()


def test_region_admin_sees_only_their_own_staff_and_no_citizens(
    client: Client, admin_kota: User
) -> None:
    client.force_login(admin_kota)
    page = client.get("/admin/accounts/user/?all=").content.decode()
    assert "dishub-kota" in page
    assert "dishub-kab" not in page
    assert "warga-demo" not in page


def test_operators_and_leaders_have_no_back_office(
    client: Client, ani: User, pimpinan_kota: User
) -> None:
    for user in (ani, pimpinan_kota):
        client.force_login(user)
        assert client.get("/admin/tenants/opd/").status_code in (302, 403)


def test_region_admin_creating_an_opd_cannot_choose_another_tenant(
    client: Client, admin_kab: User, kab: Tenant
) -> None:
    client.force_login(admin_kab)
    response = client.post(
        "/admin/tenants/opd/add/",
        {"name": "Dinas Baru", "acronym": "DB", "kind": "dinas", "is_active": "on"},
    )
    assert response.status_code == 302
    assert Opd.objects.get(acronym="DB").tenant == kab
