"""The national region list is loaded from data and never typed in; only the optional centre
point of a kecamatan or desa may be set: by the platform, or by a region administrator for
the regions of their own kabupaten/kota."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from kotacerdas.regions.models import Region

# accounts.Role values (regions sits below accounts and tenants and imports neither).
SUPERADMIN = "superadmin"
REGION_ADMIN = "admin_daerah"


def _is_platform(request: HttpRequest) -> bool:
    user = request.user
    return bool(
        user.is_authenticated and (user.is_superuser or getattr(user, "role", None) == SUPERADMIN)
    )


def _own_code(request: HttpRequest) -> str | None:
    """The Kemendagri code of the region administrator's kabupaten/kota, or None."""
    user = request.user
    if not (
        user.is_authenticated and user.is_active and getattr(user, "role", None) == REGION_ADMIN
    ):
        return None
    tenant = getattr(user, "tenant", None)
    code = getattr(tenant, "region_id", None)
    return str(code) if code else None


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "center_lat", "center_lng"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    readonly_fields = ["code", "name", "level", "parent"]
    fields = ["code", "name", "level", "parent", "center_lat", "center_lng"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Region]:
        qs = super().get_queryset(request)
        if _is_platform(request):
            return qs
        code = _own_code(request)
        return qs.filter(code__startswith=f"{code}.") if code else qs.none()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_platform(request) or _own_code(request) is not None

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if _is_platform(request):
            return True
        code = _own_code(request)
        return code is not None and (obj is None or obj.code.startswith(f"{code}."))

    def has_add_permission(self, request: HttpRequest, obj: Region | None = None) -> bool:
        return False  # the national list is loaded from data, never typed in

    def has_delete_permission(self, request: HttpRequest, obj: Region | None = None) -> bool:
        return False
