from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage

from kotacerdas.accounts.models import User
from kotacerdas.spbe import services
from kotacerdas.spbe.models import Assessment, Evidence
from kotacerdas.spbe.scoring import FrameworkSpec
from kotacerdas.spbe.selectors import framework_spec
from kotacerdas.tenants.models import Tenant
from tests.conftest import account


def vector(default: int, **ranges: int) -> dict[int, int]:
    """Levels for indicators 1..47: ``default`` everywhere, overridden by ``i11_18=5`` style
    keyword ranges (inclusive) or single indicators ``i42=4``."""
    levels = dict.fromkeys(range(1, 48), default)
    for key, level in ranges.items():
        first, _sep, last = key[1:].partition("_")
        for number in range(int(first), int(last or first) + 1):
            levels[number] = level
    return levels


def body(levels: dict[int, int]) -> dict[str, dict[str, int]]:
    return {"levels": {str(k): v for k, v in levels.items()}}


@pytest.fixture
def spec(db: None) -> FrameworkSpec:
    return framework_spec()


@pytest.fixture
def private_storage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FileSystemStorage:
    """Evidence files go to a temporary private folder during the test."""
    storage = FileSystemStorage(location=tmp_path / "private", base_url=None)
    monkeypatch.setattr(Evidence._meta.get_field("file"), "storage", storage)
    return storage


@pytest.fixture
def assessment_kab(admin_kab: User, kab: Tenant) -> Assessment:
    """A complete draft for Kabupaten Serang at 3.41 (Baik): all 3, 11-15 at 4, 21-29 at 5,
    30 at 4 -> 300 + 12.5 + 27 + 1.5 = 341."""
    assessment = services.assessment_create(tenant=kab, year=2025, actor=admin_kab)
    services.assessment_set_levels(
        assessment=assessment, levels=vector(3, i11_15=4, i21_29=5, i30=4), actor=admin_kab
    )
    return assessment


@pytest.fixture
def pimpinan_kab(db: None) -> User:
    return account("pimpinan-kab")


@pytest.fixture(autouse=True)
def indonesian_by_default() -> Iterator[None]:
    """Each test starts in Bahasa Indonesia: a page requested in English earlier in the same
    worker leaves its language active in the thread."""
    from django.utils import translation

    with translation.override("id"):
        yield
