from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kotacerdas.accounts.models import STAFF_ROLES, ApiToken, Role, User
from kotacerdas.accounts.services import api_token_revoke
from kotacerdas.tenants.admin import (
    TenantScopedAdmin,
    _is_platform,
    _is_region_admin,
    _tenant_id,
)


@admin.register(User)
class UserAdmin(TenantScopedAdmin, DjangoUserAdmin):
    """Region administrators manage their own tenant's staff; only the platform sees citizens."""

    list_display = ["username", "full_name", "role", "tenant", "opd", "is_active", "last_login"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "full_name", "email"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Data diri"), {"fields": ("full_name", "email", "phone")}),
        (_("Peran"), {"fields": ("role", "tenant", "opd", "is_active")}),
        (_("Platform"), {"fields": ("is_staff", "is_superuser", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"fields": ("username", "password1", "password2", "role", "tenant", "opd")}),
    )
    readonly_fields = ["last_login", "date_joined"]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        sets = super().get_fieldsets(request, obj)
        if _is_platform(request):
            return sets
        return [
            (
                name,
                {
                    **opts,
                    "fields": tuple(
                        f for f in opts["fields"] if f not in ("tenant", "is_staff", "is_superuser")
                    ),
                },
            )
            for name, opts in sets
        ]

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        return []

    def formfield_for_choice_field(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "role" and not _is_platform(request):
            kwargs["choices"] = [(r.value, r.label) for r in Role if r in STAFF_ROLES]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        if not _is_platform(request):
            obj.tenant_id = _tenant_id(request)
            obj.is_superuser = False
            obj.is_staff = obj.role == Role.REGION_ADMIN
        admin.ModelAdmin.save_model(self, request, obj, form, change)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "prefix",
        "name",
        "user",
        "can_write",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    readonly_fields = ["prefix", "user", "created_at", "last_used_at", "revoked_at"]
    fields = ["name", "prefix", "user", "can_write", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[ApiToken]:
        qs = super().get_queryset(request).select_related("user")
        return (
            qs
            if _is_platform(request)
            else qs.filter(user__tenant_id=getattr(request.user, "tenant_id", None))
        )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_platform(request) or _is_region_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return self.has_module_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False  # a token is revoked (kept for the audit), never deleted

    @admin.action(description=_("Cabut token terpilih"))
    def revoke(self, request: HttpRequest, queryset: models.QuerySet[ApiToken]) -> None:
        for token in queryset.filter(revoked_at__isnull=True):
            api_token_revoke(token=token)
        self.message_user(request, _("Token terpilih telah dicabut."))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # tokens are created with `kotacerdas create_api_token`, which shows the secret once
