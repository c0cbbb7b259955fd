"""The back office: frameworks are platform data, and frozen once assessments use them."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from kotacerdas.accounts.models import User
from kotacerdas.spbe.models import Assessment, Framework
from tests.conftest import account


def test_platform_admin_adds_a_new_framework_as_data(client: Client, db: None) -> None:
    client.force_login(account("superadmin"))
    response = client.post(
        reverse("admin:spbe_framework_add"),
        {
            "name": "Indeks Pemerintah Digital",
            "name_en": "Digital Government Index",
            "code": "ipd-2025",
            "regulation": "",
            "effective_year": 2025,
            "min_level": 1,
            "max_level": 5,
            "is_active": "on",
            **{
                f"{prefix}-{key}": value
                for prefix in ("domains", "level_names", "thresholds")
                for key, value in (("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0))
            },
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Framework.objects.filter(code="ipd-2025").exists()


def test_a_framework_in_use_is_read_only(client: Client, assessment_kab: Assessment) -> None:
    client.force_login(account("superadmin"))
    framework = assessment_kab.framework
    page = client.get(reverse("admin:spbe_framework_change", args=[framework.pk]))
    assert page.status_code == 200
    assert b'name="name"' not in page.content  # shown, not editable
    response = client.post(
        reverse("admin:spbe_framework_change", args=[framework.pk]), {"name": "X"}
    )
    assert response.status_code == 403


def test_region_admin_sees_only_own_assessments_and_no_framework_data(
    client: Client, admin_kota: User, assessment_kab: Assessment
) -> None:
    client.force_login(admin_kota)
    assert client.get(reverse("admin:spbe_framework_changelist")).status_code == 403
    page = client.get(reverse("admin:spbe_assessment_changelist"))
    assert page.status_code == 200
    assert "Kabupaten Serang" not in page.content.decode()
