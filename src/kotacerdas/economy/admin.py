from __future__ import annotations

from django.contrib import admin

from kotacerdas.economy.models import (
    Attraction,
    Event,
    Homestay,
    Permit,
    Producer,
    Product,
    TourismVillage,
    TourPackage,
)
from kotacerdas.tenants.admin import TenantScopedAdmin


class AttractionInline(admin.TabularInline):
    model = Attraction
    extra = 0


class HomestayInline(admin.TabularInline):
    model = Homestay
    extra = 0


class PackageInline(admin.TabularInline):
    model = TourPackage
    extra = 0


class EventInline(admin.TabularInline):
    model = Event
    extra = 0


@admin.register(TourismVillage)
class TourismVillageAdmin(TenantScopedAdmin):
    list_display = ["name", "village", "village_class", "class_assessed_on", "published"]
    list_filter = ["village_class", "published"]
    search_fields = ["name"]
    raw_id_fields = ["village", "wifi_hotspot"]
    filter_horizontal = ["managers"]
    inlines = [AttractionInline, HomestayInline, PackageInline, EventInline]


class PermitInline(admin.TabularInline):
    model = Permit
    extra = 0


@admin.register(Producer)
class ProducerAdmin(TenantScopedAdmin):
    list_display = ["name", "kind", "village"]
    search_fields = ["name"]
    raw_id_fields = ["village"]
    filter_horizontal = ["members"]


@admin.register(Product)
class ProductAdmin(TenantScopedAdmin):
    tenant_field = "producer__tenant"
    list_display = ["name", "producer", "group", "stars"]
    list_filter = ["stars"]
    search_fields = ["name"]
    inlines = [PermitInline]
