"""Internet in public spaces: the points (hotspots), their providers and contracts, the health
checks, outage tickets, and usage from RADIUS accounting.

MAC addresses and RADIUS user names are personal data: they arrive in accounting packets and
are stored only as HMAC-SHA256 with the tenant's own secret (``WifiSettings.hash_secret``)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotacerdas.core.lifecycle import LifecycleEvent


def new_secret() -> str:
    return secrets.token_hex(32)


class SiteType(models.TextChoices):
    ALUN_ALUN = "alun_alun", _("Alun-alun")
    PARK = "taman", _("Taman kota")
    KELURAHAN_OFFICE = "kantor_kelurahan", _("Kantor kelurahan/desa")
    KECAMATAN_OFFICE = "kantor_kecamatan", _("Kantor kecamatan")
    MARKET = "pasar", _("Pasar")
    TERMINAL = "terminal", _("Terminal")
    SCHOOL = "sekolah", _("Sekolah")
    PUSKESMAS = "puskesmas", _("Puskesmas")
    TOURISM_VILLAGE = "desa_wisata", _("Desa wisata")
    OTHER = "lainnya", _("Lainnya")


class PointStatus(models.TextChoices):
    PLANNED = "planned", _("Direncanakan")
    ACTIVE = "active", _("Aktif")
    SUSPENDED = "suspended", _("Dihentikan sementara")
    RETIRED = "retired", _("Dipensiunkan")


class Health(models.TextChoices):
    """OpenWISP's four device-health values."""

    UNKNOWN = "UNKNOWN", _("Belum diketahui")
    OK = "OK", _("Berfungsi")
    PROBLEM = "PROBLEM", _("Bermasalah")
    CRITICAL = "CRITICAL", _("Mati")


HEALTH_RANK = {Health.UNKNOWN: 0, Health.OK: 1, Health.PROBLEM: 2, Health.CRITICAL: 3}


class WifiSettings(models.Model):
    """A tenant's programme settings. ``hash_secret`` keys the hashes of MAC addresses and user
    names; it never leaves the database."""

    tenant = models.OneToOneField(
        "tenants.Tenant", on_delete=models.CASCADE, related_name="wifi_settings"
    )
    hash_secret = models.CharField(max_length=64, default=new_secret, editable=False)
    managing_opd = models.ForeignKey(
        "tenants.Opd",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("OPD pengelola"),
        help_text=_("Operatornya mengelola registri (biasanya Diskominfo)."),
    )
    uptime_target_pct = models.DecimalField(
        _("target ketersediaan (%)"), max_digits=5, decimal_places=2, default=95
    )
    ticket_after_minutes = models.PositiveIntegerField(
        _("tiket ke penyedia setelah mati (menit)"), default=60
    )
    session_timeout_minutes = models.PositiveIntegerField(
        _("sesi ditutup bila tanpa kabar (menit)"),
        default=30,
        help_text=_("Sesi RADIUS tanpa Interim-Update atau Stop selama ini dianggap selesai."),
    )

    class Meta:
        verbose_name = _("pengaturan Wi-Fi publik")
        verbose_name_plural = _("pengaturan Wi-Fi publik")

    def __str__(self) -> str:
        return str(self.tenant)


class Provider(models.Model):
    """An internet provider under contract. ``members`` are its staff (role ``penyedia``) who see
    their own points read-only."""

    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("nama"), max_length=120)
    contact_name = models.CharField(_("nama kontak"), max_length=120, blank=True)
    contact_email = models.EmailField(_("surel kontak"), blank=True)
    contact_phone = models.CharField(_("telepon kontak"), max_length=30, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="wifi_providers"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("penyedia internet")
        verbose_name_plural = _("penyedia internet")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "name"], name="wifi_provider_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class HotspotQuerySet(models.QuerySet["Hotspot"]):
    def monitored(self) -> HotspotQuerySet:
        """Points whose health is checked: active ones with something to check."""
        return self.filter(status=PointStatus.ACTIVE).exclude(check_host="", check_url="")

    def public(self) -> HotspotQuerySet:
        return self.filter(status__in=[PointStatus.ACTIVE, PointStatus.SUSPENDED])


