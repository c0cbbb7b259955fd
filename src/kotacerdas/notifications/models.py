"""The notification outbox: one row per message to one recipient on one channel.

A row is written in the same transaction as the change it reports (``services.notify``), so it
exists exactly when the change committed. Email rows are delivered afterwards by the worker
(``kotacerdas deliver_notifications``); in-app rows are the bell's notices and need no
delivery.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotacerdas.core import messages


class Channel(models.TextChoices):
    EMAIL = "email", _("Surel")
    INAPP = "inapp", _("Di aplikasi")


class Status(models.TextChoices):
    PENDING = "pending", _("Menunggu")
    SENT = "sent", _("Terkirim")
    FAILED = "failed", _("Gagal, akan dicoba lagi")
    DEAD = "dead", _("Gagal permanen")


# States the worker still has to deliver.
DUE_STATUSES = (Status.PENDING, Status.FAILED)


class Notification(models.Model):
    key = models.CharField(
        _("kunci"),
        max_length=200,
        unique=True,
        help_text=_(
            "Unik per pesan: panggilan kedua dengan kunci yang sama tidak mengirim apa pun."
        ),
    )
    channel = models.CharField(_("kanal"), max_length=10, choices=Channel.choices)
    tenant = models.ForeignKey(
        "tenants.Tenant",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pemda"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("penerima"),
    )
    email = models.EmailField(_("alamat surel"), blank=True)
    # What to say: a key of ``core.messages`` and its parameters, rendered when read in
    # the reader's language. ``subject`` and ``body`` hold the sentences of rows written before
    # keys (and nothing for keyed rows).
    message_key = models.CharField(_("pesan"), max_length=100, blank=True, db_default="")
    params = models.JSONField(_("parameter"), default=dict, blank=True)
    language = models.CharField(
        _("bahasa"),
        max_length=10,
        blank=True,
        db_default="",
        help_text=_("Bahasa penerima surel; pesan di aplikasi memakai bahasa pembacanya."),
    )
    subject = models.CharField(_("judul"), max_length=255, blank=True)
    body = models.TextField(_("isi"), blank=True)
    url = models.CharField(_("tautan"), max_length=500, blank=True)
    unsubscribe_scope = models.CharField(
        _("cakupan berhenti langganan"), max_length=200, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    next_attempt_at = models.DateTimeField(_("percobaan berikutnya"), default=timezone.now)
    last_error = models.TextField(_("galat terakhir"), blank=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    sent_at = models.DateTimeField(_("terkirim"), null=True, blank=True)
    read_at = models.DateTimeField(_("dibaca"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        indexes = [
            # The worker's scan: due rows only, oldest first.
            models.Index(
                fields=["next_attempt_at"],
                name="notification_due",
                condition=models.Q(status__in=["pending", "failed"]),
            ),
            # The bell and the inbox: a user's notices, newest first.
            models.Index(fields=["user", "channel", "-created_at"], name="notification_inbox"),
            models.Index(fields=["tenant", "status"], name="notification_tenant_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(channel="inapp") | models.Q(user__isnull=False),
                name="notification_inapp_has_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.title}"

    def rendered(self, language: str = "") -> tuple[str, str]:
        """``(subject, body)`` in ``language`` (default: the active one); a row from before
        message keys (or whose text is gone from the code) gives the sentences it stored."""
        subject, body = messages.rendered(
            self.message_key, self.params, (self.subject, self.body), language=language
        )
        return subject[:255], body

    @property
    def title(self) -> str:
        return self.rendered()[0]

    @property
    def text(self) -> str:
        return self.rendered()[1]


class Unsubscribe(models.Model):
    """An address that asked, through the link in an email, to hear no more about a scope."""

    email = models.EmailField(_("alamat surel"))
    scope = models.CharField(_("cakupan"), max_length=200)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)

    class Meta:
        verbose_name = _("berhenti langganan")
        verbose_name_plural = _("berhenti langganan")
        constraints = [
            models.UniqueConstraint(fields=["email", "scope"], name="unsubscribe_once_per_scope")
        ]

    def __str__(self) -> str:
        return self.scope
