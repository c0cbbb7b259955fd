"""Back office. Devices are registered in the staff pages or with ``create_device`` (so that the
token is shown once); here they are edited and retired."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from kotacerdas.sensors.models import (
    Alert,
    AlertEvent,
    AlertRule,
    CapWarning,
    Device,
    DeviceQuantity,
)
from kotacerdas.tenants.admin import TenantScopedAdmin


class QuantityInline(admin.TabularInline):
    model = DeviceQuantity
    extra = 0


@admin.register(Device)
class DeviceAdmin(TenantScopedAdmin):
    list_display = [
        "name",
        "uid",
        "kind",
        "opd",
        "last_seen_at",
        "battery",
        "retired_at",
        "is_example",
    ]
    list_filter = ["kind", "is_example"]
    search_fields = ["name", "uid"]
    readonly_fields = [
        "uid",
        "token_prefix",
        "last_seen_at",
        "battery",
        "reported_health",
        "gateway",
    ]
    exclude = ["token_hash"]
    inlines = [QuantityInline]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # retire instead: the history stays


@admin.register(AlertRule)
class AlertRuleAdmin(TenantScopedAdmin):
    list_display = ["name", "device", "kind", "quantity", "rule_type", "is_active"]
    list_filter = ["rule_type", "is_active"]


class AlertEventInline(admin.TabularInline):
    model = AlertEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "action", "from_state", "to_state", "data")
    readonly_fields = ("created_at", "action", "from_state", "to_state", "data")


@admin.register(Alert)
class AlertAdmin(TenantScopedAdmin):
    list_display = ["device", "level_label", "status", "opened_at", "closed_at", "incident_id"]
    list_filter = ["status"]
    readonly_fields = tuple(f.name for f in Alert._meta.fields)
    inlines = [AlertEventInline]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False


@admin.register(CapWarning)
class CapWarningAdmin(TenantScopedAdmin):
    list_display = ["headline", "event", "severity", "sent", "expires", "sender"]
