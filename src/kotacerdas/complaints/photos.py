"""Checking and cleaning uploaded photos: by content with Pillow, never by file name."""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import ImageOps

from kotacerdas.core.errors import DomainError
from kotacerdas.core.uploads import MAX_PIXELS, image_header_check, image_open_reduced

MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_PHOTOS = 5
PUBLIC_MAX_SIDE = 1600


@dataclass(frozen=True)
class CleanPhoto:
    public: ContentFile[bytes]
    original: ContentFile[bytes]


def _unreadable(name: str) -> DomainError:
    return DomainError(
        _("Berkas “%(name)s” bukan foto yang dapat dibaca (JPEG, PNG, WebP atau GIF).")
        % {"name": name},
        code="photo_invalid",
    )


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
        # core.uploads checks the pixel count from the header before decoding anything, and
        # decodes a large JPEG reduced (draft): a 48-megapixel photo costs a few MB.
        image_format = image_header_check(raw, max_pixels=MAX_PIXELS).kind
        with image_open_reduced(raw, max_side=PUBLIC_MAX_SIDE, max_pixels=MAX_PIXELS) as image:
            upright = ImageOps.exif_transpose(image).convert("RGB")
    except DomainError as error:
        if error.code == "file_too_many_pixels":
            raise DomainError(
                _("Foto “%(name)s” terlalu besar: %(detail)s")
                % {"name": name, "detail": error.message},
                code="photo_too_many_pixels",
            ) from None
        raise _unreadable(name) from None
    except Exception:  # Pillow raises many kinds of error on hostile input
        raise _unreadable(name) from None
    upright.thumbnail((PUBLIC_MAX_SIDE, PUBLIC_MAX_SIDE))
    out = io.BytesIO()
    upright.save(
        out, format="JPEG", quality=82, optimize=True
    )  # no exif= argument: metadata is dropped
    stem = uuid.uuid4().hex
    extension = image_format
    return CleanPhoto(
        public=ContentFile(out.getvalue(), name=f"{stem}.jpg"),
        original=ContentFile(raw, name=f"{stem}.{extension}"),
    )
