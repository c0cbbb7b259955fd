"""Who may see what, across roles and tenants (404, never 403)."""

from __future__ import annotations

import pytest
from django.http import Http404

from kotacerdas.tenants.access import access_opd
from kotacerdas.tenants.models import Opd

pytestmark = pytest.mark.django_db


def test_operator_sees_an_opd_of_their_own_region_but_not_of_another(ani, citra, kota, kab):
    dishub_kota = Opd.objects.get(tenant=kota, acronym="Dishub")
    dishub_kab = Opd.objects.get(tenant=kab, acronym="Dishub")
    assert access_opd(ani, dishub_kota.pk) == dishub_kota
    with pytest.raises(Http404):
        access_opd(ani, dishub_kab.pk)
    with pytest.raises(Http404):
        access_opd(citra, dishub_kota.pk)


def test_only_the_region_admin_may_change_an_opd(ani, admin_kota, admin_kab, kota):
    opd = Opd.objects.get(tenant=kota, acronym="Dishub")
    assert access_opd(admin_kota, opd.pk, for_write=True) == opd
    with pytest.raises(Http404):
        access_opd(ani, opd.pk, for_write=True)
    with pytest.raises(Http404):
        access_opd(admin_kab, opd.pk, for_write=True)


def test_citizen_cannot_reach_an_opd_record(dewi, kota):
    with pytest.raises(Http404):
        access_opd(dewi, Opd.objects.get(tenant=kota, acronym="Dishub").pk)


def test_region_admin_back_office_lists_only_their_own_opds(client, admin_kab):
    client.force_login(admin_kab)
    page = client.get("/admin/tenants/opd/?all=").content.decode()
    assert "Dinas Kelautan dan Perikanan" in page
    assert "Dinas Perpustakaan dan Kearsipan" not in page  # a Kota Serang OPD


def test_region_admin_gets_404_for_another_regions_opd_in_the_back_office(client, admin_kab, kota):
    client.force_login(admin_kab)
    opd = Opd.objects.get(tenant=kota, acronym="Dishub")
    response = client.get(f"/admin/tenants/opd/{opd.pk}/change/")
    # Django's admin treats a row outside the queryset as missing: back to the index.
    assert response.status_code == 302
    assert "Dinas Perhubungan" not in client.get(response.url).content.decode()


def test_region_admin_sees_only_their_own_staff_and_no_citizens(client, admin_kota):
    client.force_login(admin_kota)
    page = client.get("/admin/accounts/user/?all=").content.decode()
    assert "dishub-kota" in page
    assert "dishub-kab" not in page
    assert "warga-demo" not in page


def test_operators_and_leaders_have_no_back_office(client, ani, pimpinan_kota):
    for user in (ani, pimpinan_kota):
        client.force_login(user)
        assert client.get("/admin/tenants/opd/").status_code in (302, 403)


def test_region_admin_creating_an_opd_cannot_choose_another_tenant(client, admin_kab, kab):
    client.force_login(admin_kab)
    response = client.post(
        "/admin/tenants/opd/add/",
        {"name": "Dinas Baru", "acronym": "DB", "kind": "dinas", "is_active": "on"},
    )
    assert response.status_code == 302
    assert Opd.objects.get(acronym="DB").tenant == kab
