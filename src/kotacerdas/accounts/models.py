from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from kotacerdas.tenants.models import Tenant


class Role(models.TextChoices):
    CITIZEN = "warga", _("Warga")
    OPD_OPERATOR = "operator_opd", _("Operator OPD")
    REGION_ADMIN = "admin_daerah", _("Administrator daerah")
    CALLTAKER = "calltaker", _("Penerima panggilan 112")
    DISPATCHER = "dispatcher", _("Dispatcher 112")
    SUPERVISOR = "supervisor_112", _("Supervisor 112")
    LEADER = "pimpinan", _("Pimpinan daerah")
    SUPERADMIN = "superadmin", _("Superadmin platform")
    # Partners outside the government, each bound to its own records in its app (a Pokdarwis
    # to its tourism village, a producer to its business, an internet provider to its points).
    VILLAGE_MANAGER = "pengelola_desa", _("Pengelola desa wisata")
    PRODUCER = "produsen", _("Produsen (UMKM/koperasi)")
    PROVIDER = "penyedia_internet", _("Penyedia internet")


PARTNER_ROLES = frozenset({Role.VILLAGE_MANAGER, Role.PRODUCER, Role.PROVIDER})
# Government staff of one tenant. Partners belong to a tenant too but are not its staff.
STAFF_ROLES = frozenset(Role) - {Role.CITIZEN, Role.SUPERADMIN} - PARTNER_ROLES
EMERGENCY_ROLES = frozenset({Role.CALLTAKER, Role.DISPATCHER, Role.SUPERVISOR})


class User(AbstractUser):
    """Anyone who signs in. Staff belong to one tenant (and an operator to one OPD);
    citizens and the platform superadmin belong to none."""

    role = models.CharField(_("peran"), max_length=20, choices=Role.choices, default=Role.CITIZEN)
    tenant = models.ForeignKey(
        "tenants.Tenant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("pemerintah daerah"),
    )
    opd = models.ForeignKey(
        "tenants.Opd",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("OPD"),
    )
    full_name = models.CharField(_("nama lengkap"), max_length=150, blank=True)
    phone = models.CharField(_("nomor HP"), max_length=20, null=True, blank=True, unique=True)
    # The language of the messages the platform sends this user (email and in-app); set from
    # the language used to register or last switched to. Empty: the platform's default.
    # db_default: rows written by code that predates the column (older migrations' models).
    language = models.CharField(
        _("bahasa pemberitahuan"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        db_default="",
    )

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        constraints = [
            models.UniqueConstraint(
                fields=["email"], condition=~Q(email=""), name="user_unique_email_when_set"
            ),
            models.CheckConstraint(
                condition=Q(role__in=["warga", "superadmin"]) | Q(tenant__isnull=False),
                name="user_staff_has_tenant",
            ),
            models.CheckConstraint(
                condition=~Q(role="operator_opd") | Q(opd__isnull=False),
                name="user_operator_has_opd",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def is_citizen(self) -> bool:
        return self.role == Role.CITIZEN

    @property
    def is_platform_admin(self) -> bool:
        return self.role == Role.SUPERADMIN or self.is_superuser

    def is_staff_of(self, tenant: Tenant, *roles: str) -> bool:
        """Staff of exactly this tenant, optionally in one of ``roles``."""
        if not self.is_active or self.role not in STAFF_ROLES or self.tenant_id != tenant.pk:
            return False
        return not roles or self.role in roles

    def can_see_tenant(self, tenant: Tenant) -> bool:
        return self.is_platform_admin or self.is_staff_of(tenant)

    def administers(self, tenant: Tenant) -> bool:
        return self.is_platform_admin or self.is_staff_of(tenant, Role.REGION_ADMIN)


class ApiToken(models.Model):
    """A machine credential. Only the SHA-256 of the secret is kept."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("pengguna")
    )
    name = models.CharField(_("nama"), max_length=100)
    prefix = models.CharField(
        _("awalan"), max_length=12, help_text=_("Awal token, untuk mengenalinya.")
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    can_write = models.BooleanField(
        _("boleh menulis"),
        default=True,
        help_text=_("Token baca saja hanya boleh GET; pisahkan kunci baca dan tulis."),
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"
