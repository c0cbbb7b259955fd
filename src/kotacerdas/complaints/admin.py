"""Back office: categories (routed to an OPD, with their extra questions), the SLA policy and
Open311 keys, each scoped to the administrator's own tenant. Complaints are handled in the
staff pages, where every change goes through the workflow; the back office only reads them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from kotacerdas.complaints.models import (
    Category,
    CategoryAttribute,
    Complaint,
    ComplaintPolicy,
    Open311Key,
)
from kotacerdas.tenants.admin import TenantScopedAdmin


class CategoryAttributeInline(admin.TabularInline):
    model = CategoryAttribute
    extra = 0


@admin.register(Category)
class CategoryAdmin(TenantScopedAdmin):
    list_display = ["name", "code", "group", "opd", "default_severity", "is_active"]
    list_filter = ["group", "is_active"]
    search_fields = ["name", "code", "keywords"]
    inlines = [CategoryAttributeInline]


@admin.register(ComplaintPolicy)
class ComplaintPolicyAdmin(TenantScopedAdmin):
    list_display = [
        "tenant",
        "ticket_prefix",
        "verification_amount",
        "verification_unit",
        "response_amount",
        "response_unit",
        "ringan_amount",
        "ringan_unit",
        "reopen_days",
    ]


@admin.register(Open311Key)
class Open311KeyAdmin(TenantScopedAdmin):
    list_display = ["name", "prefix", "created_at", "revoked_at"]
    fields = ["name", "prefix", "created_at", "revoked_at"]
    readonly_fields = ["name", "prefix", "created_at"]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return (
            False  # keys are issued with `kotacerdas create_open311_key`, which shows the key once
        )


COMPLAINT_FIELDS = (
    "ticket",
    "category",
    "status",
    "severity",
    "classification",
    "confidentiality",
    "channel",
    "description",
    "address",
    "created_at",
    "due_at",
    "reopen_count",
    "rating",
)


@admin.register(Complaint)
class ComplaintAdmin(TenantScopedAdmin):
    list_display = ["ticket", "category", "status", "severity", "channel", "created_at", "due_at"]
    list_filter = ["status", "severity", "channel", "confidentiality"]
    search_fields = ["ticket"]
    date_hierarchy = "created_at"
    fields = COMPLAINT_FIELDS
    readonly_fields = COMPLAINT_FIELDS

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
