"""Server-rendered pages of complaints, split by audience: ``public`` (citizens, no account
needed), ``staff`` (triage, the OPD inbox, the complaint page) and ``statistics``."""

from kotacerdas.complaints.views.public import (
    follow,
    me_too,
    nearby,
    photo,
    public_home,
    public_list,
    report,
    ticket,
    track,
)
from kotacerdas.complaints.views.staff import staff_detail, staff_inbox, staff_new
from kotacerdas.complaints.views.statistics import statistics

__all__ = [
    "follow",
    "me_too",
    "nearby",
    "photo",
    "public_home",
    "public_list",
    "report",
    "staff_detail",
    "staff_inbox",
    "staff_new",
    "statistics",
    "ticket",
    "track",
]
