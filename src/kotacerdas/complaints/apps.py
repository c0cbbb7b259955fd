from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "kotacerdas.complaints"
    label = "complaints"
    verbose_name = _("Pengaduan warga")
    url_prefix = "aduan"
    api_prefix = "/complaints"
    root_urls = "open311/v2/"
    citizen_items = "kotacerdas.complaints.selectors.citizen_items"
    tenant_setup = "kotacerdas.complaints.services.category_other_ensure"
    public_entry = {
        "url": "complaints:public_home",
        "title": _("Aduan warga"),
        "description": _(
            "Laporkan masalah di sekitar Anda tanpa perlu akun, lalu pantau dengan nomor tiket."
        ),
    }
    staff_entries = [
        {
            "url": "complaints:staff_inbox",
            "title": _("Aduan warga: triase dan kotak masuk OPD"),
            "roles": {"admin_daerah", "operator_opd", "pimpinan"},  # accounts.Role values
        },
        {
            "url": "complaints:statistics",
            "title": _("Statistik aduan"),
            "roles": {"admin_daerah", "pimpinan"},
        },
    ]
