"""Back office: the national dimensions and elements (platform administrators edit them).

Tenant data (masterplans, programmes, reports, evaluations) is changed on the app's own
pages, whose services check the rules and write the audit trail.
"""

from __future__ import annotations

from django.contrib import admin

from kotacerdas.planning.models import Dimension, Element


class ElementInline(admin.TabularInline):
    model = Element
    extra = 0
    fields = ["code", "name", "name_en", "order"]


@admin.register(Dimension)
class DimensionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order"]
    inlines = [ElementInline]
