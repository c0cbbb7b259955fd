"""Where a user goes after signing in, and the citizen's "Laporan saya" list, both built from
the apps' AppConfig hooks (``staff_entries`` with ``"landing": True``; ``citizen_items``)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string

from kotacerdas.accounts.models import Role, User

logger = logging.getLogger(__name__)


def _entries(config: Any) -> Iterable[dict[str, Any]]:
    return getattr(config, "staff_entries", None) or ()


def landing_url(user: User) -> str:
    """The platform superadmin goes to the back office; staff and partners to the first app
    entry marked ``landing`` for their role, otherwise to their tenant's workspace (which lists
    every tool of their role); citizens to the home page."""
    if user.is_platform_admin:
        return reverse("admin:index")
    tenant = user.tenant
    if tenant is None or user.role == Role.CITIZEN:
        return reverse("home")
    for config in apps.get_app_configs():
        for entry in _entries(config):
            if entry.get("landing") and user.role in entry["roles"]:
                try:
                    return reverse(entry["url"], args=[tenant.slug])
                except NoReverseMatch:
                    logger.exception("landing entry %s of %s", entry["url"], config.label)
    return reverse("tenant_home", args=[tenant.slug])


def citizen_items(user: User, *, limit: int = 20) -> list[dict[str, Any]]:
    """Every app's items for this citizen (``citizen_items`` hooks), newest change first."""
    items: list[dict[str, Any]] = []
    for config in apps.get_app_configs():
        path = getattr(config, "citizen_items", None)
        if not path:
            continue
        selector: Callable[..., list[dict[str, Any]]] = import_string(path)
        items.extend(
            {**item, "app": config.label, "app_name": config.verbose_name}
            for item in selector(user, limit=limit)
        )
    items.sort(key=lambda item: item["updated_at"], reverse=True)
    return items[:limit]
