from django.apps import AppConfig
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