class Hotspot(models.Model):
    tenant = models.ForeignKey(
        "tenants.Tenant", on_delete=models.PROTECT, related_name="wifi_hotspots"
    )
    name = models.CharField(_("nama titik"), max_length=150)
    site_type = models.CharField(
        _("jenis lokasi"), max_length=20, choices=SiteType.choices, default=SiteType.OTHER
    )
    lat = models.DecimalField(_("lintang"), max_digits=9, decimal_places=6)
    lng = models.DecimalField(_("bujur"), max_digits=9, decimal_places=6)
    kelurahan = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"level": 4},
        verbose_name=_("kelurahan/desa"),
    )
    opd = models.ForeignKey(
        "tenants.Opd",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("OPD penanggung jawab"),
    )
    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hotspots",
        verbose_name=_("penyedia"),
    )
    bandwidth_mbps = models.PositiveIntegerField(_("bandwidth (Mbps)"), null=True, blank=True)
    monthly_cost = models.DecimalField(
        _("biaya per bulan (Rp)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    contract_start = models.DateField(_("kontrak mulai"), null=True, blank=True)
    contract_end = models.DateField(_("kontrak selesai"), null=True, blank=True)
    ssid = models.CharField(_("SSID"), max_length=32, blank=True)
    access_points = models.PositiveSmallIntegerField(_("jumlah access point"), default=1)
    check_host = models.CharField(
        _("alamat yang diperiksa"),
        max_length=255,
        blank=True,
        help_text=_("IP atau nama host untuk ping dan TCP; kosong: host dari URL status."),
    )
    check_port = models.PositiveIntegerField(_("port TCP"), null=True, blank=True)
    check_url = models.URLField(_("URL status/portal"), max_length=300, blank=True)
    check_interval_s = models.PositiveIntegerField(_("interval pemeriksaan (detik)"), default=300)
    nas_identifier = models.CharField(
        _("NAS-Identifier RADIUS"),
        max_length=64,
        blank=True,
        help_text=_("Nama NAS pada paket accounting dari titik ini."),
    )
    installed_on = models.DateField(_("tanggal pemasangan"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=PointStatus.choices, default=PointStatus.ACTIVE
    )
    health = models.CharField(
        _("kesehatan"), max_length=8, choices=Health.choices, default=Health.UNKNOWN
    )
    health_since = models.DateTimeField(_("kesehatan sejak"), default=timezone.now)
    down_streak = models.PositiveIntegerField(default=0, editable=False)
    last_checked_at = models.DateTimeField(_("terakhir diperiksa"), null=True, blank=True)
    next_check_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = HotspotQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("titik Wi-Fi publik")
        verbose_name_plural = _("titik Wi-Fi publik")
        indexes = [
            # the checker's "what is due" query, across tenants
            models.Index(fields=["status", "next_check_at"], name="wifi_hotspot_due"),
            models.Index(fields=["tenant", "health"], name="wifi_hotspot_tenant_health"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "nas_identifier"],
                condition=~Q(nas_identifier=""),
                name="wifi_hotspot_unique_nas",
            ),
            models.CheckConstraint(
                condition=Q(check_interval_s__gte=10), name="wifi_hotspot_interval_min"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class HotspotEvent(LifecycleEvent):
    """Health changes of a point (going down, coming back) and registry changes."""

    subject = models.ForeignKey(Hotspot, on_delete=models.CASCADE, related_name="events")

    class Meta(LifecycleEvent.Meta):
        verbose_name = _("peristiwa titik Wi-Fi")
        verbose_name_plural = _("peristiwa titik Wi-Fi")
        indexes = [models.Index(fields=["tenant", "created_at"], name="wifi_event_tenant_time")]


class HealthRule(models.Model):
    """When a check result makes a point PROBLEM or CRITICAL. A rule without a tenant applies to
    every tenant that has no rule for the same metric."""

    class Metric(models.TextChoices):
        LOSS_PCT = "loss_pct", _("Paket hilang (%)")
        RTT_MS = "rtt_ms", _("Waktu tempuh rata-rata (ms)")
        HTTP_FAILED = "http_failed", _("Halaman status gagal (1 = gagal)")
        TCP_FAILED = "tcp_failed", _("Koneksi TCP gagal (1 = gagal)")
        DOWN_STREAK = "down_streak", _("Pemeriksaan tanpa jawaban berturut-turut")

    tenant = models.ForeignKey(
        "tenants.Tenant", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    metric = models.CharField(_("ukuran"), max_length=12, choices=Metric.choices)
    threshold = models.FloatField(_("ambang"))
    health = models.CharField(
        _("kesehatan bila ambang dilampaui"),
        max_length=8,
        choices=[(Health.PROBLEM, Health.PROBLEM.label), (Health.CRITICAL, Health.CRITICAL.label)],
    )

    class Meta:
        ordering = ["metric", "threshold"]
        verbose_name = _("aturan kesehatan")
        verbose_name_plural = _("aturan kesehatan")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "metric", "health"], name="wifi_rule_unique_metric"
            )
        ]

    def __str__(self) -> str:
        return f"{self.metric} ≥ {self.threshold} → {self.health}"


class Check(models.Model):
    """One health check of one point. ``up`` is whether the point answered at all (ICMP, TCP or
    HTTP); uptime is the share of a period's checks that were up."""

    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    hotspot = models.ForeignKey(Hotspot, on_delete=models.CASCADE, related_name="checks")
    checked_at = models.DateTimeField(default=timezone.now)
    up = models.BooleanField()
    loss_pct = models.FloatField(null=True)
    rtt_ms = models.FloatField(null=True)
    tcp_ok = models.BooleanField(null=True)
    http_status = models.PositiveSmallIntegerField(null=True)
    health = models.CharField(max_length=8, choices=Health.choices)
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-checked_at"]
        indexes = [
            models.Index(fields=["hotspot", "checked_at"], name="wifi_check_point_time"),
            models.Index(fields=["tenant", "checked_at"], name="wifi_check_tenant_time"),
        ]

    def __str__(self) -> str:
        return f"{self.hotspot_id} {self.checked_at:%Y-%m-%d %H:%M} {self.health}"


class OutageTicket(models.Model):
    """A ticket to the provider when a point stays CRITICAL past the tenant's limit; closed by
    itself when the point comes back."""

    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    hotspot = models.ForeignKey(Hotspot, on_delete=models.CASCADE, related_name="tickets")
    number = models.CharField(_("nomor"), max_length=30)
    opened_at = models.DateTimeField(_("dibuka"), default=timezone.now)
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("tiket gangguan")
        verbose_name_plural = _("tiket gangguan")
        constraints = [
            # one open ticket per point at a time
            models.UniqueConstraint(
                fields=["hotspot"],
                condition=Q(closed_at__isnull=True),
                name="wifi_ticket_one_open",
            ),
            models.UniqueConstraint(fields=["tenant", "number"], name="wifi_ticket_number"),
        ]

    def __str__(self) -> str:
        return self.number


class RadiusClient(models.Model):
    """A NAS (access point or controller) allowed to send accounting, with its shared secret."""

    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("nama"), max_length=100)
    ip_address = models.GenericIPAddressField(_("alamat IP sumber"), unique=True)
    secret = models.CharField(_("shared secret"), max_length=128)

    class Meta:
        verbose_name = _("klien RADIUS")
        verbose_name_plural = _("klien RADIUS")

    def __str__(self) -> str:
        return f"{self.name} ({self.ip_address})"


class WifiSession(models.Model):
    """One user session at one point, built from RADIUS Start/Interim-Update/Stop."""

    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    hotspot = models.ForeignKey(Hotspot, on_delete=models.CASCADE, related_name="sessions")
    session_id = models.CharField(max_length=64)  # Acct-Session-Id: the NAS's counter, no PII
    device_hash = models.CharField(max_length=64, db_index=True)
    user_hash = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    stopped_at = models.DateTimeField(null=True, blank=True)
    input_octets = models.BigIntegerField(default=0)
    output_octets = models.BigIntegerField(default=0)
    session_time_s = models.PositiveIntegerField(default=0)
    stop_cause = models.CharField(max_length=30, blank=True)

    class Meta:
        constraints = [
            # a NAS reuses its session counters after a reboot, never while a session is open
            models.UniqueConstraint(
                fields=["hotspot", "session_id"],
                condition=Q(stopped_at__isnull=True),
                name="wifi_session_one_open",
            )
        ]
        indexes = [
            models.Index(fields=["tenant", "started_at"], name="wifi_session_tenant_time"),
            models.Index(fields=["hotspot", "started_at"], name="wifi_session_point_time"),
            models.Index(
                fields=["stopped_at", "updated_at"],
                name="wifi_session_open",
                condition=Q(stopped_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hotspot_id}/{self.session_id}"
