"""Back office: the catalogue (services with their form fields and documents), locations and slots
are edited by each region's administrator; applications are read-only here, identity numbers masked."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kotacerdas.services.models import Application, FormField, Location, Requirement, Service, Slot
from kotacerdas.services.nik import mask
from kotacerdas.tenants.admin import TenantScopedAdmin


class FormFieldInline(admin.TabularInline):
    model = FormField
    extra = 0


class RequirementInline(admin.TabularInline):
    model = Requirement
    extra = 0


@admin.register(Service)
class ServiceAdmin(TenantScopedAdmin):
    list_display = ["name", "code", "opd", "sla_amount", "sla_unit", "fee", "is_active"]
    list_filter = ["is_active", "opd"]
    search_fields = ["name", "code"]
    inlines = [FormFieldInline, RequirementInline]
    fieldsets = [
        (None, {"fields": ["tenant", "opd", "code", "name", "description", "order", "is_active"]}),
        (_("Lama proses dan biaya"), {"fields": ["sla_amount", "sla_unit", "fee"]}),
        (
            _("Penyerahan hasil"),
            {
                "fields": [
                    "offers_pickup",
                    "offers_delivery",
                    "offers_digital",
                    "needs_visit",
                    "records_in_siak",
                ]
            },
        ),
    ]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        excluded = set(self.get_exclude(request, obj) or [])
        return [
            (name, {**opts, "fields": [f for f in opts["fields"] if f not in excluded]})
            for name, opts in fieldsets
        ]


@admin.register(Location)
class LocationAdmin(TenantScopedAdmin):
    list_display = ["name", "kind", "address", "is_active"]
    list_filter = ["kind", "is_active"]


@admin.register(Slot)
class SlotAdmin(TenantScopedAdmin):
    list_display = ["starts_at", "location", "capacity", "booked"]
    list_filter = ["location"]
    date_hierarchy = "starts_at"
    readonly_fields = ["booked"]


@admin.register(Application)
class ApplicationAdmin(TenantScopedAdmin):
    """Read-only: applications change only through the desk, so that every move is audited."""

    list_display = ["number", "service", "status", "masked_nik", "submitted_at", "sla_deadline"]
    list_filter = ["status", "service"]
    search_fields = ["number"]
    fields = readonly_fields = (
        "number",
        "service",
        "status",
        "channel",
        "masked_nik",
        "masked_kk",
        "fulfilment",
        "submitted_at",
        "sla_deadline",
        "completed_at",
        "siak_reference",
    )

    @admin.display(description=_("NIK"))
    def masked_nik(self, obj: Application) -> str:
        return mask(obj.nik)

    @admin.display(description=_("nomor KK"))
    def masked_kk(self, obj: Application) -> str:
        return mask(obj.kk_number)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
