from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpbeConfig(AppConfig):
    name = "kotacerdas.spbe"
    label = "spbe"
    verbose_name = _("Evaluasi mandiri SPBE")
    url_prefix = "spbe"
    api_prefix = "/spbe"
    # Role values as strings: accounts.models cannot be imported while apps load.
    staff_entries = [
        {
            "url": "spbe:assessment_list",
            "title": _("Evaluasi mandiri SPBE"),
            "roles": {"admin_daerah", "pimpinan"},
        }
    ]
