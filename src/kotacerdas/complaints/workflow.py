"""The complaint lifecycle: one table of allowed transitions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

from django.utils.translation import gettext_lazy as _

from kotacerdas.complaints.models import Event, Status
from kotacerdas.core.lifecycle import Lifecycle
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
        # "Bukan wewenang kami": the only OPD on it sends it back to the administrator's triage.
        ("send_back", [S.DIDISPOSISI, S.DIPROSES], S.BARU),
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
            "send_back": _("dikembalikan OPD: bukan wewenang kami"),
            "confirm": _("konfirmasi selesai"),
            "reopen": _("buka kembali"),
            **{s.value: s.label for s in Status},
        },
    ),
)

# The kit moves complaints through this table and writes their events to ``Event`` (whose
# foreign key to the complaint is called ``complaint``).
COMPLAINT_LIFECYCLE = Lifecycle(
    workflow=COMPLAINT_WORKFLOW, event_model=Event, subject_field="complaint"
)
