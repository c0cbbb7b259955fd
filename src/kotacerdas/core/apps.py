from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kotacerdas.core"
    label = "core"
    verbose_name = _("Inti platform")

    def ready(self) -> None:
        from django.contrib import admin

        admin.site.site_header = _("Kantor belakang kotacerdas")
        admin.site.site_title = _("kotacerdas")
        admin.site.index_title = _("Pengelolaan data")
