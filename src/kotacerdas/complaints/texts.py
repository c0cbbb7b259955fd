"""What the complaints app says through notifications (``core.messages``): rendered when
read, in the reader's language, from the parameters the outbox row stores."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kotacerdas.complaints.models import Status
from kotacerdas.complaints.workflow import COMPLAINT_WORKFLOW
from kotacerdas.core.messages import Params, pick, text


@text("complaints.received")
def received(params: Params) -> tuple[str, str]:
    subject = _("Laporan %(ticket)s diterima") % {"ticket": params["ticket"]}
    body = _(
        "Terima kasih. Laporan Anda diterima dengan nomor tiket %(ticket)s dan akan "
        "diverifikasi paling lambat %(due)s. Pantau laporan Anda, konfirmasi penyelesaian "
        "atau buka kembali melalui tautan pribadi di bawah ini (jangan dibagikan)."
    ) % {"ticket": params["ticket"], "due": params["due"]}
    return subject, body


@text("complaints.status_changed")
def status_changed(params: Params) -> tuple[str, str]:
    status = str(Status(params["status"]).label)
    action = str(COMPLAINT_WORKFLOW.labels.get(params["action"], params["action"]))
    subject = _("Laporan %(ticket)s: %(status)s") % {"ticket": params["ticket"], "status": status}
    lines = [
        _("Ada perkembangan pada laporan %(ticket)s: %(action)s.")
        % {"ticket": params["ticket"], "action": action},
        _("Status sekarang: %(status)s.") % {"status": status},
    ]
    if params.get("opd"):
        lines.append(_("OPD: %(opd)s") % {"opd": params["opd"]})
    if params.get("note"):
        lines.append(str(params["note"]))  # the officer's own words, as written
    return subject, "\n\n".join(lines)


@text("complaints.escalated")
def escalated(params: Params) -> tuple[str, str]:
    subject = _("[Aduan terlambat] %(ticket)s %(category)s") % {
        "ticket": params["ticket"],
        "category": pick(params["category"]),
    }
    body = _(
        "Aduan %(ticket)s (%(status)s) melewati batas SLA pada %(due)s. "
        "Mohon segera ditindaklanjuti."
    ) % {
        "ticket": params["ticket"],
        "status": Status(params["status"]).label,
        "due": params["due"],
    }
    return subject, body
