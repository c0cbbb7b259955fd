from __future__ import annotations

from django.contrib import admin

from kotacerdas.tenants.admin import TenantScopedAdmin
from kotacerdas.wifi.models import (
    HealthRule,
    Hotspot,
    OutageTicket,
    Provider,
    RadiusClient,
    WifiSettings,
)


@admin.register(Hotspot)
class HotspotAdmin(TenantScopedAdmin):
    list_display = ["name", "site_type", "ssid", "provider", "status", "health", "last_checked_at"]
    list_filter = ["status", "health", "site_type"]
    search_fields = ["name", "ssid", "nas_identifier"]
    readonly_fields = ["health", "health_since", "last_checked_at"]
    raw_id_fields = ["kelurahan"]


@admin.register(Provider)
class ProviderAdmin(TenantScopedAdmin):
    list_display = ["name", "contact_name", "contact_email"]
    search_fields = ["name"]
    filter_horizontal = ["members"]


@admin.register(HealthRule)
class HealthRuleAdmin(TenantScopedAdmin):
    list_display = ["metric", "threshold", "health", "tenant"]


@admin.register(RadiusClient)
class RadiusClientAdmin(TenantScopedAdmin):
    list_display = ["name", "ip_address"]


@admin.register(OutageTicket)
class OutageTicketAdmin(TenantScopedAdmin):
    list_display = ["number", "hotspot", "opened_at", "closed_at"]
    readonly_fields = ["number", "hotspot", "opened_at", "closed_at"]


@admin.register(WifiSettings)
class WifiSettingsAdmin(TenantScopedAdmin):
    list_display = [
        "tenant",
        "managing_opd",
        "uptime_target_pct",
        "ticket_after_minutes",
        "session_timeout_minutes",
    ]
