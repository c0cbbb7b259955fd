"""NIK and KK-number checks: one pure parser, a Django validator for forms and models, and masking.

Layout (Dukcapil): ``PP KK CC DD MM YY SSSS``. The region digits are where the number was
first issued; for a NIK, DD is the day of birth plus 40 for women; for a KK number the six
date digits are the day the card was issued. The serial starts at 0001.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

from kotacerdas.regions.models import Level, Region

LENGTH = 16
NIK = "nik"
KK = "kk"


@dataclass(frozen=True)
class IdentityError:
    code: str
    message: str


@dataclass(frozen=True)
class IdentityNumber:
    """The outcome of checking one NIK or KK number."""

    valid: bool
    errors: list[IdentityError] = field(default_factory=list)
    district: Region | None = None
    date: dt.date | None = None  # birth date (NIK) or issue date (KK)
    sex: str | None = None  # "L" or "P", NIK only


def _label(kind: str) -> str:
    return _("NIK") if kind == NIK else _("Nomor KK")


def _date_in_past(day: int, month: int, yy: int, today: dt.date) -> dt.date | None:
    # Two year digits: the century is the latest one that puts the date in the past.
    for century in (2000, 1900):
        try:
            candidate = dt.date(century + yy, month, day)
        except ValueError:
            continue
        if candidate <= today:
            return candidate
    return None


def check_identity_number(
    value: str, *, kind: str = NIK, today: dt.date | None = None
) -> IdentityNumber:
    """Check a NIK (``kind="nik"``) or KK number (``kind="kk"``); every failure comes with a code.

    Codes: ``length`` (not exactly 16 digits; no further checks), ``region_unknown``,
    ``date_invalid``, ``serial_zero``. Spaces and dots typed by people are ignored.
    """
    today = today or timezone.localdate()
    label = _label(kind)
    digits = value.replace(" ", "").replace(".", "").strip()
    if len(digits) != LENGTH or not digits.isascii() or not digits.isdigit():
        return IdentityNumber(
            valid=False,
            errors=[
                IdentityError(
                    "length",
                    _(
                        "%(label)s harus terdiri dari tepat 16 angka (yang Anda isi: %(count)s karakter)."
                    )
                    % {"label": label, "count": len(digits)},
                )
            ],
        )
    errors: list[IdentityError] = []
    code = f"{digits[0:2]}.{digits[2:4]}.{digits[4:6]}"
    district = (
        Region.objects.select_related("parent__parent")
        .filter(code=code, level=Level.DISTRICT)
        .first()
    )
    if district is None:
        errors.append(
            IdentityError(
                "region_unknown",
                _(
                    "Kode wilayah %(code)s pada 6 angka pertama %(label)s tidak ada dalam daftar kecamatan Kemendagri."
                )
                % {"code": code, "label": label},
            )
        )
    day, month, yy = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    sex = None
    if kind == NIK:
        sex = "P" if day > 40 else "L"
        day = day - 40 if day > 40 else day
    date = _date_in_past(day, month, yy, today)
    if date is None:
        if kind == NIK:
            message = _(
                "Angka ke-7 sampai ke-12 NIK (%(dd)s-%(mm)s-%(yy)s) bukan tanggal lahir yang sah. "
                "Untuk perempuan, tanggal lahir ditambah 40 (41–71)."
            )
        else:
            message = _(
                "Angka ke-7 sampai ke-12 Nomor KK (%(dd)s-%(mm)s-%(yy)s) bukan tanggal yang sah."
            )
        errors.append(
            IdentityError(
                "date_invalid",
                message % {"dd": digits[6:8], "mm": digits[8:10], "yy": digits[10:12]},
            )
        )
        sex = None
    if digits[12:] == "0000":
        errors.append(
            IdentityError(
                "serial_zero",
                _("Empat angka terakhir %(label)s tidak boleh 0000; nomor urut dimulai dari 0001.")
                % {"label": label},
            )
        )
    return IdentityNumber(valid=not errors, errors=errors, district=district, date=date, sex=sex)


def normalize(value: str) -> str:
    return value.replace(" ", "").replace(".", "").strip()


def mask(value: str | None) -> str:
    """``3673015203950001`` becomes ``3673**********01``; empty stays empty."""
    if not value:
        return ""
    value = normalize(value)
    if len(value) < 8:
        return "*" * len(value)
    return f"{value[:4]}{'*' * (len(value) - 6)}{value[-2:]}"


@deconstructible
class IdentityNumberValidator:
    """A form or model validator: raises ``ValidationError`` with every failure's message."""

    def __init__(self, kind: str = NIK) -> None:
        self.kind = kind

    def __call__(self, value: str) -> None:
        result = check_identity_number(str(value), kind=self.kind)
        if not result.valid:
            raise ValidationError([ValidationError(e.message, code=e.code) for e in result.errors])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, IdentityNumberValidator) and other.kind == self.kind

    def __hash__(self) -> int:
        return hash(self.kind)


validate_nik = IdentityNumberValidator(NIK)
validate_kk = IdentityNumberValidator(KK)
