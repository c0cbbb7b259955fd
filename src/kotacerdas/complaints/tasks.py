"""Background work of complaints, run by ``kotacerdas publish_photos``."""

from __future__ import annotations

from kotacerdas.complaints import services
from kotacerdas.complaints.models import Photo


def photos_publish_pending(*, limit: int = 20) -> int:
    """Makes the public copies of up to ``limit`` photos that have none, oldest first; returns
    how many were made. Idempotent: a worker that was down catches up from the table."""
    made = 0
    for photo in Photo.objects.pending().order_by("pk")[:limit]:
        made += services.photo_publish(photo=photo)
    return made
