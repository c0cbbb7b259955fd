"""Cleaning uploaded photos (checked by ``core.uploads``): a public copy without metadata."""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from kotacerdas.core.errors import DomainError
from kotacerdas.core.uploads import photo_read

MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_PHOTOS = 5
PUBLIC_MAX_SIDE = 1600


@dataclass(frozen=True)
class CleanPhoto:
    public: ContentFile[bytes]
    original: ContentFile[bytes]


def photo_clean(upload: UploadedFile) -> CleanPhoto:
    """Accepts an image of at most 8 MB (checked by ``core.uploads.photo_read``, with its error
    codes); returns a re-encoded JPEG without any EXIF (GPS included) for the public, and the
    untouched original for private storage. Raises ``DomainError``."""
    try:
        photo = photo_read(upload, max_bytes=MAX_PHOTO_BYTES, max_side=PUBLIC_MAX_SIDE)
    except DomainError as error:  # which of the photos: the same code, with its name
        raise DomainError(
            _("Foto “%(name)s”: %(detail)s")
            % {"name": upload.name or "foto", "detail": error.message},
            code=error.code,
        ) from None
    upright = photo.upright
    upright.thumbnail((PUBLIC_MAX_SIDE, PUBLIC_MAX_SIDE))
    out = io.BytesIO()
    upright.save(
        out, format="JPEG", quality=82, optimize=True
    )  # no exif= argument: metadata is dropped
    stem = uuid.uuid4().hex
    return CleanPhoto(
        public=ContentFile(out.getvalue(), name=f"{stem}.jpg"),
        original=ContentFile(photo.raw, name=f"{stem}.{photo.kind}"),
    )
