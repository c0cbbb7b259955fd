from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpbeConfig(AppConfig):
    name = "kotacerdas.spbe"
    label = "spbe"
    verbose_name = _("Evaluasi mandiri SPBE")
    url_prefix = "spbe"
    api_prefix = "/spbe"
