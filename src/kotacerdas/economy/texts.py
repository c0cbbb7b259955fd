"""What the tourism and OVOP app says through notifications (``core.messages``):
rendered when read, in the reader's language, from the parameters the outbox row stores."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kotacerdas.core.messages import Params, text
from kotacerdas.economy.models import Permit, RequestKind, RequestStatus


@text("economy.request_new")
def request_new(params: Params) -> tuple[str, str]:
    return (
        _("Permintaan baru: %(what)s") % params,
        _("%(kind)s dari pengunjung untuk %(what)s. Mohon dijawab di platform.")
        % {"kind": RequestKind(params["kind"]).label, "what": params["what"]},
    )


@text("economy.request_received")
def request_received(params: Params) -> tuple[str, str]:
    return (
        _("Permintaan Anda diterima: %(what)s") % params,
        _("Pengelola akan menjawab di platform; Anda akan mendapat surel setiap ada kabar."),
    )


@text("economy.request_news")
def request_news(params: Params) -> tuple[str, str]:
    """A manager's move; the body is the manager's reply as written, when there is one."""
    status = RequestStatus(params["status"]).label
    return (
        _("Kabar permintaan Anda: %(status)s") % {"status": status},
        str(params.get("reply") or "")
        or _("Status permintaan Anda: %(status)s.") % {"status": status},
    )


@text("economy.request_cancelled")
def request_cancelled(params: Params) -> tuple[str, str]:
    return (
        _("Permintaan dibatalkan: %(what)s") % params,
        _("Pengunjung membatalkan permintaannya."),
    )


@text("economy.request_unanswered")
def request_unanswered(params: Params) -> tuple[str, str]:
    return (
        _("Belum dijawab: %(what)s") % params,
        _("Permintaan pengunjung ini menunggu jawaban sejak %(time)s.") % params,
    )


@text("economy.permit_expiring")
def permit_expiring(params: Params) -> tuple[str, str]:
    values = {**params, "permit": Permit.Kind(params["permit"]).label}
    return (
        _("%(permit)s %(product)s berakhir %(date)s") % values,
        _(
            "%(permit)s nomor %(number)s untuk %(product)s (%(producer)s) berakhir pada %(date)s. Ingatkan produsen untuk memperpanjang."
        )
        % values,
    )
