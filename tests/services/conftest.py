from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from PIL import Image
from pypdf import PdfWriter

from kotacerdas.accounts.models import User
from kotacerdas.services.demo import load_catalogue
from kotacerdas.services.models import Location, Service
from kotacerdas.tenants.models import Tenant
from tests.conftest import account

WOMAN_NIK = "3673015203950001"  # Kec. Serang, a woman born 12-03-1995
KK_NUMBER = "3673011503200004"


@pytest.fixture
def catalogue(kota: Tenant, kab: Tenant) -> dict[str, list[Location]]:
    return {"kota": load_catalogue(kota), "kab": load_catalogue(kab)}


@pytest.fixture
def kk_service(catalogue: dict[str, list[Location]], kota: Tenant) -> Service:
    return Service.objects.get(tenant=kota, code="kk-baru")


@pytest.fixture
def mpp(catalogue: dict[str, list[Location]], kota: Tenant) -> Location:
    return Location.objects.get(tenant=kota, kind="mpp")


@pytest.fixture
def operator(db: None) -> User:
    """The Disdukcapil operator of Kota Serang."""
    return account("disdukcapil-kota")


@pytest.fixture
def eko(db: None) -> User:
    """Another citizen."""
    return User.objects.create_user(username="eko", password="x", email="eko@example.id")


def jpeg_bytes(size: tuple[int, int] = (60, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 180, 150)).save(buffer, format="JPEG")
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def indonesian_by_default() -> Iterator[None]:
    """Each test starts in Bahasa Indonesia: a page requested in English earlier in the same
    worker leaves its language active in the thread."""
    from django.utils import translation

    with translation.override("id"):
        yield


@pytest.fixture(autouse=True)
def private_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FileSystemStorage:
    """Uploaded documents go to a temporary private folder during tests."""
    from django.core.files.storage import FileSystemStorage

    from kotacerdas.services.models import Application, Document

    storage = FileSystemStorage(location=tmp_path / "private")
    for model in (Document, Application):
        field = model._meta.get_field("file" if model is Document else "result_file")
        monkeypatch.setattr(field, "storage", storage)
    return storage
