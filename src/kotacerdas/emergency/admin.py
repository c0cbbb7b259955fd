from __future__ import annotations

from django.contrib import admin

from kotacerdas.emergency.models import (
    Agency,
    AgencyAccount,
    DeskPolicy,
    IncidentCategory,
    NumberBlock,
    RegulatorReport,
    Unit,
)
from kotacerdas.tenants.admin import TenantScopedAdmin


@admin.register(DeskPolicy)
class DeskPolicyAdmin(TenantScopedAdmin):
    list_display = [
        "tenant",
        "block_after",
        "block_hours",
        "regulator_after",
        "dispatch_target_minutes",
        "moving_target_minutes",
    ]


@admin.register(IncidentCategory)
class IncidentCategoryAdmin(TenantScopedAdmin):
    list_display = ["name", "code", "tenant", "order", "is_active"]
    list_filter = ["is_active"]


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0


@admin.register(Agency)
class AgencyAdmin(TenantScopedAdmin):
    list_display = ["short_name", "name", "code", "tenant", "is_active"]
    list_filter = ["is_active"]
    inlines = [UnitInline]


@admin.register(AgencyAccount)
class AgencyAccountAdmin(admin.ModelAdmin):
    list_display = ["user", "agency"]
    raw_id_fields = ["user"]


@admin.register(NumberBlock)
class NumberBlockAdmin(TenantScopedAdmin):
    list_display = ["number", "tenant", "invalid_calls", "blocked_at", "until", "unblocked_at"]
    readonly_fields = ["unblocked_by", "unblocked_at", "unblock_reason"]


@admin.register(RegulatorReport)
class RegulatorReportAdmin(TenantScopedAdmin):
    list_display = ["number", "tenant", "invalid_calls", "listed_at"]
