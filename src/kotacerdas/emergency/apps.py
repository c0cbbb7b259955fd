from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmergencyConfig(AppConfig):
    """Call 112: call intake, prank-call control, dispatch and the live board."""

    name = "kotacerdas.emergency"
    label = "emergency"
    verbose_name = _("Panggilan darurat 112")
    url_prefix = "112"
    api_prefix = "/emergency"
