"""What other apps read (trend, summary), the demo data, platform evidence links."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from kotacerdas.accounts.models import User
from kotacerdas.core.errors import DomainError
from kotacerdas.spbe import demo, selectors, services
from kotacerdas.spbe.models import Assessment, Framework
from kotacerdas.tenants.models import Tenant
from tests.conftest import DEMO_PASSWORD
from tests.spbe.conftest import body, vector

SCORE = "/api/v1/spbe/score"


@pytest.fixture
def demo_loaded(db: None) -> None:
    demo.load_demo(password=DEMO_PASSWORD)


def test_demo_reproduces_kabupaten_serangs_published_indexes(
    demo_loaded: None, kab: Tenant, kota: Tenant
) -> None:
    published: list[tuple[int, object, str]] = [
        (2021, pytest.approx(2.64), "Baik"),
        (2023, pytest.approx(3.23), "Baik"),
        (2024, pytest.approx(3.74), "Sangat Baik"),
    ]
    assert selectors.spbe_index_trend(kab) == published
    kota_published: list[tuple[int, object, str]] = [(2023, pytest.approx(2.87), "Baik")]
    assert selectors.spbe_index_trend(kota) == kota_published
    draft = Assessment.objects.get(tenant=kab, year=2025)
    assert draft.status == "draft"
    score = selectors.assessment_result(draft).score
    assert score is not None and score.index_display == "4.13"


def test_demo_is_idempotent(demo_loaded: None, kab: Tenant) -> None:
    demo.load_demo(password=DEMO_PASSWORD)
    assert Assessment.objects.filter(tenant=kab).count() == 4


def test_trend_is_unrounded_and_leaves_out_drafts(
    admin_kab: User, kab: Tenant, assessment_kab: Assessment
) -> None:
    # 2.5 per indicator x 1 level on 11 only: all 2 -> 200 + 2.5 = 202.5 -> 2.025 (shown 2.03)
    final = services.assessment_create(tenant=kab, year=2019, actor=admin_kab)
    services.assessment_set_levels(assessment=final, levels=vector(2, i11=3), actor=admin_kab)
    services.assessment_transition(assessment=final, action="finalize", actor=admin_kab)
    assert selectors.spbe_index_trend(kab) == [(2019, 2.025, "Cukup")]


def test_summary_has_the_score_api_shapes(
    admin_kab: User, kab: Tenant, assessment_kab: Assessment
) -> None:
    assert selectors.spbe_assessment_summary(kab, 2025) is None  # still a draft
    services.assessment_transition(assessment=assessment_kab, action="finalize", actor=admin_kab)
    summary = selectors.spbe_assessment_summary(kab, 2025)
    assert summary is not None
    assert summary["index_display"] == "3.41"
    assert summary["predicate"] == "Baik"
    assert summary["domains"][2] == {
        "code": "D3",
        "name": "Manajemen SPBE",
        "index": pytest.approx(52 / 11),
        "predicate": "Memuaskan",
    }
    assert [a["code"] for a in summary["aspects"]] == [f"A{n}" for n in range(1, 9)]
    assert selectors.spbe_assessment_summary(kab, 2010) is None


def test_trend_reads_in_constant_queries(
    demo_loaded: None, kab: Tenant, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_max_num_queries(8):
        selectors.spbe_index_trend(kab)


def test_installed_platform_modules_are_linked_as_evidence(kab: Tenant) -> None:
    found = selectors.platform_evidence(kab)
    complaints = reverse("complaints:public_home", args=[kab.slug])
    services_home = reverse("services:home", args=[kab.slug])
    assert found[42] == [{"label": "Aduan warga", "url": complaints}]
    assert 43 not in found  # open data is not installed yet
    assert [m["url"] for n in (45, 46, 47) for m in found[n]] == [services_home] * 3


def test_platform_modules_are_linked_only_when_installed(
    kab: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        selectors,
        "PLATFORM_EVIDENCE",
        [
            ("kotacerdas.spbe", "tenant_home", (42,), "Aduan warga"),
            ("kotacerdas.spbe", "no_such:page", (43,), "Data terbuka"),
        ],
    )
    assert selectors.platform_evidence(kab) == {
        42: [{"label": "Aduan warga", "url": reverse("tenant_home", args=[kab.slug])}]
    }


def test_without_an_active_framework_nothing_breaks(
    client: Client, admin_kab: User, kab: Tenant
) -> None:
    Framework.objects.update(is_active=False)
    response = client.post(SCORE, body(vector(3)), content_type="application/json")
    assert response.status_code == 404
    assert selectors.spbe_index_trend(kab) == []
    assert selectors.spbe_assessment_summary(kab, 2024) is None
    with pytest.raises(DomainError):
        services.assessment_create(tenant=kab, year=2024, actor=admin_kab)
