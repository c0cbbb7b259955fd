from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WifiConfig(AppConfig):
    """Internet in public spaces: registry, health checks, RADIUS usage, citizen map."""

    name = "kotacerdas.wifi"
    label = "wifi"
    verbose_name = _("Wi-Fi publik")
    url_prefix = "wifi"
    api_prefix = "/wifi"
    opendata_datasets = "kotacerdas.wifi.opendata.tables"
    public_entry = {
        "url": "wifi:public_map",
        "title": _("Wi-Fi publik gratis"),
        "description": _("Peta titik internet gratis di ruang publik dan statusnya saat ini."),
    }
    staff_entries = [
        {
            "url": "wifi:registry",
            "title": _("Wi-Fi publik: titik, kesehatan dan pemakaian"),
            "roles": {"admin_daerah", "operator_opd", "pimpinan", "penyedia_internet"},
        },
    ]
