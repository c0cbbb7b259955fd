"""What the planning app says through notifications (``core.messages``): rendered when
read, in the reader's language, from the parameters the outbox row stores."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from kotacerdas.core.messages import Params, pick, text
from kotacerdas.planning.periods import period_label


def _period(value: object) -> str:
    """``[start, end]`` (ISO dates) labelled in the active language; a row queued before
    that stored the label itself."""
    if isinstance(value, list):
        start, end = (dt.date.fromisoformat(day) for day in value)
        return period_label(start, end)
    return str(value)


@text("planning.report_overdue")
def report_overdue(params: Params) -> tuple[str, str]:
    values = {
        **params,
        "programme": pick(params["programme"]),
        "period": _period(params["period"]),
    }
    subject = _("Laporan kemajuan %(programme)s periode %(period)s terlambat") % values
    body = (
        _(
            "Laporan kemajuan program “%(programme)s” untuk periode %(period)s seharusnya "
            "diajukan paling lambat %(due)s dan belum kami terima.\n\n"
            "Mohon segera mengisi capaian, tantangan dan hambatannya."
        )
        % values
    )
    return subject, body
