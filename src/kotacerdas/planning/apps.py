from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Role values (accounts.Role) spelled out: models cannot be imported while apps load.
STAFF = {"operator_opd", "admin_daerah", "calltaker", "dispatcher", "supervisor_112", "pimpinan"}


class PlanningConfig(AppConfig):
    name = "kotacerdas.planning"
    label = "planning"
    verbose_name = _("Masterplan kota cerdas")
    url_prefix = "rencana"
    api_prefix = "/planning"
    staff_entries = [
        {"url": "planning:overview", "title": _("Masterplan kota cerdas"), "roles": STAFF},
        {
            "url": "planning:reports",
            "title": _("Laporan kemajuan program"),
            "roles": {"operator_opd", "admin_daerah"},
        },
        {
            "url": "planning:dashboard",
            "title": _("Dasbor pimpinan"),
            "roles": {"pimpinan", "admin_daerah"},
        },
    ]
