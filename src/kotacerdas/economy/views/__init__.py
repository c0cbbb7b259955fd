"""Pages: the public portal (villages, products, events, requests with a private tracking link)
and the back office of village managers, producers and the offices, one module per subtopic."""

from kotacerdas.economy.views.events import calendar, calendar_ics
from kotacerdas.economy.views.figures import figures, figures_export
from kotacerdas.economy.views.files import (
    evidence,
    photo,
    photo_thumb,
    product_photos,
    village_photos,
)
from kotacerdas.economy.views.office import assessment, inbox, request_detail
from kotacerdas.economy.views.public import portal, product, request_new, track, village

__all__ = [
    "assessment",
    "calendar",
    "calendar_ics",
    "evidence",
    "figures",
    "figures_export",
    "inbox",
    "photo",
    "photo_thumb",
    "portal",
    "product",
    "product_photos",
    "request_detail",
    "request_new",
    "track",
    "village",
    "village_photos",
]
