from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kotacerdas.notifications import services
from kotacerdas.notifications.models import Notification, Unsubscribe
from kotacerdas.tenants.admin import TenantScopedAdmin


@admin.action(description=_("Kirim ulang surel yang gagal"))
def retry_selected(
    modeladmin: NotificationAdmin, request: HttpRequest, queryset: QuerySet[Notification]
) -> None:
    for notification in queryset[:500]:
        services.retry(notification=notification)


@admin.register(Notification)
class NotificationAdmin(TenantScopedAdmin):
    list_display = ["title", "channel", "status", "attempts", "next_attempt_at", "created_at"]
    list_filter = ["status", "channel"]
    search_fields = ["key", "message_key", "subject"]
    readonly_fields = [
        field.name for field in Notification._meta.fields if field.name not in {"tenant"}
    ]
    actions = [retry_selected]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        return False  # written by notify() only


@admin.register(Unsubscribe)
class UnsubscribeAdmin(admin.ModelAdmin):
    list_display = ["scope", "created_at"]
    search_fields = ["scope"]
    readonly_fields = ["email", "scope", "created_at"]
