"""Photos of villages (with their attractions and homestays) and of products: decoded, turned
upright, stored as a page-sized JPEG and a thumbnail without metadata."""

from __future__ import annotations

import io
import uuid
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image

from kotacerdas.accounts.models import User
from kotacerdas.core.errors import DomainError
from kotacerdas.core.lifecycle import lock
from kotacerdas.core.uploads import check_size, photo_read
from kotacerdas.economy.models import (
    Attraction,
    Homestay,
    Photo,
    Product,
    TourismVillage,
)

MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_PHOTOS = 20  # per village (with its attractions and homestays) or per product
PHOTO_SIDE = 1600
THUMB_SIDE = 480


def _jpeg(image: Image.Image, side: int) -> tuple[bytes, int, int]:
    copy = image.copy()
    copy.thumbnail((side, side))
    out = io.BytesIO()
    copy.save(out, format="JPEG", quality=80, optimize=True, progressive=True)  # no exif=
    return out.getvalue(), copy.width, copy.height


def photo_add(
    *,
    upload: UploadedFile,
    actor: User | None,
    village: TourismVillage | None = None,
    attraction: Attraction | None = None,
    homestay: Homestay | None = None,
    product: Product | None = None,
    caption: str = "",
) -> Photo:
    """Re-encodes an uploaded photo (header checked before any pixel is decoded, a large JPEG
    decoded reduced, turned upright, every metadata dropped) into a page-sized JPEG and a
    thumbnail. The caller has checked that ``actor`` may act on the village or product."""
    if (village is None) == (product is None):
        raise DomainError(_("Foto untuk satu desa atau satu produk."), code="invalid_owner")
    for part in (attraction, homestay):
        if part is not None and part.village_id != getattr(village, "pk", None):
            raise DomainError(_("Bagian ini bukan milik desa tersebut."), code="invalid_owner")
    check_size(upload, MAX_PHOTO_BYTES)
    owner = (
        Photo.objects.filter(village=village) if village else Photo.objects.filter(product=product)
    )
    if owner.count() >= MAX_PHOTOS:  # refused early, before any decoding
        raise _too_many_photos()
    upright = photo_read(upload, max_bytes=MAX_PHOTO_BYTES, max_side=PHOTO_SIDE).upright
    stem = uuid.uuid4().hex
    tenant_id = village.tenant_id if village else product.producer.tenant_id  # type: ignore[union-attr]
    full, width, height = _jpeg(upright, PHOTO_SIDE)
    small, thumb_width, thumb_height = _jpeg(upright, THUMB_SIDE)
    photo = Photo(
        tenant_id=tenant_id,
        village=village,
        attraction=attraction,
        homestay=homestay,
        product=product,
        caption=caption.strip()[:150],
        uploaded_by=actor,
        width=width,
        height=height,
        thumb_width=thumb_width,
        thumb_height=thumb_height,
    )
    # Files first, outside the transaction: no storage I/O while the owner's row is locked.
    photo.image.save(f"{stem}.jpg", ContentFile(full), save=False)
    photo.thumb.save(f"{stem}-t.jpg", ContentFile(small), save=False)
    try:
        with transaction.atomic():
            # Two uploads at once: the owner's row lock serialises the count and the insert.
            lock(village if village is not None else product)  # type: ignore[type-var]
            if owner.count() >= MAX_PHOTOS:
                raise _too_many_photos()
            photo.save()
    except Exception:
        _delete_files(photo.image.storage, [photo.image.name, photo.thumb.name])
        raise
    return photo


def _too_many_photos() -> DomainError:
    return DomainError(_("Paling banyak %(n)d foto.") % {"n": MAX_PHOTOS}, code="too_many_photos")


def _delete_files(storage: Any, names: list[str]) -> None:
    for name in names:
        storage.delete(name)


def photo_remove(*, photo: Photo) -> None:
    names = [photo.image.name, photo.thumb.name]
    storage = photo.image.storage
    with transaction.atomic():
        photo.delete()
        transaction.on_commit(lambda: _delete_files(storage, names))
