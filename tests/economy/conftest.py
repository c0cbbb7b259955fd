from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pytest_django import Settings

from kotacerdas.accounts.models import Role, User
from kotacerdas.economy import demo
from kotacerdas.economy.models import EvidenceFile, Photo, TourismVillage
from kotacerdas.tenants.models import Opd, Tenant


@pytest.fixture
def sikonde(kab: Tenant, settings: Settings) -> TourismVillage:
    """Kabupaten Serang's example villages and fisheries products, as `setup --demo` makes them,
    without the demo's pictures (each test counts the photos and files it uploads)."""
    demo.load_demo(password="x")
    Photo.objects.all().delete()
    shutil.rmtree(settings.MEDIA_ROOT)
    return TourismVillage.objects.get(tenant=kab, slug="cikolelet")


@pytest.fixture
def pokdarwis(sikonde: TourismVillage) -> User:
    return User.objects.get(username="pokdarwis-kab")


@pytest.fixture
def other_manager(kab: Tenant, sikonde: TourismVillage) -> User:
    """The manager of Pulau Tunda: another village of the same regency."""
    user = User.objects.create_user(
        username="pokdarwis-tunda", role=Role.VILLAGE_MANAGER, tenant=kab, password="x"
    )
    TourismVillage.objects.get(tenant=kab, slug="pulau-tunda").managers.add(user)
    return user


def _operator(tenant: Tenant, acronym: str, username: str) -> User:
    return User.objects.create_user(
        username=username,
        role=Role.OPD_OPERATOR,
        tenant=tenant,
        opd=Opd.objects.get(tenant=tenant, acronym=acronym),
        email=f"{username}@contoh.id",
        password="x",
    )


@pytest.fixture
def disparpora(kab: Tenant) -> User:
    return _operator(kab, "Disparpora", "disparpora-kab")


@pytest.fixture
def ovop_office(kab: Tenant) -> User:
    return _operator(kab, "DKP", "dkp-kab")


@pytest.fixture(autouse=True)
def _media(tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """Photos and evidence files go to temporary folders during the test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    private = FileSystemStorage(location=tmp_path / "private", base_url=None)
    monkeypatch.setattr(EvidenceFile._meta.get_field("file"), "storage", private)


def jpeg(width: int = 2400, height: int = 1800, *, gps: bool = True) -> bytes:
    """A phone-like JPEG, with a camera model and a GPS position in its EXIF."""
    image = Image.new("RGB", (width, height), (30, 120, 60))
    exif = Image.Exif()
    exif[0x0110] = "KameraHP X1"  # Model
    if gps:
        exif[0x8825] = {1: "S", 2: (6.0, 11.0, 34.8), 3: "E", 4: (105.0, 55.0, 58.8)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, quality=85)
    return out.getvalue()


def upload(content: bytes, name: str = "foto.jpg", content_type: str = "image/jpeg") -> Any:
    return SimpleUploadedFile(name, content, content_type=content_type)


def fetch(client: Any, url: str) -> tuple[int, bytes, Any]:
    """GET a file: status, body and the response."""
    response = client.get(url)
    return response.status_code, response.content, response
