from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "kotacerdas.tenants"
    label = "tenants"
    verbose_name = _("Pemerintah daerah")
    # /<tenant>/wilayah/: the boundary GeoJSON and the administrator's map settings.
    url_prefix = "wilayah"
    staff_entries = [
        {
            "url": "tenants:map_settings",
            "title": _("Peta wilayah: titik pusat, zoom dan batas"),
            "roles": {"admin_daerah"},  # accounts.Role values
        }
    ]
