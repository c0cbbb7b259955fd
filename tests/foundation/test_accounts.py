from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client, RequestFactory
from ninja.errors import AuthorizationError

from kotacerdas.accounts.auth import TokenAuth
from kotacerdas.accounts.models import ApiToken, Role, User
from kotacerdas.accounts.phone import mask_phone, normalize_phone
from kotacerdas.accounts.services import (
    api_token_create,
    api_token_revoke,
    citizen_register,
    hash_token,
)
from kotacerdas.core.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("(0254) 200001", "+62254200001"),
        ("12345", None),
        ("0812abc", None),
    ],
)
def test_phone_numbers_are_normalised_to_plus_62(raw: Any, expected: Any) -> None:
    assert normalize_phone(raw) == expected


def test_phone_mask_keeps_only_the_ends() -> None:
    assert mask_phone("+6281234567890") == "+62812*****890"


def test_citizen_registers_with_a_phone_number_and_can_use_it_at_once(client: Client) -> None:
    response = client.post(
        "/akun/daftar/",
        {"full_name": "Dewi Lestari", "contact": "0813 1111 2222", "password": "bunga-melati-77"},
    )
    assert response.status_code == 302
    user = User.objects.get(phone="+6281311112222")
    assert user.role == Role.CITIZEN and user.is_active
    assert client.get("/akun/profil/").status_code == 200


def test_registration_rejects_a_duplicate_email_with_a_clear_message(
    client: Client, dewi: User
) -> None:
    response = client.post(
        "/akun/daftar/",
        {"full_name": "Dewi Lagi", "contact": dewi.email.upper(), "password": "bunga-melati-77"},
    )
    assert response.status_code == 200
    assert "Surel ini sudah terdaftar" in response.content.decode()


def test_registration_rejects_a_contact_that_is_neither_email_nor_phone() -> None:
    with pytest.raises(DomainError) as caught:
        citizen_register(full_name="X", contact="bukan-kontak", password="bunga-melati-77")
    assert caught.value.code == "invalid_contact"


@pytest.mark.parametrize("identifier", ["warga-demo", "warga@demo.kotacerdas.id", "0812-0000-0001"])
def test_citizen_logs_in_with_username_email_or_phone(
    client: Client, dewi: User, identifier: Any
) -> None:
    response = client.post("/akun/masuk/", {"username": identifier, "password": "kotacerdas-demo"})
    assert response.status_code == 302, identifier


def test_wrong_password_is_refused_in_indonesian(client: Client, dewi: User) -> None:
    response = client.post("/akun/masuk/", {"username": "warga-demo", "password": "salah"})
    assert "Data masuk tidak cocok" in response.content.decode()


def test_citizen_deletes_their_account_and_personal_data_is_gone(
    client: Client, dewi: User
) -> None:
    client.force_login(dewi)
    assert client.post("/akun/hapus/").status_code == 302
    dewi.refresh_from_db()
    assert (dewi.is_active, dewi.email, dewi.phone, dewi.full_name) == (False, "", None, "")


def test_staff_cannot_delete_their_own_account_from_the_profile(client: Client, ani: User) -> None:
    client.force_login(ani)
    client.post("/akun/hapus/")
    ani.refresh_from_db()
    assert ani.is_active


def test_create_api_token_prints_the_token_last_and_stores_only_its_hash(
    capsys: pytest.CaptureFixture[str], ani: User
) -> None:
    call_command("create_api_token", "--user", ani.username)
    raw = capsys.readouterr().out.strip().splitlines()[-1]
    assert raw.startswith("kc_")
    token = ApiToken.objects.get(user=ani)
    assert token.key_hash == hash_token(raw)
    assert raw not in {token.prefix, token.key_hash, token.name}


def test_bearer_token_authenticates_and_read_only_tokens_cannot_write(ani: User) -> None:
    _row, raw = api_token_create(user=ani, name="rw")
    _ro, raw_ro = api_token_create(user=ani, name="ro", can_write=False)
    factory = RequestFactory()
    assert TokenAuth()(factory.get("/", HTTP_AUTHORIZATION=f"Bearer {raw}")) == ani
    assert TokenAuth()(factory.get("/", HTTP_AUTHORIZATION="Bearer kc_wrong")) is None
    assert TokenAuth()(factory.get("/", HTTP_AUTHORIZATION=f"Bearer {raw_ro}")) == ani
    with pytest.raises(AuthorizationError):
        TokenAuth()(factory.post("/", HTTP_AUTHORIZATION=f"Bearer {raw_ro}"))


def test_revoked_token_no_longer_authenticates(ani: User) -> None:
    row, raw = api_token_create(user=ani, name="x")
    api_token_revoke(token=row)
    assert TokenAuth()(RequestFactory().get("/", HTTP_AUTHORIZATION=f"Bearer {raw}")) is None
