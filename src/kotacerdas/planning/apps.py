from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "kotacerdas.planning"
    label = "planning"
    verbose_name = _("Masterplan kota cerdas")
    url_prefix = "rencana"
    api_prefix = "/planning"
