"""Assessments through the pages: who may see and change them, levels, evidence, status."""

from __future__ import annotations

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import StreamingHttpResponse
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from kotacerdas.accounts.models import User
from kotacerdas.core.errors import DomainError
from kotacerdas.spbe import services
from kotacerdas.spbe.models import Assessment, AssessmentEvent, AssessmentStatus, IndicatorScore
from kotacerdas.tenants.models import Tenant
from tests.conftest import account
from tests.spbe.conftest import vector

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def url(name: str, tenant: Tenant, *args: object) -> str:
    return reverse(f"spbe:{name}", args=[tenant.slug, *args])


def test_region_admin_creates_an_assessment_with_every_indicator(
    client: Client, admin_kab: User, kab: Tenant
) -> None:
    client.force_login(admin_kab)
    response = client.post(url("assessment_list", kab), {"year": 2024})
    assessment = Assessment.objects.get(tenant=kab, year=2024)
    assert response.status_code == 302
    assert response["Location"] == url("assessment_detail", kab, assessment.pk)
    assert assessment.scores.count() == 47
    assert assessment.status == AssessmentStatus.DRAFT
    assert AssessmentEvent.objects.filter(assessment=assessment, action="create").exists()


def test_a_second_assessment_for_the_same_year_is_refused(
    client: Client, admin_kab: User, kab: Tenant, assessment_kab: Assessment
) -> None:
    client.force_login(admin_kab)
    response = client.post(url("assessment_list", kab), {"year": 2025})
    assert response.status_code == 200
    assert "sudah ada" in response.content.decode()


def test_a_new_assessment_can_start_from_last_years_levels(
    admin_kab: User, kab: Tenant, assessment_kab: Assessment
) -> None:
    services.score_update(
        assessment=assessment_kab,
        number=1,
        level=5,
        justification="Perbup 12/2025",
        actor=admin_kab,
    )
    copy = services.assessment_create(tenant=kab, year=2026, actor=admin_kab, copy_previous=True)
    first = copy.scores.get(indicator__number=1)
    assert (first.level, first.justification) == (5, "Perbup 12/2025")
    assert copy.scores.filter(level__isnull=True).count() == 0


def test_region_admin_records_a_level_and_justification(
    client: Client, admin_kab: User, kab: Tenant, assessment_kab: Assessment
) -> None:
    client.force_login(admin_kab)
    response = client.post(
        url("indicator_edit", kab, assessment_kab.pk, 42),
        {"level": "4", "justification": "Aduan terpadu dengan SP4N-LAPOR!"},
    )
    assert response.status_code == 302
    score = IndicatorScore.objects.get(assessment=assessment_kab, indicator__number=42)
    assert (score.level, score.justification) == (4, "Aduan terpadu dengan SP4N-LAPOR!")
    assert AssessmentEvent.objects.filter(action="score", note="42: 3 -> 4").exists()


def test_the_level_form_shows_level_names_of_the_domain_group(
    client: Client, admin_kab: User, kab: Tenant, assessment_kab: Assessment
) -> None:
    client.force_login(admin_kab)
    page = client.get(url("indicator_edit", kab, assessment_kab.pk, 42)).content.decode()
    assert "4 - Kolaborasi" in page  # domain 4: technical capability
    page = client.get(url("indicator_edit", kab, assessment_kab.pk, 1)).content.decode()
    assert "4 - Terpadu dan Terukur" in page  # domains 1-3: process capability


def test_a_level_out_of_range_is_refused_with_a_message(
    client: Client, admin_kab: User, kab: Tenant, assessment_kab: Assessment
) -> None:
    client.force_login(admin_kab)
    response = client.post(url("indicator_edit", kab, assessment_kab.pk, 42), {"level": "6"})
    assert response.status_code == 200
    assert IndicatorScore.objects.get(assessment=assessment_kab, indicator__number=42).level == 3


def test_detail_page_shows_indexes_per_aspect_domain_and_overall(
    client: Client, admin_kab: User, kab: Tenant, assessment_kab: Assessment
) -> None:
    client.force_login(admin_kab)
    page = client.get(url("assessment_detail", kab, assessment_kab.pk)).content.decode()
    assert "3,41" in page, "numbers in the Indonesian format"
    assert 'id="overall-predicate">Baik<' in page
    # D3 (21-31): (9x5 + 4 + 3) x 1.5 / 16.5 = 52/11 = 4.727... -> 4.73 Memuaskan
    assert "4,73" in page
    assert "Layanan Pengaduan Pelayanan Publik" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get(url("assessment_detail", kab, assessment_kab.pk)).content.decode()
    assert "3.41" in english and "4.73" in english and "3,41" not in english
    assert "Public service complaints</a>" in english, "the indicator name in English"


def test_leader_reads_but_cannot_change(
    client: Client, pimpinan_kab: User, kab: Tenant, assessment_kab: Assessment
) -> None:
    client.force_login(pimpinan_kab)
    assert client.get(url("assessment_detail", kab, assessment_kab.pk)).status_code == 200
    edit = url("indicator_edit", kab, assessment_kab.pk, 42)
    assert client.get(edit).status_code == 200
    assert client.post(edit, {"level": "5"}).status_code == 404
    assert client.post(url("assessment_list", kab), {"year": 2020}).status_code == 302
    assert not Assessment.objects.filter(tenant=kab, year=2020).exists()


def test_an_operator_of_the_same_tenant_gets_404(
    client: Client, citra: User, kab: Tenant, assessment_kab: Assessment
) -> None:
    client.force_login(citra)
    assert client.get(url("assessment_list", kab)).status_code == 404
    assert client.get(url("assessment_detail", kab, assessment_kab.pk)).status_code == 404


