"""Uploaded photos (checked by ``core.uploads``): the original is kept privately, and the
public copy without metadata is made after commit by the worker (``publish_photos``)."""

from __future__ import annotations

import io
import uuid

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from kotacerdas.core.errors import DomainError
from kotacerdas.core.uploads import photo_decode, photo_read

MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_PHOTOS = 5
PUBLIC_MAX_SIDE = 1600


def photo_check(upload: UploadedFile) -> ContentFile[bytes]:
    """Accepts an image of at most 8 MB (checked and decoded by ``core.uploads.photo_read``,
    with its error codes, so that a damaged file is refused in the request); returns the
    untouched original for private storage. Raises ``DomainError``.

    The re-encoding (tens of ms of CPU a photo) is left to ``photo_public_copy`` in the worker."""
    try:
        photo = photo_read(upload, max_bytes=MAX_PHOTO_BYTES, max_side=PUBLIC_MAX_SIDE)
    except DomainError as error:  # which of the photos: the same code, with its name
        raise DomainError(
            _("Foto “%(name)s”: %(detail)s")
            % {"name": upload.name or "foto", "detail": error.message},
            code=error.code,
        ) from None
    return ContentFile(photo.raw, name=f"{uuid.uuid4().hex}.{photo.kind}")


def photo_public_copy(raw: bytes) -> ContentFile[bytes]:
    """The public copy of an accepted original: upright, at most 1600 px, re-encoded as a JPEG
    without any EXIF (GPS included). Raises ``DomainError`` if it no longer decodes."""
    upright = photo_decode(raw, max_side=PUBLIC_MAX_SIDE).upright
    upright.thumbnail((PUBLIC_MAX_SIDE, PUBLIC_MAX_SIDE))
    out = io.BytesIO()
    upright.save(out, format="JPEG", quality=82, optimize=True)  # no exif=: metadata is dropped
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")
