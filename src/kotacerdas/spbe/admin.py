"""Back office. Frameworks are national data: only platform administrators add them, and a
framework that assessments already use is read-only, because changing its weights or
thresholds would silently change past indexes. Assessments are changed only through the
assessment pages (services record every change), so the back office shows them read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from kotacerdas.spbe.models import (
    Aspect,
    Assessment,
    Domain,
    Framework,
    Indicator,
    LevelName,
    PredicateThreshold,
)
from kotacerdas.tenants.admin import TenantScopedAdmin


def _platform(request: HttpRequest) -> bool:
    return bool(getattr(request.user, "is_platform_admin", False))


def _in_use(framework: Framework | None) -> bool:
    return framework is not None and Assessment.objects.filter(framework=framework).exists()


class FrameworkDataMixin:
    """Platform administrators only; read-only once the framework is in use."""

    def framework_of(self, obj: Any) -> Framework | None:
        return obj if isinstance(obj, Framework) else getattr(obj, "framework", None)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _platform(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _platform(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _platform(request) and not _in_use(self.framework_of(obj))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _platform(request) and not _in_use(self.framework_of(obj))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _platform(request) and not _in_use(self.framework_of(obj))


class DomainInline(FrameworkDataMixin, admin.TabularInline):
    model = Domain
    extra = 0


class LevelNameInline(FrameworkDataMixin, admin.TabularInline):
    model = LevelName
    extra = 0


class ThresholdInline(FrameworkDataMixin, admin.TabularInline):
    model = PredicateThreshold
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(FrameworkDataMixin, admin.ModelAdmin):
    list_display = ["name", "code", "effective_year", "is_active"]
    inlines = [DomainInline, LevelNameInline, ThresholdInline]


@admin.register(Aspect)
class AspectAdmin(FrameworkDataMixin, admin.ModelAdmin):
    list_display = ["code", "name", "domain"]
    list_filter = ["domain__framework"]

    def framework_of(self, obj: Any) -> Framework | None:
        return obj.domain.framework if obj is not None else None


@admin.register(Indicator)
class IndicatorAdmin(FrameworkDataMixin, admin.ModelAdmin):
    list_display = ["number", "name", "aspect", "weight"]
    list_filter = ["framework"]
    search_fields = ["name", "name_en"]


@admin.register(Assessment)
class AssessmentAdmin(TenantScopedAdmin):
    list_display = ["year", "tenant", "framework", "status", "is_demo"]
    list_filter = ["status", "framework"]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
