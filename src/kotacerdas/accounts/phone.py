"""Indonesian phone numbers, normalised to the +62 international form."""

from __future__ import annotations

import re

_NON_DIGIT = re.compile(r"[\s().-]")
_VALID = re.compile(r"^\+62[1-9]\d{6,12}$")


def normalize_phone(raw: str) -> str | None:
    """``0812-3456-7890`` → ``+6281234567890``; ``None`` if it is not a plausible number."""
    number = _NON_DIGIT.sub("", raw.strip())
    if number.startswith("0"):
        number = "+62" + number[1:]
    elif number.startswith("62"):
        number = "+" + number
    return number if _VALID.match(number) else None


def mask_phone(number: str) -> str:
    """``+6281234567890`` → ``+62812*****890``."""
    if len(number) < 8:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 9) + number[-3:]
