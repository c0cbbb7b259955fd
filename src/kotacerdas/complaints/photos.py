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
            with Image.open(io.BytesIO(raw)) as probe:
                probe.verify()
                image_format = probe.format
            if image_format not in ACCEPTED_FORMATS:
                raise ValueError(image_format)
            with Image.open(io.BytesIO(raw)) as image:
                image.load()
                upright = ImageOps.exif_transpose(image).convert("RGB")
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
