"""Background work of complaints, run by ``kotacerdas publish_photos``."""

from __future__ import annotations

from kotacerdas.complaints import services
from kotacerdas.complaints.models import Photo


def photos_publish_pending(*, limit: int = 20, after: int = 0) -> tuple[int, int | None]:
    """Makes the public copies of up to ``limit`` waiting photos after id ``after``, oldest
    first. Returns how many were made and the id to go on after, or None at the queue's end
    (the next pass starts again from 0). Paging on by id keeps a photo whose original cannot
    be read from holding up the others: it is tried again on the next pass. Idempotent: a
    worker that was down catches up from the table."""
    batch = list(Photo.objects.pending().filter(pk__gt=after).order_by("pk")[:limit])
    made = sum(services.photo_publish(photo=photo) for photo in batch)
    return made, (batch[-1].pk if len(batch) == limit else None)
