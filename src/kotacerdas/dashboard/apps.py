from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """The leaders' command centre: every app's KPIs, one map, wall mode, national view."""

    name = "kotacerdas.dashboard"
    label = "dashboard"
    verbose_name = _("Pusat komando pimpinan")
    url_prefix = "pusat-komando"
    api_prefix = "/dashboard"
    root_urls = "nasional/"
    # Role values (accounts.Role) as strings: models cannot be imported while apps load.
    staff_entries = [
        {
            "url": "dashboard:overview",
            "title": _("Pusat komando pimpinan"),
            "roles": {"pimpinan"},
            "landing": True,
        },
        {
            "url": "dashboard:overview",
            "title": _("Pusat komando: indikator kinerja"),
            "roles": {"admin_daerah", "operator_opd"},
        },
    ]
