"""What the sensors app says through notifications and on the 112 incidents its alerts open
(``core.messages``): rendered when read, in the reader's language, from the parameters the
row stores."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kotacerdas.core.messages import Params, text
from kotacerdas.sensors.alerts import local_number
from kotacerdas.sensors.models import level_label


def _named(params: Params) -> dict[str, object]:
    """The parameters with the level named in the reader's language (an unnamed one is
    stored empty)."""
    return {**params, "level": level_label(str(params.get("level", "")))}


def _body(params: Params) -> str:
    return _("Nilai %(value)s pada %(time)s.") % {
        "value": local_number(params["value"]),
        "time": params["time"],
    }


@text("sensors.alert_opened")
def alert_opened(params: Params) -> tuple[str, str]:
    return _("Peringatan baru: %(device)s %(level)s") % _named(params), _body(params)


@text("sensors.alert_escalated")
def alert_escalated(params: Params) -> tuple[str, str]:
    return _("Peringatan naik: %(device)s %(level)s") % _named(params), _body(params)


@text("sensors.alert_closed")
def alert_closed(params: Params) -> tuple[str, str]:
    return _("Peringatan selesai: %(device)s") % params, _body(params)


# The 112 incident an alert opens (``emergency.services.incident_open_from_alert``): its place
# and description, and the desk's note when the alert ends.
@text("sensors.incident")
def incident(params: Params) -> tuple[str, str]:
    place = _("Peringatan sensor: %(device)s — %(level)s") % _named(params)
    description = _("%(device)s mencapai %(level)s (nilai %(value)s, puncak %(peak)s).") % {
        **_named(params),
        "value": local_number(params["value"]),
        "peak": local_number(params["peak"]),
    }
    return place, description


@text("sensors.incident_ended")
def incident_ended(params: Params) -> tuple[str, str]:
    note = _("Peringatan sensor selesai: bacaan normal kembali (nilai %(value)s).") % {
        "value": local_number(params["value"])
    }
    return note, ""
