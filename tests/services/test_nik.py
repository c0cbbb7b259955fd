from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client

from kotacerdas.services.nik import KK, check_identity_number, mask, validate_kk, validate_nik

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)
# Kec. Serang (36.73.01), a woman born 12-03-1995, serial 0001.
WOMAN = "3673015203950001"


def codes(value: str, **kwargs: object) -> list[str]:
    return [e.code for e in check_identity_number(value, today=TODAY, **kwargs).errors]  # type: ignore[arg-type]


def test_a_womans_nik_gives_her_region_birth_date_and_sex() -> None:
    result = check_identity_number(WOMAN, today=TODAY)
    assert result.valid and result.errors == []
    assert result.district is not None and result.district.code == "36.73.01"
    assert result.date == dt.date(1995, 3, 12)
    assert result.sex == "P"


def test_a_mans_nik_and_the_century_that_puts_the_birth_in_the_past() -> None:
    man = check_identity_number("3673011005100002", today=TODAY)
    assert (man.sex, man.date) == ("L", dt.date(2010, 5, 10))
    # 2026-12-01 would be in the future, so the person was born in 1926.
    assert check_identity_number("3673010112260003", today=TODAY).date == dt.date(1926, 12, 1)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("367301520395000", ["length"]),
        ("36730152039500011", ["length"]),
        ("36730152039500a1", ["length"]),
        ("３６７３０１５２０３９５０００１", ["length"]),  # full-width digits are not ASCII digits
        ("9973015203950001", ["region_unknown"]),
        ("3673995203950001", ["region_unknown"]),
        ("3673013202950001", ["date_invalid"]),  # 32nd
        ("3673017203950001", ["date_invalid"]),  # 72 - 40 = 32
        ("3673013102950001", ["date_invalid"]),  # 31 February
        ("3673012913950001", ["date_invalid"]),  # month 13
        ("3673015203950000", ["serial_zero"]),
        ("9999997213990000", ["region_unknown", "date_invalid", "serial_zero"]),
    ],
)
def test_each_failure_has_its_own_code(value: str, expected: list[str]) -> None:
    assert codes(value) == expected


def test_every_message_is_precise_indonesian() -> None:
    result = check_identity_number("9999993202950000", today=TODAY)
    messages = " ".join(e.message for e in result.errors)
    assert "99.99.99" in messages
    assert "32-02-95" in messages and "ditambah 40" in messages
    assert "0000" in messages
    assert "tepat 16 angka" in check_identity_number("123", today=TODAY).errors[0].message


def test_spaces_and_dots_people_type_are_ignored() -> None:
    assert check_identity_number("3673 0152 0395 0001", today=TODAY).valid
    assert check_identity_number("36.73.01.520395.0001", today=TODAY).valid


def test_a_kk_number_has_an_issue_date_without_the_plus_40_rule() -> None:
    assert check_identity_number("3673011503200004", kind=KK, today=TODAY).valid
    assert codes("3673015203200004", kind=KK) == ["date_invalid"]
    assert check_identity_number("3673011503200004", kind=KK, today=TODAY).sex is None


def test_the_django_validators_raise_every_message() -> None:
    validate_nik(WOMAN)
    validate_kk("3673011503200004")
    with pytest.raises(ValidationError) as excinfo:
        validate_nik("9973015203950000")
    assert [e.code for e in excinfo.value.error_list] == ["region_unknown", "serial_zero"]


def test_masking_keeps_the_first_four_and_last_two_digits() -> None:
    assert mask(WOMAN) == "3673**********01"
    assert mask("") == ""


class TestApi:
    url = "/api/v1/nik/validate"

    def setup_method(self) -> None:
        cache.clear()

    def test_a_valid_nik_is_described(self, client: Client) -> None:
        response = client.post(self.url, {"nik": WOMAN}, content_type="application/json")
        assert response.status_code == 200
        body = response.json()
        assert body["valid"] is True and body["errors"] == []
        assert body["region"] == {
            "province": "Banten",
            "regency": "Kota Serang",
            "district": "Serang",
        }
        assert body["sex"] == "P" and body["birth_date"] == "1995-03-12"

    def test_an_invalid_nik_lists_every_error_and_no_login_is_needed(self, client: Client) -> None:
        body = client.post(
            self.url, {"nik": "9973017203950000"}, content_type="application/json"
        ).json()
        assert body["valid"] is False
        assert [e["code"] for e in body["errors"]] == [
            "region_unknown",
            "date_invalid",
            "serial_zero",
        ]
        assert body["region"] is None and body["birth_date"] is None and body["sex"] is None

    def test_a_malformed_body_is_a_clear_400(self, client: Client) -> None:
        response = client.post(self.url, {"nomor": WOMAN}, content_type="application/json")
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "validation_error"

    def test_it_is_rate_limited_and_never_logs_the_nik(
        self, client: Client, caplog: pytest.LogCaptureFixture
    ) -> None:
        from django.core.cache import caches

        caches["ratelimit"].clear()  # earlier tests of this worker spent part of the budget
        caplog.set_level(logging.DEBUG)
        statuses = [
            client.post(self.url, {"nik": WOMAN}, content_type="application/json").status_code
            for _ in range(31)
        ]
        assert statuses[:30] == [200] * 30
        assert statuses[30] == 429
        assert WOMAN not in caplog.text

    def test_get_with_the_nik_in_the_url_is_not_offered(self, client: Client) -> None:
        assert client.get(f"{self.url}?nik={WOMAN}").status_code == 405
