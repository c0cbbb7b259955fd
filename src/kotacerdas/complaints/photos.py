"""Checking and cleaning uploaded photos: by content with Pillow, never by file name."""

from __future__ import annotations

import io
import uuid
import warnings
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from kotacerdas.core.errors import DomainError

MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_PHOTOS = 5
PUBLIC_MAX_SIDE = 1600
ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF", "MPO"})


# Checked from the header, before any pixel is decoded: 9000 x 9000 pixels in a 79 KB PNG would take
# about 500 MB to decode. 40 megapixels covers phone cameras (JPEGs are decoded reduced, see
# ``draft``); Pillow's own bomb limit (89 megapixels) is far too generous for a web worker.
MAX_PIXELS = 40_000_000


def _header_check(raw: bytes) -> str:
    """The image's format, read from its header only; ``DomainError`` for an image of more than
    ``MAX_PIXELS`` pixels or a format not accepted. (Meant to move to ``core.uploads``.)"""
    with Image.open(io.BytesIO(raw)) as header:  # lazy: reads the header, decodes nothing
        width, height = header.size
        image_format = header.format or ""
    if image_format not in ACCEPTED_FORMATS:
        raise ValueError(image_format)
    if width * height > MAX_PIXELS:
        raise DomainError(
            _("Foto terlalu besar: %(w)d×%(h)d piksel (maksimal %(mp)d megapiksel).")
            % {"w": width, "h": height, "mp": MAX_PIXELS // 1_000_000},
            code="photo_too_many_pixels",
        )
    return image_format


@dataclass(frozen=True)
class CleanPhoto:
    public: ContentFile[bytes]
    original: ContentFile[bytes]


def photo_clean(upload: UploadedFile) -> CleanPhoto:
    """Accepts an image of at most 8 MB; returns a re-encoded JPEG without any EXIF (GPS included)
    for the public, and the untouched original for private storage. Raises ``DomainError``."""
    name = upload.name or "foto"
    if upload.size is not None and upload.size > MAX_PHOTO_BYTES:
        raise DomainError(
            _("Foto “%(name)s” terlalu besar (maksimal 8 MB).") % {"name": name},
            code="photo_too_large",
        )
    raw = upload.read()
    if len(raw) > MAX_PHOTO_BYTES:
        raise DomainError(
            _("Foto “%(name)s” terlalu besar (maksimal 8 MB).") % {"name": name},
            code="photo_too_large",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image_format = _header_check(raw)
            with Image.open(io.BytesIO(raw)) as probe:
                probe.verify()
            with Image.open(io.BytesIO(raw)) as image:
                # A JPEG is decoded at a reduced scale (1/2 to 1/8) when it is larger than the
                # public copy needs: a 48-megapixel photo then costs a few MB, not 150 MB.
                image.draft(None, (PUBLIC_MAX_SIDE, PUBLIC_MAX_SIDE))
                image.load()
                upright = ImageOps.exif_transpose(image).convert("RGB")
    except DomainError:
        raise
    except Exception:  # Pillow raises many kinds of error on hostile input
        raise DomainError(
            _("Berkas “%(name)s” bukan foto yang dapat dibaca (JPEG, PNG, WebP atau GIF).")
            % {"name": name},
            code="photo_invalid",
        ) from None
    upright.thumbnail((PUBLIC_MAX_SIDE, PUBLIC_MAX_SIDE))
    out = io.BytesIO()
    upright.save(
        out, format="JPEG", quality=82, optimize=True
    )  # no exif= argument: metadata is dropped
    stem = uuid.uuid4().hex
    extension = {"JPEG": "jpg", "MPO": "jpg"}.get(
        image_format or "", (image_format or "bin").lower()
    )
    return CleanPhoto(
        public=ContentFile(out.getvalue(), name=f"{stem}.jpg"),
        original=ContentFile(raw, name=f"{stem}.{extension}"),
    )
