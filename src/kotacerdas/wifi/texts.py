"""What the public Wi-Fi app says through notifications (``core.messages``): rendered
when read, in the reader's language, from the parameters the outbox row stores."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kotacerdas.core.messages import Params, text


@text("wifi.point_down")
def point_down(params: Params) -> tuple[str, str]:
    return (
        _("Titik Wi-Fi %(name)s mati") % params,
        _("Titik Wi-Fi publik %(name)s tidak menjawab pemeriksaan sejak %(time)s.") % params,
    )


@text("wifi.point_up")
def point_up(params: Params) -> tuple[str, str]:
    return (
        _("Titik Wi-Fi %(name)s berfungsi kembali") % params,
        _("Titik Wi-Fi publik %(name)s menjawab lagi sejak %(time)s.") % params,
    )


@text("wifi.ticket_opened")
def ticket_opened(params: Params) -> tuple[str, str]:
    return (
        _("Tiket gangguan %(number)s: %(name)s mati") % params,
        _(
            "Titik Wi-Fi publik %(name)s (SSID %(ssid)s) milik %(tenant)s tidak "
            "menjawab sejak %(time)s. Mohon segera diperbaiki."
        )
        % params,
    )


@text("wifi.ticket_closed")
def ticket_closed(params: Params) -> tuple[str, str]:
    return (
        _("Tiket %(number)s selesai: %(name)s berfungsi kembali") % params,
        _("Titik %(name)s menjawab lagi sejak %(time)s. Tiket ditutup otomatis.") % params,
    )
