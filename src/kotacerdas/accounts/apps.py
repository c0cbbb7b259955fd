from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "kotacerdas.accounts"
    label = "accounts"
    verbose_name = _("Akun dan peran")
    # `kotacerdas setup --demo` loads the demo data inside this context (see core's setup).
    demo_context = "kotacerdas.accounts.services.shared_password_hash"

    def ready(self) -> None:
        _back_office_urls_assume_https()


def _back_office_urls_assume_https() -> None:
    """Every back-office URL field treats an address typed without a scheme as https (Django
    6's default, chosen now; Django 5.2 warns on each such form otherwise). Admin classes are
    registered by now (the admin app comes first); inlines are built later from the defaults."""
    from django.contrib import admin
    from django.contrib.admin import options
    from django.db import models

    options.FORMFIELD_FOR_DBFIELD_DEFAULTS.setdefault(models.URLField, {})["assume_scheme"] = (
        "https"
    )
    for model_admin in admin.site._registry.values():
        overrides: dict[Any, dict[str, Any]] = model_admin.formfield_overrides  # type: ignore[assignment]
        overrides.setdefault(models.URLField, {})["assume_scheme"] = "https"
