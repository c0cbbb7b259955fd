from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "kotacerdas.services"
    label = "services"
    verbose_name = _("Layanan")
    url_prefix = "layanan"
    # One router holds /api/v1/nik/validate and /api/v1/services/…; see api.py.
    api_prefix = "/"
    public_entry = {
        "url": "services:home",
        "title": _("Layanan kependudukan dan perizinan"),
        "description": _(
            "Urus KTP-el, KK, akta dan kartu kuning dari rumah, pantau statusnya, ambil atau terima di rumah."
        ),
    }
    # The citizen's "Laporan saya" (accounts.landing.citizen_items) lists their applications.
    citizen_items = "kotacerdas.services.selectors.citizen_applications"
    # Role values (accounts.Role) as plain strings: models cannot be imported while apps load.
    staff_entries = [
        {"url": "services:desk", "title": _("Meja layanan permohonan"), "roles": {"operator_opd"}},
        {
            "url": "services:application_register",
            "title": _("Daftar permohonan"),
            "roles": {"operator_opd", "admin_daerah", "pimpinan"},
        },
        {
            "url": "services:statistics",
            "title": _("Statistik layanan"),
            "roles": {"operator_opd", "admin_daerah", "pimpinan"},
        },
    ]
