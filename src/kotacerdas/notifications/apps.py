from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "kotacerdas.notifications"
    label = "notifications"
    verbose_name = _("Notifikasi")
    # /akun/notifikasi/: a signed-in user's in-app notices and the unsubscribe links.
    root_urls = "akun/notifikasi/"
    # /<tenant>/notifikasi/: the delivery status page for the tenant's administrators.
    url_prefix = "notifikasi"
    staff_entries = [
        {
            "url": "notifications_staff:status",
            "title": _("Pengiriman surel: antrean dan yang gagal"),
            "roles": {"admin_daerah"},  # accounts.Role values
        }
    ]

    def ready(self) -> None:
        # Every app's message texts (``notification_texts``), so that a notice renders in any
        # process: the web, the delivery worker, a command.
        autodiscover_modules("notification_texts")
