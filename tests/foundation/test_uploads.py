"""core.uploads: files are judged by their bytes; images by their header before decoding."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from reportlab.pdfgen.canvas import Canvas

from kotacerdas.core.errors import DomainError
from kotacerdas.core.uploads import (
    MAX_PIXELS,
    evidence_check,
    image_header_check,
    image_open_reduced,
    inspect_upload,
)


def _image(size: tuple[int, int], fmt: str, mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, format=fmt)
    return out.getvalue()


def _pdf() -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out)
    canvas.drawString(100, 700, "Surat pengantar RT")
    canvas.save()
    return out.getvalue()


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.fixture(scope="module")
def png_bomb() -> bytes:
    """9000 × 9000 pixels (81 megapixels, under Pillow's own limit) in a few kilobytes."""
    return _image((9000, 9000), "PNG", mode="1")


def test_a_decompression_bomb_is_refused_from_its_header(png_bomb: bytes) -> None:
    assert len(png_bomb) < 100_000 and MAX_PIXELS < 9000 * 9000
    with pytest.raises(DomainError) as refused:
        image_header_check(png_bomb)
    assert refused.value.code == "file_too_many_pixels"
    with pytest.raises(DomainError) as refused:
        inspect_upload(_upload("ktp.png", png_bomb), accepted=["png", "pdf"], max_size_mb=5)
    assert refused.value.code == "file_too_many_pixels"
    with pytest.raises(DomainError) as refused:
        evidence_check(_upload("bukti.png", png_bomb))
    assert refused.value.code == "file_too_many_pixels"


def test_a_large_jpeg_is_decoded_at_a_reduced_scale() -> None:
    photo = _image((4000, 3000), "JPEG")
    assert image_header_check(photo).kind == "jpg"
    image = image_open_reduced(photo, max_side=1600)
    assert image.size == (2000, 1500)  # draft: 1/2 scale, the smallest still >= 1600


@pytest.mark.parametrize(
    ("name", "content", "accepted", "kind_or_code"),
    [
        ("scan.pdf", _pdf(), ["pdf"], "pdf"),
        ("foto.jpg", _image((120, 80), "JPEG"), ["jpg", "pdf"], "jpg"),
        ("foto.png", _image((120, 80), "PNG"), ["jpg"], "file_type"),
        ("kosong.pdf", b"", ["pdf"], "file_empty"),
        ("rusak.pdf", b"%PDF-1.4\n garbage", ["pdf"], "file_corrupt"),
        ("rusak.jpg", _image((400, 300), "JPEG")[:600], ["jpg"], "file_corrupt"),
        ("teks.pdf", b"bukan dokumen", ["pdf", "jpg"], "file_type"),
    ],
)
def test_inspect_upload_names_the_kind_or_the_problem(
    name: str, content: bytes, accepted: list[str], kind_or_code: str
) -> None:
    try:
        kind = inspect_upload(_upload(name, content), accepted=accepted, max_size_mb=5)
    except DomainError as error:
        assert error.code == kind_or_code
        assert error.status == 400
    else:
        assert kind == kind_or_code


def test_inspect_upload_refuses_a_file_above_the_limit() -> None:
    with pytest.raises(DomainError) as refused:
        inspect_upload(
            _upload("besar.pdf", _pdf() + b"0" * 200_000), accepted=["pdf"], max_size_mb=0.1
        )
    assert refused.value.code == "file_too_large"


def _docx(with_manifest: bool) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml" if with_manifest else "x.txt", "<Types/>")
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("laporan.pdf", _pdf(), None),
        ("rapat.docx", _docx(with_manifest=True), None),
        ("rapat.docx", _docx(with_manifest=False), "file_type"),
        ("foto.png", _image((10, 10), "JPEG"), "file_type"),  # a JPEG named .png
        ("skrip.exe", b"MZ", "file_type"),
        ("kosong.pdf", b"", "file_empty"),
    ],
)
def test_evidence_check_uses_the_same_codes(name: str, content: bytes, code: str | None) -> None:
    if code is None:
        assert evidence_check(_upload(name, content)).name == name
        return
    with pytest.raises(DomainError) as refused:
        evidence_check(_upload(name, content))
    assert refused.value.code == code
