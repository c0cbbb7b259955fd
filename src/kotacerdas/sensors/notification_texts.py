"""What the sensors app says through notifications (``notifications.texts``): rendered when
read, in the reader's language, from the parameters the outbox row stores."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kotacerdas.notifications.texts import Params, text
from kotacerdas.sensors.alerts import local_number


def _body(params: Params) -> str:
    return _("Nilai %(value)s pada %(time)s.") % {
        "value": local_number(params["value"]),
        "time": params["time"],
    }


@text("sensors.alert_opened")
def alert_opened(params: Params) -> tuple[str, str]:
    return _("Peringatan baru: %(device)s %(level)s") % params, _body(params)


@text("sensors.alert_escalated")
def alert_escalated(params: Params) -> tuple[str, str]:
    return _("Peringatan naik: %(device)s %(level)s") % params, _body(params)


@text("sensors.alert_closed")
def alert_closed(params: Params) -> tuple[str, str]:
    return _("Peringatan selesai: %(device)s") % params, _body(params)
