"""Every write of the tourism-village and OVOP app, by subtopic. Messages go through the outbox
only.

- ``visitor_requests``: visitors' requests and their lifecycle, reminders on unanswered ones,
  the retention of visitors' contacts
- ``permits``: reminders before a product's permit expires
- ``assessment``: the ADWI self-assessment with carry-forward, and its evidence files
- ``photos``: photos of villages and products
"""

from kotacerdas.economy.services.assessment import (
    assessment_current,
    assessment_review,
    assessment_save,
    assessment_start,
    assessment_submit,
    category_scores,
    evidence_add,
    evidence_remove,
)
from kotacerdas.economy.services.permits import permit_reminders
from kotacerdas.economy.services.photos import (
    MAX_PHOTOS,
    PHOTO_SIDE,
    THUMB_SIDE,
    photo_add,
    photo_remove,
)
from kotacerdas.economy.services.visitor_requests import (
    OPEN,
    REQUEST_WORKFLOW,
    contacts_due,
    contacts_purge,
    event_label,
    reminders_unanswered,
    request_act,
    request_cancel,
    request_rate,
    request_submit,
)

__all__ = [
    "MAX_PHOTOS",
    "OPEN",
    "PHOTO_SIDE",
    "REQUEST_WORKFLOW",
    "THUMB_SIDE",
    "assessment_current",
    "assessment_review",
    "assessment_save",
    "assessment_start",
    "assessment_submit",
    "category_scores",
    "contacts_due",
    "contacts_purge",
    "event_label",
    "evidence_add",
    "evidence_remove",
    "permit_reminders",
    "photo_add",
    "photo_remove",
    "reminders_unanswered",
    "request_act",
    "request_cancel",
    "request_rate",
    "request_submit",
]
