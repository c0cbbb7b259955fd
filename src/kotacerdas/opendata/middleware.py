"""A tenant's Satu Data portal on a host of its own (``OPENDATA_HOSTS``).

CKAN portals live at the root of their own host (``https://data.example.go.id/api/3/…``), and
harvesters are configured with that base URL. For a request to a configured host this
middleware serves the tenant's paths without the slug: ``/api/3/action/…``, ``/catalog.ttl``,
``/dataset/<name>.jsonld``, ``/data/…``; ``/`` is the portal. Paths that already carry the
slug, and the platform's own root paths (static files, sign-in, admin), pass unchanged.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

PLATFORM_ROOTS = ("/static/", "/media/", "/akun/", "/admin/", "/i18n/", "/jsi18n/", "/healthz")


class TenantDataHost:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.hosts: dict[str, str] = {
            host.lower(): slug for host, slug in getattr(settings, "OPENDATA_HOSTS", {}).items()
        }

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.hosts:
            host = request.META.get("HTTP_HOST", "").split(":", 1)[0].lower()
            slug = self.hosts.get(host)
            path = request.path_info
            if slug and not path.startswith(f"/{slug}/") and not path.startswith(PLATFORM_ROOTS):
                request.path_info = f"/{slug}/data/" if path == "/" else f"/{slug}{path}"
        return self.get_response(request)
