from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
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

        # Each app's indicators for the leaders' dashboard (see core/kpis.py).
        from importlib import import_module
        from importlib.util import find_spec

        from django.apps import apps

        for config in apps.get_app_configs():
            if config.name.startswith("kotacerdas.") and find_spec(f"{config.name}.kpis"):
                import_module(f"{config.name}.kpis")

        # Every app's message texts (``core.messages``), so that a stored message renders in
        # any process: the web, the delivery worker, a command.
        autodiscover_modules("texts")
