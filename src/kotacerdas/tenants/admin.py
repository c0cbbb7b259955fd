"""Back office for tenants and OPDs, and ``TenantScopedAdmin``, which every app's admin uses
so that a region administrator sees and edits only their own tenant's rows."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from kotacerdas.regions.models import Region
from kotacerdas.tenants.models import Holiday, Opd, Tenant
from kotacerdas.tenants.roles import REGION_ADMIN, SUPERADMIN


def _is_platform(request: HttpRequest) -> bool:
    user = request.user
    return bool(
        user.is_authenticated and (user.is_superuser or getattr(user, "role", None) == SUPERADMIN)
    )


def _is_region_admin(request: HttpRequest) -> bool:
    user = request.user
    return bool(
        user.is_authenticated and user.is_active and getattr(user, "role", None) == REGION_ADMIN
    )


def _tenant_id(request: HttpRequest) -> int | None:
    tenant_id = getattr(request.user, "tenant_id", None)
    return int(tenant_id) if tenant_id is not None else None


def _has_tenant_key(model: Any) -> bool:
    """A model that carries its own ``tenant`` foreign key (a reverse relation named
    ``tenant``, as on Region, does not count: it cannot be filtered by ``tenant_id``)."""
    return any(
        f.name == "tenant" and getattr(f, "concrete", False) for f in model._meta.get_fields()
    )


class TenantScopedAdmin(admin.ModelAdmin):
    """For models with a ``tenant`` field (set ``tenant_field`` for a path like ``programme__tenant``).

    Region administrators get full access to their own tenant's rows and nothing else;
    the tenant is set for them on save and foreign-key choices are limited to their tenant.
    """

    tenant_field = "tenant"

    def _tenant_filter(self, request: HttpRequest) -> dict[str, Any]:
        return {self.tenant_field: _tenant_id(request)}

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        qs = super().get_queryset(request)
        if _is_platform(request):
            return qs
        if _is_region_admin(request):
            return qs.filter(**self._tenant_filter(request))
        return qs.none()

    def _allowed(self, request: HttpRequest) -> bool:
        return _is_platform(request) or _is_region_admin(request)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        exclude = list(super().get_exclude(request, obj) or [])
        if not _is_platform(request) and self.tenant_field == "tenant":
            exclude.append("tenant")
        return exclude

    def get_list_filter(self, request: HttpRequest) -> Any:
        filters = list(super().get_list_filter(request))
        if _is_platform(request) and self.tenant_field == "tenant":
            filters.insert(0, "tenant")
        return filters

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if not _is_platform(request) and request.user.is_authenticated:
            related = db_field.related_model
            tenant_id = _tenant_id(request)
            if related is Tenant:
                kwargs["queryset"] = Tenant.objects.filter(id=tenant_id or 0)
            elif related is Region:
                # The tenant's own kabupaten/kota and everything in it.
                code = Tenant.objects.filter(id=tenant_id or 0).values_list("region_id", flat=True)
                own = code.first() or "-"
                kwargs["queryset"] = Region.objects.filter(
                    models.Q(code=own) | models.Q(code__startswith=f"{own}.")
                )
            elif _has_tenant_key(related):
                kwargs["queryset"] = related._default_manager.filter(tenant_id=tenant_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if not _is_platform(request) and request.user.is_authenticated:
            related = db_field.related_model
            if _has_tenant_key(related):
                kwargs["queryset"] = related._default_manager.filter(tenant_id=_tenant_id(request))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not _is_platform(request) and self.tenant_field == "tenant":
            obj.tenant_id = _tenant_id(request)
        super().save_model(request, obj, form, change)


@admin.register(Opd)
class OpdAdmin(TenantScopedAdmin):
    list_display = ["acronym", "name", "kind", "email", "head_name", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["acronym", "name"]


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name", "tenant"]
    list_filter = ["tenant"]
    date_hierarchy = "date"

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Holiday]:
        qs = super().get_queryset(request)
        if _is_platform(request):
            return qs
        return qs.filter(models.Q(tenant_id=_tenant_id(request)) | models.Q(tenant__isnull=True))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_platform(request) or _is_region_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Holiday | None = None) -> bool:
        # National holidays are the platform's; a region edits only its own days off.
        if _is_platform(request):
            return True
        return _is_region_admin(request) and (obj is None or obj.tenant_id == _tenant_id(request))

    has_delete_permission = has_change_permission

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        return [] if _is_platform(request) else ["tenant"]

    def save_model(self, request: HttpRequest, obj: Holiday, form: Any, change: bool) -> None:
        if not _is_platform(request):
            obj.tenant_id = _tenant_id(request)
        super().save_model(request, obj, form, change)


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "slug", "jurisdiction_id", "is_active"]
    search_fields = ["name", "slug", "jurisdiction_id"]
    raw_id_fields = ["region"]
    # Addresses typed without a scheme are https (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Tenant]:
        qs = super().get_queryset(request)
        return qs if _is_platform(request) else qs.filter(pk=_tenant_id(request))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_platform(request) or _is_region_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Tenant | None = None) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Tenant | None = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _is_platform(request)

    def has_delete_permission(self, request: HttpRequest, obj: Tenant | None = None) -> bool:
        return False  # a tenant is deactivated, never deleted: its records must survive

    def save_model(self, request: HttpRequest, obj: Tenant, form: Any, change: bool) -> None:
        if "boundary" in form.changed_data:  # maps fetch the boundary by version
            obj.boundary_version = obj.boundary_version + 1 if obj.boundary else 0
        super().save_model(request, obj, form, change)

    def get_readonly_fields(self, request: HttpRequest, obj: Tenant | None = None) -> Any:
        if _is_platform(request):
            return ["created_at"]
        return ["region", "slug", "jurisdiction_id", "is_active", "created_at"]
