from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _config_changed(**_kwargs: Any) -> None:
    from kotacerdas.complaints.config import config_changed

    config_changed()


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

    def ready(self) -> None:
        # Cache invalidation only (complaints/config.py): whatever changes these rows, the
        # admin, a service or a command, every process reloads what it cached of them.
        from kotacerdas.complaints import models
        from kotacerdas.tenants.models import Holiday, Tenant

        for model in (
            Tenant,
            Holiday,
            models.ComplaintPolicy,
            models.Category,
            models.CategoryAttribute,
            models.Open311Key,
        ):
            for signal in (post_save, post_delete):
                signal.connect(_config_changed, sender=model, dispatch_uid=f"config:{model}")
