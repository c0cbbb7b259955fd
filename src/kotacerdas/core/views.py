from __future__ import annotations

from django.apps import apps
from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from kotacerdas.accounts.models import User
from kotacerdas.tenants.access import tenant_page
from kotacerdas.tenants.models import Tenant


def home(request: HttpRequest) -> HttpResponse:
    tenants = (
        Tenant.objects.filter(is_active=True).select_related("region").order_by("-region__name")
    )
    return render(request, "core/home.html", {"tenants": tenants})


def public_entries() -> list[dict[str, str]]:
    """Services that apps offer on a tenant's home page (``public_entry`` on their AppConfig)."""
    entries = []
    for config in apps.get_app_configs():
        entry = getattr(config, "public_entry", None)
        if entry:
            entries.append({"app": config.label, **entry})
    return entries


def staff_entries(user: object, tenant: Tenant) -> list[dict[str, str]]:
    """Work areas that apps offer to this tenant's staff (``staff_entries`` on their AppConfig:
    a list of dicts with ``url``, ``title`` and the ``roles`` that may use it)."""
    if not isinstance(user, User) or not user.can_see_tenant(tenant):
        return []
    return [
        {"app": config.label, "url": entry["url"], "title": entry["title"]}
        for config in apps.get_app_configs()
        for entry in getattr(config, "staff_entries", ())
        if user.is_platform_admin or user.role in entry["roles"]
    ]


@tenant_page
def tenant_home(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    return render(
        request,
        "core/tenant_home.html",
        {"entries": public_entries(), "work": staff_entries(request.user, tenant)},
    )


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def rate_limited(request: HttpRequest, exception: Exception) -> HttpResponse:
    message = _("Terlalu banyak permintaan. Tunggu sebentar, lalu coba lagi.")
    if request.path.startswith("/api/"):
        return JsonResponse({"error": {"code": "rate_limited", "message": message}}, status=429)
    return render(
        request,
        "core/error.html",
        {"title": _("Terlalu banyak permintaan"), "message": message},
        status=429,
    )
