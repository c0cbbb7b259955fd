"""What the planning app says through notifications (``core.messages``): rendered when
read, in the reader's language, from the parameters the outbox row stores."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kotacerdas.core.messages import Params, pick, text


@text("planning.report_overdue")
def report_overdue(params: Params) -> tuple[str, str]:
    values = {**params, "programme": pick(params["programme"])}
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
