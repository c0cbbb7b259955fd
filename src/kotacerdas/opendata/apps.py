from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "kotacerdas.opendata"
    label = "opendata"
    verbose_name = _("Satu Data (data terbuka)")
    url_prefix = "data"
    # The CKAN Action API and the DCAT documents live at the tenant's root, as CKAN serves
    # them (``/<slug>/api/3/action/…``, ``/<slug>/catalog.ttl``): root_urls carries the slug.
    root_urls = "<slug:tenant_slug>/"
    public_entry = {
        "url": "opendata:portal",
        "title": _("Satu Data"),
        "description": _(
            "Data terbuka pemerintah daerah: cari, lihat, unduh, dan pakai lewat API."
        ),
    }
    # Role values as strings: accounts.models cannot be imported while apps load.
    staff_entries = [
        {
            "url": "opendata:staff_list",
            "title": _("Satu Data: dataset OPD"),
            "roles": {"operator_opd", "admin_daerah"},
        }
    ]
