"""The configuration every map of a tenant starts from (see core/_map.html and core/map.js)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from kotacerdas.tenants.models import Tenant


def map_config(tenant: Tenant, **extra: Any) -> dict[str, Any]:
    """``{"center", "zoom", "boundary_url"?, **extra}`` for ``core/_map.html``.

    The view is the tenant's own (``tenant.map_view``); with a boundary on file the map draws
    it, fetched once from a cacheable URL rather than inlined in every page. ``extra`` adds
    ``markers``, ``pick`` or overrides ``center``/``zoom``.
    """
    config: dict[str, Any] = dict(tenant.map_view)
    if tenant.boundary_version:
        url = reverse("tenants:boundary", args=[tenant.slug])
        config["boundary_url"] = f"{url}?v={tenant.boundary_version}"
    config.update(extra)
    return config
