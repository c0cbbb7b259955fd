"""The complaint lifecycle: one table of allowed transitions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

from django.utils.translation import gettext_lazy as _

from kotacerdas.complaints.models import Status
from kotacerdas.core.workflow import Workflow

S = Status

COMPLAINT_WORKFLOW = Workflow.build(
    "complaint",
    [
        # action, from, to
        ("dispose", [S.BARU, S.DITUNDA], S.DIDISPOSISI),
        ("hold", [S.BARU], S.DITUNDA),
        ("decline", [S.BARU, S.DITUNDA], S.BUKAN_WEWENANG),
        ("forward", [S.DIDISPOSISI, S.DIPROSES], S.DIDISPOSISI),
        ("archive", [S.BARU, S.DITUNDA, S.SELESAI, S.DITUTUP, S.BUKAN_WEWENANG], S.DIARSIPKAN),
        ("respond", [S.DIDISPOSISI, S.DIPROSES], S.DIPROSES),
        # One OPD of several finishes its part; the others' parts stay open.
        ("resolve_part", [S.DIDISPOSISI, S.DIPROSES], S.DIPROSES),
        ("resolve", [S.DIDISPOSISI, S.DIPROSES], S.SELESAI),
        # The region administrator closes it, with a reason, though not every OPD finished.
        ("close", [S.DIDISPOSISI, S.DIPROSES], S.SELESAI),
        ("confirm", [S.SELESAI], S.DITUTUP),
        ("reopen", [S.SELESAI], S.DIDISPOSISI),
    ],
    # Lazy strings: translated when an error message or a timeline is shown.
    labels=cast(
        Mapping[str, str],
        {
            "dispose": _("verifikasi dan disposisi"),
            "hold": _("tunda"),
            "decline": _("bukan wewenang"),
            "forward": _("teruskan ke OPD lain"),
            "archive": _("arsipkan"),
            "respond": _("tanggapi"),
            "resolve": _("tandai selesai"),
            "resolve_part": _("bagian OPD selesai"),
            "close": _("ditutup administrator"),
            "confirm": _("konfirmasi selesai"),
            "reopen": _("buka kembali"),
            **{s.value: s.label for s in Status},
        },
    ),
)
