from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _

# Role values (accounts.Role) as plain strings: models cannot be imported while apps load.
CALLTAKER, DISPATCHER, SUPERVISOR, LEADER = "calltaker", "dispatcher", "supervisor_112", "pimpinan"
REGION_ADMIN = "admin_daerah"


class EmergencyConfig(AppConfig):
    """Call 112: call intake, prank-call control, dispatch and the live board."""

    name = "kotacerdas.emergency"
    label = "emergency"
    verbose_name = _("Panggilan darurat 112")
    url_prefix = "112"
    api_prefix = "/emergency"
    # After sign-in: dispatchers and supervisors land on the board, call-takers on the intake
    # (the first entry marked "landing" that lists the role). Leaders watch the board.
    staff_entries = [
        {
            "url": "emergency:board",
            "title": _("Papan dispatcher 112"),
            "roles": {DISPATCHER, SUPERVISOR},
            "landing": True,
        },
        {
            "url": "emergency:intake",
            "title": _("Terima panggilan 112"),
            "roles": {CALLTAKER, SUPERVISOR},
            "landing": True,
        },
        {
            "url": "emergency:board",
            "title": _("Papan 112 (pantau)"),
            "roles": {LEADER},
        },
        {
            "url": "emergency:wall",
            "title": _("Layar dinding 112"),
            "roles": {DISPATCHER, SUPERVISOR, LEADER},
        },
        {"url": "emergency:blocks", "title": _("Blokir nomor 112"), "roles": {SUPERVISOR}},
        {
            "url": "emergency:reports",
            "title": _("Laporan 112"),
            "roles": {SUPERVISOR, LEADER},
        },
        {
            "url": "emergency:incident_list",
            "title": _("Daftar insiden 112"),
            "roles": {SUPERVISOR, LEADER},
        },
        {
            "url": "emergency:call_list",
            "title": _("Daftar panggilan 112"),
            "roles": {SUPERVISOR, LEADER, REGION_ADMIN},
        },
    ]

    def ready(self) -> None:
        from kotacerdas.emergency import live
        from kotacerdas.emergency.models import DeskEvent

        def announce(
            sender: Any, instance: DeskEvent, created: bool, using: str, **kw: Any
        ) -> None:
            if created:
                live.publish(instance, using=using)

        post_save.connect(announce, sender=DeskEvent, weak=False, dispatch_uid="emergency-live")
