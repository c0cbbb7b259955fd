"""Every back-office page, as every role that can sign in to it: no page may crash."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from kotacerdas.accounts.models import ApiToken, Role, User
from kotacerdas.accounts.services import api_token_create

pytestmark = pytest.mark.django_db

STAFF_ACCOUNTS = [
    "superadmin",
    "admin-kota",
    "admin-kab",
    "diskominfo-kota",
    "calltaker-kota",
    "dispatcher-kota",
    "supervisor-kota",
    "pimpinan-kota",
]


def _admin_urls() -> list[str]:
    urls = []
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        urls.append(reverse("admin:{}_{}_add".format(*info)))
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
    return urls


@pytest.fixture
def tokens(admin_kota: User, citra: User) -> list[ApiToken]:
    return [
        api_token_create(user=admin_kota, name="sistem kota")[0],
        api_token_create(user=citra, name="sistem kab")[0],
    ]


@pytest.mark.parametrize("username", STAFF_ACCOUNTS)
def test_every_back_office_page_answers_without_error(
    client: Client, tokens: list[ApiToken], username: str
) -> None:
    user = User.objects.get(username=username)
    client.force_login(user)
    assert client.get("/admin/").status_code in (200, 302)
    failures = []
    for url in _admin_urls():
        response = client.get(url)
        # 302: sent to the sign-in page; 403/404: not this role's page. Never a 500.
        if response.status_code not in (200, 302, 403, 404):
            failures.append((url, response.status_code))
    assert not failures


def test_token_tenant_and_holiday_pages_open_for_the_region_administrator(
    client: Client, tokens: list[ApiToken], admin_kota: User
) -> None:
    client.force_login(admin_kota)
    for name in ("accounts_apitoken", "tenants_tenant", "tenants_holiday"):
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200, name
    page = client.get(reverse("admin:accounts_apitoken_changelist")).content.decode()
    assert "sistem kota" in page
    assert "sistem kab" not in page  # another tenant's token


def test_region_administrator_revokes_a_token_of_their_tenant(
    client: Client, tokens: list[ApiToken], admin_kota: User
) -> None:
    own, other = tokens
    client.force_login(admin_kota)
    response = client.post(
        reverse("admin:accounts_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [own.pk, other.pk]},
    )
    assert response.status_code == 302
    own.refresh_from_db()
    other.refresh_from_db()
    assert own.revoked_at is not None
    assert other.revoked_at is None  # Citra's token is not in Ani's administrator's reach


def test_operator_has_no_back_office(client: Client, ani: User) -> None:
    client.force_login(ani)
    assert client.get(reverse("admin:accounts_apitoken_changelist")).status_code == 302
    assert ani.role == Role.OPD_OPERATOR
