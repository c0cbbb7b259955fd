from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EconomyConfig(AppConfig):
    """Tourism villages (Sikonde) and One Village One Product."""

    name = "kotacerdas.economy"
    label = "economy"
    verbose_name = _("Desa wisata dan OVOP")
    url_prefix = "wisata"
    opendata_datasets = "kotacerdas.economy.opendata.tables"
    api_prefix = "/economy"
    public_entry = {
        "url": "economy:portal",
        "title": _("Desa wisata dan produk unggulan"),
        "description": _("Temukan desa wisata, homestay, acara dan produk unggulan desa."),
    }
    staff_entries = [
        {
            # village managers and producers land on their requests after sign-in
            "url": "economy:inbox",
            "title": _("Permintaan pengunjung dan pesanan"),
            "roles": {"pengelola_desa", "produsen"},
            "landing": True,
        },
        {
            "url": "economy:inbox",
            "title": _("Desa wisata dan OVOP: permintaan pengunjung"),
            "roles": {"admin_daerah", "operator_opd"},
        },
        {
            "url": "economy:figures",
            "title": _("Angka desa wisata dan OVOP"),
            "roles": {"admin_daerah", "operator_opd", "pimpinan"},
        },
    ]
