"""Pages of the services app, by subtopic.

- ``catalogue``: the public catalogue
- ``applications``: the citizen's steps (start, form, documents, review, detail, cancel, renew)
- ``appointments``: booking, cancelling, the printable slip
- ``files``: private files behind a short-lived signed link
- ``opd_desk``: the OPD desk's queue, application page, document review and actions
- ``stats``: statistics (page, CSV, XLSX)
- ``register``: the leaders' read-only list of applications (no personal data)
- ``common``: what they share (the signed file link, timelines, documents, answers)
"""

from kotacerdas.services.views.applications import (
    application_cancel,
    application_detail,
    application_documents,
    application_form,
    application_renew,
    application_review,
    application_start,
    my_applications,
)
from kotacerdas.services.views.appointments import (
    appointment_book,
    appointment_cancel,
    appointment_print,
)
from kotacerdas.services.views.catalogue import home, service_detail
from kotacerdas.services.views.files import private_file
from kotacerdas.services.views.opd_desk import desk, desk_action, desk_detail, desk_document
from kotacerdas.services.views.register import application_register
from kotacerdas.services.views.stats import statistics

__all__ = [
    "application_cancel",
    "application_detail",
    "application_documents",
    "application_form",
    "application_register",
    "application_renew",
    "application_review",
    "application_start",
    "appointment_book",
    "appointment_cancel",
    "appointment_print",
    "desk",
    "desk_action",
    "desk_detail",
    "desk_document",
    "home",
    "my_applications",
    "private_file",
    "service_detail",
    "statistics",
]