def test_admin_of_another_tenant_gets_404(
    client: Client, admin_kota: User, kab: Tenant, kota: Tenant, assessment_kab: Assessment
) -> None:
    client.force_login(admin_kota)
    assert client.get(url("assessment_detail", kab, assessment_kab.pk)).status_code == 404
    # Through their own tenant's URL the other tenant's assessment does not exist either.
    assert client.get(url("assessment_detail", kota, assessment_kab.pk)).status_code == 404
    assert client.get(url("simulator", kota, assessment_kab.pk)).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(
    client: Client, kab: Tenant, assessment_kab: Assessment
) -> None:
    response = client.get(url("assessment_detail", kab, assessment_kab.pk))
    assert response.status_code == 302
    assert "/akun/" in response["Location"]


def test_finalizing_needs_every_level_and_freezes_the_assessment(
    client: Client, admin_kab: User, kab: Tenant
) -> None:
    client.force_login(admin_kab)
    empty = services.assessment_create(tenant=kab, year=2022, actor=admin_kab)
    client.post(url("assessment_transition", kab, empty.pk), {"action": "finalize"})
    empty.refresh_from_db()
    assert empty.status == AssessmentStatus.DRAFT
    services.assessment_set_levels(assessment=empty, levels=vector(2), actor=admin_kab)
    client.post(url("assessment_transition", kab, empty.pk), {"action": "finalize"})
    empty.refresh_from_db()
    assert empty.status == AssessmentStatus.FINAL
    response = client.post(url("indicator_edit", kab, empty.pk, 1), {"level": "5"}, follow=True)
    assert "sudah final" in response.content.decode()
    assert empty.scores.get(indicator__number=1).level == 2
    client.post(url("assessment_transition", kab, empty.pk), {"action": "reopen"})
    empty.refresh_from_db()
    assert empty.status == AssessmentStatus.DRAFT


def test_evidence_is_content_checked_kept_private_and_served_to_staff(
    client: Client,
    admin_kab: User,
    kab: Tenant,
    assessment_kab: Assessment,
    private_storage: FileSystemStorage,
) -> None:
    client.force_login(admin_kab)
    upload = url("evidence_upload", kab, assessment_kab.pk, 43)
    for _attempt in range(2):  # a retried upload stays one evidence file
        client.post(upload, {"file": SimpleUploadedFile("portal-data.pdf", PDF, "application/pdf")})
    fake = client.post(
        upload, {"file": SimpleUploadedFile("palsu.pdf", PNG, "application/pdf")}, follow=True
    )
    assert "tidak sesuai dengan jenisnya" in fake.content.decode()
    score = IndicatorScore.objects.get(assessment=assessment_kab, indicator__number=43)
    (evidence,) = score.evidence.all()
    assert evidence.original_name == "portal-data.pdf"
    assert "portal-data" not in evidence.file.name  # stored under a random name
    assert private_storage.exists(evidence.file.name)

    client.force_login(account("pimpinan-kab"))
    download = client.get(url("evidence_download", kab, evidence.pk))
    assert download.status_code == 200
    assert isinstance(download, StreamingHttpResponse)
    assert b"".join(download.streaming_content) == PDF
    client.force_login(account("admin-kota"))
    assert client.get(url("evidence_download", kab, evidence.pk)).status_code == 404

    client.force_login(admin_kab)
    response = client.post(url("evidence_delete", kab, evidence.pk))
    assert response.status_code == 302
    assert not score.evidence.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [("catatan.txt", b"hello"), ("kosong.pdf", b""), ("rusak.xlsx", b"PK\x03\x04garbage")],
)
def test_unacceptable_evidence_is_refused(
    admin_kab: User,
    assessment_kab: Assessment,
    private_storage: FileSystemStorage,
    name: str,
    content: bytes,
) -> None:
    score = assessment_kab.scores.select_related("assessment", "indicator").get(indicator__number=1)
    with pytest.raises(DomainError):
        services.evidence_add(
            score=score, upload=SimpleUploadedFile(name, content), actor=admin_kab
        )


def test_pages_read_in_a_fixed_number_of_queries(
    client: Client,
    admin_kab: User,
    kab: Tenant,
    assessment_kab: Assessment,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    client.force_login(admin_kab)
    with django_assert_max_num_queries(20):
        assert client.get(url("assessment_detail", kab, assessment_kab.pk)).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(url("assessment_list", kab)).status_code == 200


def test_save_and_next_moves_to_the_following_indicator(
    client: Client, admin_kab: User, kab: Tenant, assessment_kab: Assessment
) -> None:
    client.force_login(admin_kab)
    response = client.post(
        url("indicator_edit", kab, assessment_kab.pk, 42), {"level": "4", "next": "1"}
    )
    assert response["Location"] == url("indicator_edit", kab, assessment_kab.pk, 43)


def test_pages_are_translated_to_english(
    client: Client, pimpinan_kab: User, kab: Tenant, assessment_kab: Assessment
) -> None:
    client.force_login(pimpinan_kab)
    page = client.get(
        url("assessment_detail", kab, assessment_kab.pk), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Index per domain" in page
    assert "Public service complaints" in page  # the indicator's English name, from the data


def test_the_tenant_home_page_leads_admins_and_leaders_to_spbe(
    client: Client, pimpinan_kab: User, citra: User, kab: Tenant
) -> None:
    link = url("assessment_list", kab)
    client.force_login(pimpinan_kab)
    assert link in client.get(reverse("tenant_home", args=[kab.slug])).content.decode()
    client.force_login(citra)
    assert link not in client.get(reverse("tenant_home", args=[kab.slug])).content.decode()
