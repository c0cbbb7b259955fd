"""Log redaction: identity numbers and phone numbers never reach the logs."""

from __future__ import annotations

import logging
import re

# 16 consecutive digits (NIK, KK number), possibly split by spaces or dots.
_IDENTITY_NUMBER = re.compile(r"(?<!\d)(\d{4})[\d .]{8,12}(\d{2})(?!\d)")
# Indonesian mobile and landline numbers: +62 / 62 / 0 followed by 8-13 digits.
_PHONE = re.compile(r"(?<![\d])(\+?62|0)\d{7,12}(?!\d)")


def redact(text: str) -> str:
    text = _IDENTITY_NUMBER.sub(lambda m: f"{m.group(1)}**********{m.group(2)}", text)
    return _PHONE.sub("[telepon]", text)


class RedactPersonalData(logging.Filter):
    """Rewrites each record's message so personal numbers are masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        return True
