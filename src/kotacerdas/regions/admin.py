from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from kotacerdas.regions.models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    readonly_fields = ["code", "name", "level", "parent"]

    def has_add_permission(self, request: HttpRequest, obj: Region | None = None) -> bool:
        return False  # the national list is loaded from data, never typed in

    def has_delete_permission(self, request: HttpRequest, obj: Region | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Region | None = None) -> bool:
        return False
