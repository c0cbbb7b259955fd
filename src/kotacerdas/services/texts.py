"""What the services app says through notifications (``core.messages``): rendered when
read, in the reader's language, from the parameters the outbox row stores."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kotacerdas.core.messages import Params, pick, text
from kotacerdas.services.models import NOTICE_MESSAGES


@text("services.applicant")
def applicant(params: Params) -> tuple[str, str]:
    """A notice to the applicant: ``kind`` is a key of ``NOTICE_MESSAGES`` with ``values``."""
    subject = _("Permohonan %(number)s: %(service)s") % {
        "number": params["number"],
        "service": pick(params["service"]),
    }
    message = str(NOTICE_MESSAGES[params["kind"]]) % params["values"]
    return subject, "\n\n".join([_("Yth. %(name)s,") % {"name": params["name"]}, message])
