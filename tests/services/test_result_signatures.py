"""E-signed results (issue #11.13): the PAdES signature of an uploaded result is verified with
pyHanko against the configured trust roots, and its signer and validity are shown to the
operator and the applicant. The documents are signed here, by a certificate authority made
in the test."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pytest_django import Settings

from kotacerdas.accounts.models import User
from kotacerdas.core.errors import DomainError
from kotacerdas.services import services
from kotacerdas.services.models import Service
from kotacerdas.services.signatures import Verdict, verify_pdf
from tests.services.conftest import pdf_bytes
from tests.services.test_lifecycle import filled_kk_application

pytestmark = pytest.mark.django_db
BASE = "/kota-serang/layanan"
SIGNER = "Kepala Disdukcapil Kota Serang"


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Otoritas Uji kotacerdas"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _certificate(subject, issuer, public_key, signing_key, *, ca: bool):  # type: ignore[no-untyped-def]
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not ca,
                content_commitment=not ca,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    )
    return builder.sign(signing_key, hashes.SHA256())


class Authority:
    """A root CA and one signer certificate, made with ``cryptography``."""

    def __init__(self) -> None:
        self.root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.root = _certificate(
            _name("Root CA Uji"),
            _name("Root CA Uji"),
            self.root_key.public_key(),
            self.root_key,
            ca=True,
        )
        self.signer_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.signer = _certificate(
            _name(SIGNER),
            _name("Root CA Uji"),
            self.signer_key.public_key(),
            self.root_key,
            ca=False,
        )

    def root_pem(self) -> bytes:
        pem: bytes = self.root.public_bytes(serialization.Encoding.PEM)
        return pem

    def sign(self, pdf: bytes) -> bytes:
        def asn1_cert(cert: x509.Certificate) -> asn1_x509.Certificate:
            return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))

        key = asn1_keys.PrivateKeyInfo.load(
            self.signer_key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        signer = signers.SimpleSigner(
            signing_cert=asn1_cert(self.signer),
            signing_key=key,
            cert_registry=SimpleCertificateStore.from_certs([asn1_cert(self.root)]),  # type: ignore[no-untyped-call]
        )
        out = signers.sign_pdf(
            IncrementalPdfFileWriter(io.BytesIO(pdf)),
            signers.PdfSignatureMetadata(field_name="TTE", subfilter=SigSeedSubFilter.PADES),
            signer=signer,
        )
        signed: bytes = out.getvalue()
        return signed


@pytest.fixture(scope="module")
def authority() -> Authority:
    return Authority()


@pytest.fixture
def trusted(authority: Authority, settings: Settings, tmp_path: Path) -> Authority:
    root = tmp_path / "root-ca-uji.pem"
    root.write_bytes(authority.root_pem())
    settings.SERVICES_SIGNATURE_TRUST_ROOTS = [str(root)]
    return authority


def _in_process(citizen, operator: User, service):  # type: ignore[no-untyped-def]
    application = filled_kk_application(citizen, service)
    services.application_submit(application=application, actor=citizen)
    services.application_start_verification(application=application, actor=operator)
    for document in application.documents.all():
        services.document_review(document=document, actor=operator, accepted=True)
    services.application_verify(application=application, actor=operator)
    services.application_record_siak(application=application, actor=operator, reference="REF-001")
    return application


def test_a_result_signed_by_a_trusted_authority_is_valid_and_shown_with_its_signer(
    client: Client, dewi: User, operator: User, kk_service: Service, trusted: Authority
) -> None:
    application = _in_process(dewi, operator, kk_service)
    signed = trusted.sign(pdf_bytes())
    assert verify_pdf(signed).verdict == Verdict.VALID
    services.application_mark_ready(
        application=application,
        actor=operator,
        result=SimpleUploadedFile("kk.pdf", signed, "application/pdf"),
    )
    application.refresh_from_db()
    assert application.result_signature["verdict"] == "valid"
    assert SIGNER in application.result_signature["signer"]
    client.force_login(operator)
    desk = client.get(f"{BASE}/meja/{application.pk}/").content.decode()
    assert "Tanda tangan elektronik sah" in desk and SIGNER in desk
    client.force_login(dewi)
    mine = client.get(f"{BASE}/permohonan/{application.pk}/").content.decode()
    assert "signature-valid" in mine and "Tanda tangan elektronik sah" in mine and SIGNER in mine


def test_without_a_configured_root_the_signer_is_not_recognised(
    authority: Authority, settings: Settings
) -> None:
    settings.SERVICES_SIGNATURE_TRUST_ROOTS = []
    check = verify_pdf(authority.sign(pdf_bytes()))
    assert check.verdict == Verdict.UNTRUSTED and SIGNER in check.signer


def test_another_authority_is_not_trusted(trusted: Authority) -> None:
    stranger = Authority()  # same names, different keys
    assert verify_pdf(stranger.sign(pdf_bytes())).verdict == Verdict.UNTRUSTED


def test_an_unsigned_result_is_accepted_but_shown_as_unsigned(
    client: Client, dewi: User, operator: User, kk_service: Service, trusted: Authority
) -> None:
    application = _in_process(dewi, operator, kk_service)
    services.application_mark_ready(
        application=application,
        actor=operator,
        result=SimpleUploadedFile("kk.pdf", pdf_bytes(), "application/pdf"),
    )
    client.force_login(dewi)
    mine = client.get(f"{BASE}/permohonan/{application.pk}/").content.decode()
    assert "Tidak bertanda tangan elektronik" in mine


def test_a_result_altered_after_signing_is_refused(
    dewi: User, operator: User, kk_service: Service, trusted: Authority
) -> None:
    application = _in_process(dewi, operator, kk_service)
    signed = bytearray(trusted.sign(pdf_bytes()))
    position = signed.index(b"/MediaBox")  # inside the signed byte range
    signed[position + 1 : position + 9] = b"MediaBoz"
    assert verify_pdf(bytes(signed)).verdict == Verdict.BROKEN
    with pytest.raises(DomainError) as refused:
        services.application_mark_ready(
            application=application,
            actor=operator,
            result=SimpleUploadedFile("kk.pdf", bytes(signed), "application/pdf"),
        )
    assert refused.value.code == "result_signature_broken"
    application.refresh_from_db()
    assert application.status == "in_process" and not application.result_file
