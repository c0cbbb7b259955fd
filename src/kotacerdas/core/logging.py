"""Log redaction: identity numbers, phone numbers, email addresses and the secrets that travel
in URLs (private tracking links, signed file links, password-reset links, tokens in query
strings) never reach the logs. The filter sits on every handler, uvicorn's access log included
(see ``LOGGING`` in settings)."""

from __future__ import annotations

import logging
import re

MASK = "[rahasia]"
# 16 consecutive digits (NIK, KK number), possibly split by spaces or dots.
_IDENTITY_NUMBER = re.compile(r"(?<!\d)(\d{4})[\d .]{8,12}(\d{2})(?!\d)")
# Indonesian mobile and landline numbers: +62 / 62 / 0 followed by 7-12 digits, possibly
# URL-encoded (%2B62) or split by spaces and dashes as people type them.
_PHONE = re.compile(r"(?<![\dA-Za-z])(?:\+|%2B)?(?:62|0)(?:[ -]?\d){7,12}(?!\d)")
_EMAIL = re.compile(r"(?<![\w.+-])([\w.+-])[\w.+-]*(?:@|%40)([\w-]+(?:\.[\w-]+)+)")
# Path segments that are secrets by position: /pantau/<token>/ (private tracking),
# /berkas/<token>/ (signed file link), /reset/<uid>/<token>/ (password reset).
_SECRET_SEGMENT = re.compile(r"(/(?:pantau|berkas|berhenti|tokens?)/)[^/?#\s\"]+")
_RESET_LINK = re.compile(r"(/reset/)[^/?#\s\"]+/[^/?#\s\"]+")
# Query parameters whose value is a secret or a personal number.
_SECRET_PARAM = re.compile(
    r"([?&](?:token|key|signature|sig|password|nomor|caller_number|phone|nik|kk|email)=)"
    r"[^&#\s\"]*",
    re.IGNORECASE,
)
# Long hexadecimal runs (tracking tokens, session keys) wherever they appear.
_LONG_HEX = re.compile(r"(?<![0-9a-fA-F])[0-9a-fA-F]{32,}(?![0-9a-fA-F])")


def redact(text: str) -> str:
    text = _SECRET_PARAM.sub(lambda m: m.group(1) + MASK, text)
    text = _RESET_LINK.sub(lambda m: m.group(1) + MASK, text)
    text = _SECRET_SEGMENT.sub(lambda m: m.group(1) + MASK, text)
    text = _LONG_HEX.sub(MASK, text)
    text = _IDENTITY_NUMBER.sub(lambda m: f"{m.group(1)}**********{m.group(2)}", text)
    text = _PHONE.sub("[telepon]", text)
    return _EMAIL.sub(lambda m: f"{m.group(1)}***@{m.group(2)}", text)


class RedactPersonalData(logging.Filter):
    """Rewrites each record's message (and exception text) so personal data is masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
