"""Evidence files of the ADWI self-assessment: uploaded per category, private to the village's
managers and the tourism office, carried forward to the next year by reference."""

from __future__ import annotations

from django.test import Client

from kotacerdas.accounts.models import User
from kotacerdas.economy import services
from kotacerdas.economy.models import EvidenceFile, TourismVillage
from tests.economy.conftest import fetch, jpeg, upload

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _page(village: TourismVillage, year: int) -> str:
    return f"/kabupaten-serang/wisata/kelola/desa/{village.pk}/penilaian/{year}/"


def test_evidence_is_the_managers_and_the_offices_only(  # noqa: PLR0917 - fixtures
    client: Client,
    sikonde: TourismVillage,
    pokdarwis: User,
    other_manager: User,
    disparpora: User,
    citra: User,
) -> None:
    client.force_login(pokdarwis)
    sent = client.post(
        _page(sikonde, 2025),
        {
            "evidence": "1",
            "category": "homestay",
            "file": upload(PDF, "sertifikat homestay.pdf", "application/pdf"),
        },
    )
    assert sent.status_code == 302
    evidence = EvidenceFile.objects.get()
    assert (evidence.category, evidence.original_name) == ("homestay", "sertifikat homestay.pdf")
    url = f"/kabupaten-serang/wisata/kelola/bukti/{evidence.pk}/"
    assert url in client.get(_page(sikonde, 2025)).text
    status, body, mine = fetch(client, url)
    assert status == 200 and body == PDF
    assert mine["Content-Type"] == "application/pdf"
    client.force_login(disparpora)
    assert fetch(client, url)[0] == 200
    for outsider in (other_manager, citra, User.objects.get(username="produsen-kab")):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404  # not even a sign-in prompt
    assert client.get(f"/kota-serang/wisata/kelola/bukti/{evidence.pk}/").status_code == 404


def test_evidence_is_carried_forward_by_reference_and_detaching_it_keeps_last_years(
    sikonde: TourismVillage, pokdarwis: User
) -> None:
    first = services.assessment_start(village=sikonde, year=2025)
    pdf = services.evidence_add(
        assessment=first,
        category="toilet",
        upload=upload(PDF, "toilet.pdf", "application/pdf"),
        actor=pokdarwis,
    )
    photo = services.evidence_add(
        assessment=first, category="daya_tarik", upload=upload(jpeg(300, 200)), actor=pokdarwis
    )
    second = services.assessment_start(village=sikonde, year=2026)
    assert set(second.evidence_files.all()) == {pdf, photo}
    assert EvidenceFile.objects.count() == 2  # nothing uploaded twice
    services.evidence_remove(assessment=second, evidence_pk=pdf.pk)
    assert set(second.evidence_files.all()) == {photo}
    assert set(first.evidence_files.all()) == {pdf, photo}
    assert pdf.file.storage.exists(pdf.file.name)
    services.evidence_remove(assessment=first, evidence_pk=pdf.pk)  # nobody refers to it now
    assert not EvidenceFile.objects.filter(pk=pdf.pk).exists()


def test_bad_evidence_gets_a_clear_400(
    client: Client, sikonde: TourismVillage, pokdarwis: User
) -> None:
    client.force_login(pokdarwis)
    page = _page(sikonde, 2025)
    fake = client.post(
        page,
        {
            "evidence": "1",
            "category": "toilet",
            "file": upload(b"<html>", "a.pdf", "application/pdf"),
        },
    )
    assert fake.status_code == 400 and "tidak sesuai dengan jenisnya" in fake.text
    word = client.post(
        page,
        {"evidence": "1", "category": "toilet", "file": upload(b"PK\x03\x04", "a.docx")},
    )
    assert word.status_code == 400 and "Unggah PDF, PNG atau JPG" in word.text
    assert not EvidenceFile.objects.exists()
