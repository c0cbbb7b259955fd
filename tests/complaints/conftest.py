from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pytest_django import Settings

from kotacerdas.complaints.demo import load_categories
from kotacerdas.complaints.models import Category, Photo
from kotacerdas.tenants.models import Tenant


@pytest.fixture(autouse=True)
def _categories(
    db: None, tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    # The test database has no cache table (createcachetable runs only in `setup`): rate limits
    # count in memory here, fresh for each test.
    memory = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": str(tmp_path)}
    settings.CACHES = {"default": memory, "ratelimit": {**memory, "KEY_PREFIX": "rl"}}
    # The photo field holds the private storage object itself: point it at a temporary folder.
    private = Photo._meta.get_field("original").storage
    monkeypatch.setattr(private, "_location", str(tmp_path / "private"))
    for cached in ("base_location", "location"):
        private.__dict__.pop(cached, None)
    load_categories()


@pytest.fixture
def pju(kota: Tenant) -> Category:
    return Category.objects.get(tenant=kota, code="pju")


@pytest.fixture
def sampah(kota: Tenant) -> Category:
    return Category.objects.get(tenant=kota, code="sampah")


def jpeg_with_gps(name: str = "lampu.jpg", size: tuple[int, int] = (40, 30)) -> SimpleUploadedFile:
    """A JPEG carrying EXIF GPS data, like a photo straight from a phone."""
    image = Image.new("RGB", size, (200, 180, 20))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "S", 2: (6.0, 7.0, 30.0), 3: "E", 4: (106.0, 8.0, 50.0)}
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")
