"""Verification of the electronic signature (PAdES) on a result document, with pyHanko.

A result PDF issued by Disdukcapil carries a signature made with a certificate of the national
e-signature authority (BSrE). ``verify_pdf`` checks, without any network call, that

- the PDF has an embedded signature that covers the whole file (nothing was added after it),
- the signed bytes are intact (the signature value matches),
- the signer's certificate chains to one of the trust roots configured in
  ``SERVICES_SIGNATURE_TRUST_ROOTS`` (PEM files, e.g. the BSrE root); without a configured
  root the signature can be intact but its signer is "not recognised".

The outcome is stored with the application (``Application.result_signature``) and shown to the
operator and the applicant. A result whose signature is broken is refused at upload.
"""

from __future__ import annotations

import io
import logging
from dataclasses import asdict, dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from asn1crypto import x509
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.general import load_certs_from_pemder
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

logger = logging.getLogger(__name__)


class Verdict(StrEnum):
    VALID = "valid"  # intact, whole file, signer chains to a configured trust root
    UNTRUSTED = "untrusted"  # intact, but the signer is not from a recognised authority
    UNSIGNED = "unsigned"
    BROKEN = "broken"  # altered after signing, or a signature that does not verify


VERDICT_LABELS = {
    Verdict.VALID: _("Tanda tangan elektronik sah"),
    Verdict.UNTRUSTED: _("Tanda tangan utuh, tetapi penanda tangan tidak dikenal"),
    Verdict.UNSIGNED: _("Tidak bertanda tangan elektronik"),
    Verdict.BROKEN: _("Tanda tangan rusak atau dokumen diubah setelah ditandatangani"),
}


@dataclass(frozen=True)
class SignatureCheck:
    verdict: Verdict
    signer: str = ""  # the certificate subject, e.g. "Kepala Disdukcapil Kota Serang, ..."
    signed_at: str = ""  # ISO time the signer's software reported
    checked_at: str = ""

    def as_json(self) -> dict[str, Any]:
        return {k: str(v) for k, v in asdict(self).items()}


@cache
def _trust_roots(paths: tuple[str, ...]) -> tuple[x509.Certificate, ...]:
    return tuple(cert for path in paths for cert in load_certs_from_pemder([path]))  # type: ignore[no-untyped-call]


def trust_roots() -> tuple[x509.Certificate, ...]:
    """The configured roots (setting ``SERVICES_SIGNATURE_TRUST_ROOTS``: PEM/DER file paths)."""
    paths = tuple(str(Path(p)) for p in settings.SERVICES_SIGNATURE_TRUST_ROOTS)
    return _trust_roots(paths)


def verify_pdf(data: bytes) -> SignatureCheck:
    """The verdict on the last signature of ``data`` (a PDF that already opened with pypdf)."""
    now = timezone.now().isoformat()
    try:
        signatures = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
    except (PdfReadError, ValueError, KeyError, TypeError):
        return SignatureCheck(Verdict.UNSIGNED, checked_at=now)
    if not signatures:
        return SignatureCheck(Verdict.UNSIGNED, checked_at=now)
    signature = signatures[-1]
    roots = trust_roots()
    # No network: revocation information is what the document embeds (soft-fail otherwise).
    context = ValidationContext(trust_roots=list(roots), allow_fetching=False)
    try:
        status = validate_pdf_signature(signature, context)
    except Exception:  # pyHanko raises many types for malformed CMS data
        logger.info("result signature could not be validated", exc_info=True)
        return SignatureCheck(Verdict.BROKEN, checked_at=now)
    signer = status.signing_cert.subject.human_friendly if status.signing_cert else ""
    signed_at = status.signer_reported_dt.isoformat() if status.signer_reported_dt else ""
    if (
        not status.intact
        or not status.valid
        or status.coverage != SignatureCoverageLevel.ENTIRE_FILE
    ):
        verdict = Verdict.BROKEN
    elif status.trusted and roots:
        verdict = Verdict.VALID
    else:
        verdict = Verdict.UNTRUSTED
    return SignatureCheck(verdict, signer=signer, signed_at=signed_at, checked_at=now)
