"""City sensors: devices, their readings (partitioned by month on PostgreSQL), rollups, health
and alerts. Levels, thresholds and breakpoints are data, never constants."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotacerdas.core.lifecycle import LifecycleEvent


class DeviceKind(models.TextChoices):
    WATER_LEVEL = "water_level", _("Tinggi muka air")
    RAIN_GAUGE = "rain_gauge", _("Penakar hujan")
    AIR_QUALITY = "air_quality", _("Kualitas udara")
    WEATHER = "weather", _("Cuaca")
    OTHER = "other", _("Lainnya")


# The quantities a device may report: key → (label, canonical unit, plausible range).
# A reading outside the range is rejected and counted (a broken sensor, not a flood).
QUANTITIES: dict[str, tuple[Any, str, float, float]] = {
    "water_level": (_("Tinggi muka air"), "cm", -500.0, 5000.0),
    "rainfall": (_("Curah hujan"), "mm", 0.0, 500.0),
    "pm25": (_("PM2.5"), "µg/m3", 0.0, 2000.0),
    "pm10": (_("PM10"), "µg/m3", 0.0, 3000.0),
    "o3": (_("O3"), "µg/m3", 0.0, 3000.0),
    "co": (_("CO"), "µg/m3", 0.0, 100000.0),
    "no2": (_("NO2"), "µg/m3", 0.0, 5000.0),
    "so2": (_("SO2"), "µg/m3", 0.0, 5000.0),
    "hc": (_("HC"), "µg/m3", 0.0, 5000.0),
    "ispu": (_("ISPU"), "", 0.0, 1000.0),
    "temperature": (_("Suhu"), "°C", -20.0, 60.0),
    "humidity": (_("Kelembapan"), "%", 0.0, 100.0),
    "wind_speed": (_("Kecepatan angin"), "m/s", 0.0, 100.0),
    "battery": (_("Baterai"), "%", 0.0, 100.0),
}
# Units a payload may name for a quantity, with the factor to the canonical unit.
UNIT_FACTORS: dict[str, dict[str, float]] = {
    "cm": {"cm": 1.0, "m": 100.0, "mm": 0.1},
    "mm": {"mm": 1.0, "cm": 10.0},
    "µg/m3": {"µg/m3": 1.0, "ug/m3": 1.0, "mg/m3": 1000.0},
    "°C": {"°C": 1.0, "C": 1.0, "degC": 1.0},
    "%": {"%": 1.0},
    "m/s": {"m/s": 1.0, "km/h": 1 / 3.6},
    "": {"": 1.0},
}
DEFAULT_QUANTITIES: dict[str, list[str]] = {
    DeviceKind.WATER_LEVEL: ["water_level", "battery"],
    DeviceKind.RAIN_GAUGE: ["rainfall", "battery"],
    DeviceKind.AIR_QUALITY: ["pm25", "pm10", "o3", "co", "no2", "so2", "ispu"],
    DeviceKind.WEATHER: ["temperature", "humidity", "rainfall", "wind_speed"],
    DeviceKind.OTHER: [],
}
# Quantities that describe the device, not the environment: no rollups, no alerts.
HEALTH_QUANTITIES = frozenset({"battery"})


class Health(models.TextChoices):
    NEVER = "never", _("Belum pernah mengirim")
    ONLINE = "online", _("Daring")
    LATE = "late", _("Terlambat")
    OFFLINE = "offline", _("Luring")
    RETIRED = "retired", _("Dipensiunkan")


class DeviceQuerySet(models.QuerySet["Device"]):
    def active(self) -> DeviceQuerySet:
        return self.filter(retired_at__isnull=True)


class Device(models.Model):
    """A sensor or a gateway's child. Its secret token is shown once and kept only as SHA-256."""

    tenant = models.ForeignKey(
        "tenants.Tenant", on_delete=models.PROTECT, related_name="sensor_devices"
    )
    uid = models.SlugField(
        _("ID perangkat"),
        max_length=64,
        unique=True,
        help_text=_("Dipakai di topik MQTT FIWARE: /ul/<apikey>/<ID perangkat>/attrs."),
    )
    name = models.CharField(_("nama"), max_length=120)
    kind = models.CharField(_("jenis"), max_length=20, choices=DeviceKind.choices)
    opd = models.ForeignKey(
        "tenants.Opd",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sensor_devices",
        verbose_name=_("OPD pemilik"),
    )
    kelurahan = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kelurahan/desa"),
    )
    latitude = models.FloatField(_("lintang"), null=True, blank=True)
    longitude = models.FloatField(_("bujur"), null=True, blank=True)
    installed_on = models.DateField(_("tanggal pasang"), null=True, blank=True)
    expected_interval = models.PositiveIntegerField(
        _("interval kirim (detik)"),
        default=600,
        help_text=_("Perangkat dianggap terlambat setelah 1,5× interval dan luring setelah 3×."),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_prefix = models.CharField(_("awalan token"), max_length=12, editable=False)
    gateway = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("gateway"),
    )
    is_example = models.BooleanField(_("contoh (demo)"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(_("dipensiunkan"), null=True, blank=True)
    # Written by ingestion; health is derived from these, so it survives any worker restart.
    last_seen_at = models.DateTimeField(_("bacaan terakhir"), null=True, blank=True)
    battery = models.FloatField(_("baterai (%)"), null=True, blank=True)
    # The last health recorded as an event (to write offline/back-online events once).
    reported_health = models.CharField(max_length=10, choices=Health.choices, default=Health.NEVER)

    objects = DeviceQuerySet.as_manager()

    class Meta:
        verbose_name = _("perangkat sensor")
        verbose_name_plural = _("perangkat sensor")
        constraints = [
            models.UniqueConstraint(fields=["gateway", "name"], name="sensors_unique_gateway_child")
        ]
        indexes = [models.Index(fields=["tenant", "kind"], name="sensors_device_tenant_kind")]

    def __str__(self) -> str:
        return self.name

    @property
    def apikey(self) -> str:
        """FIWARE's service apikey: one per tenant (its slug)."""
        return self.tenant.slug

    def health(self, now: dt.datetime | None = None) -> str:
        if self.retired_at is not None:
            return Health.RETIRED
        if self.last_seen_at is None:
            return Health.NEVER
        age = ((now or timezone.now()) - self.last_seen_at).total_seconds()
        if age <= self.expected_interval * 1.5:
            return Health.ONLINE
        if age <= self.expected_interval * 3:
            return Health.LATE
        return Health.OFFLINE


class DeviceQuantity(models.Model):
    """A quantity a device measures, with its unit and accepted range."""

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="quantities")
    key = models.CharField(
        _("besaran"), max_length=20, choices=[(k, v[0]) for k, v in QUANTITIES.items()]
    )
    unit = models.CharField(_("satuan"), max_length=12)
    min_value = models.FloatField(_("nilai terendah yang masuk akal"))
    max_value = models.FloatField(_("nilai tertinggi yang masuk akal"))

    class Meta:
        verbose_name = _("besaran")
        verbose_name_plural = _("besaran")
        constraints = [
            models.UniqueConstraint(fields=["device", "key"], name="sensors_unique_device_quantity")
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.unit})"


class Reading(models.Model):
    """One raw value. On PostgreSQL a table partitioned by month on ``ts`` (see migration 0002
    and ``kotacerdas manage_sensor_partitions``); the key deduplicates retries."""

    pk = models.CompositePrimaryKey("device_id", "quantity", "ts")
    device = models.ForeignKey(Device, on_delete=models.DO_NOTHING, db_constraint=False)
    quantity = models.CharField(max_length=20)
    ts = models.DateTimeField()
    value = models.FloatField()

    class Meta:
        verbose_name = _("bacaan")
        verbose_name_plural = _("bacaan")

    def __str__(self) -> str:
        return f"{self.device_id} {self.quantity} {self.ts:%Y-%m-%d %H:%M} {self.value:g}"


class Bucket(models.TextChoices):
    HOUR = "hour", _("Per jam")
    DAY = "day", _("Per hari")


class Rollup(models.Model):
    """Hourly and daily min/mean/max per quantity, kept up to date by every ingestion batch.
    Charts read these, never the raw table."""

    pk = models.CompositePrimaryKey("device_id", "quantity", "bucket", "start")
    device = models.ForeignKey(Device, on_delete=models.CASCADE)
    quantity = models.CharField(max_length=20)
    bucket = models.CharField(max_length=4, choices=Bucket.choices)
    start = models.DateTimeField()
    count = models.PositiveIntegerField()
    total = models.FloatField()
    minimum = models.FloatField()
    maximum = models.FloatField()

    class Meta:
        verbose_name = _("ringkasan bacaan")
        verbose_name_plural = _("ringkasan bacaan")

    def __str__(self) -> str:
        return f"{self.device_id} {self.quantity} {self.bucket} {self.start:%Y-%m-%d %H:%M}"

    @property
    def mean(self) -> float:
        return self.total / self.count if self.count else 0.0


class LatestValue(models.Model):
    """The newest value of each quantity of each device (for maps, the API and alerts)."""

    pk = models.CompositePrimaryKey("device_id", "quantity")
    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="latest_values")
    quantity = models.CharField(max_length=20)
    ts = models.DateTimeField()
    value = models.FloatField()

    class Meta:
        verbose_name = _("nilai terbaru")
        verbose_name_plural = _("nilai terbaru")

    def __str__(self) -> str:
        return f"{self.device_id} {self.quantity} {self.value:g}"


class RejectReason(models.TextChoices):
    UNKNOWN_QUANTITY = "unknown_quantity", _("Besaran tidak dikenal")
    BAD_UNIT = "bad_unit", _("Satuan salah")
    OUT_OF_RANGE = "out_of_range", _("Di luar rentang")
    CLOCK_FUTURE = "clock_future", _("Waktu di masa depan")
    CLOCK_PAST = "clock_past", _("Waktu terlalu lampau")
    NOT_A_NUMBER = "not_a_number", _("Bukan angka")
    DUPLICATE = "duplicate", _("Duplikat")
    RETIRED = "retired", _("Perangkat dipensiunkan")


class RejectCount(models.Model):
    """Rejected readings per device, reason and day (counted, never silently dropped)."""

    pk = models.CompositePrimaryKey("device_id", "reason", "day")
    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="reject_counts")
    reason = models.CharField(max_length=20, choices=RejectReason.choices)
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("bacaan ditolak")
        verbose_name_plural = _("bacaan ditolak")

    def __str__(self) -> str:
        return f"{self.device_id} {self.reason} {self.day} ×{self.count}"


class DeviceEvent(models.Model):
    """Registered, token rotated, retired, offline, back online."""

    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=30)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["device", "-created_at"], name="sensors_devevent_device")]

    def __str__(self) -> str:
        return f"{self.device_id} {self.action} {self.created_at:%Y-%m-%d %H:%M}"


# ---------------------------------------------------------------- alerts


class RuleType(models.TextChoices):
    THRESHOLD = "threshold", _("Ambang bertingkat")
    RATE_OF_RISE = "rate_of_rise", _("Laju kenaikan")


class AlertRule(models.Model):
    """A rule as data, for one device or for every device of a kind in the tenant.

    ``levels``: ``[{"code": "siaga3", "name": "Siaga III", "threshold": 150, "incident": false,
    "color": "#f5c400"}, …]`` from least to most severe; a reading at or above a level's
    threshold reaches it. The normal state (e.g. Siaga IV) is below the first level.
    """

    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("nama"), max_length=120)
    device = models.ForeignKey(
        Device, on_delete=models.CASCADE, null=True, blank=True, related_name="rules"
    )
    kind = models.CharField(
        _("jenis perangkat"), max_length=20, choices=DeviceKind.choices, blank=True
    )
    quantity = models.CharField(_("besaran"), max_length=20)
    rule_type = models.CharField(
        _("tipe"), max_length=20, choices=RuleType.choices, default=RuleType.THRESHOLD
    )
    levels = models.JSONField(_("tingkat"), default=list)
    hysteresis = models.FloatField(_("histeresis"), default=0.0)
    min_duration = models.PositiveIntegerField(_("durasi minimum (detik)"), default=0)
    clear_duration = models.PositiveIntegerField(
        _("normal selama (detik) sebelum ditutup"), default=600
    )
    rise = models.FloatField(_("kenaikan"), null=True, blank=True)
    window = models.PositiveIntegerField(_("dalam (detik)"), null=True, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("aturan peringatan")
        verbose_name_plural = _("aturan peringatan")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(device__isnull=False) | ~models.Q(kind=""),
                name="sensors_rule_device_or_kind",
            )
        ]

    def __str__(self) -> str:
        return self.name


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Aktif")
    CLOSED = "closed", _("Selesai")


# The name of a level its rule leaves unnamed (a rate-of-rise rule's): the alert stores an
# empty name and this is shown when it is read, in the reader's language.
UNNAMED_LEVEL = _("Kenaikan cepat")


def level_label(name: str) -> str:
    """A level's name as stored (the rule's data), or the unnamed level's, translated."""
    return name or str(UNNAMED_LEVEL)


class AlertQuerySet(models.QuerySet["Alert"]):
    def open(self) -> AlertQuerySet:
        return self.filter(status=AlertStatus.OPEN)


class Alert(models.Model):
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    rule = models.ForeignKey(AlertRule, on_delete=models.PROTECT, related_name="alerts")
    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="alerts")
    status = models.CharField(max_length=10, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    level = models.CharField(_("tingkat"), max_length=30)
    # The rule's name of the level; empty when the rule names none (see ``level_label``).
    level_name = models.CharField(_("nama tingkat"), max_length=60, blank=True)
    rank = models.PositiveSmallIntegerField(default=1)
    value = models.FloatField(_("nilai"))
    peak = models.FloatField(_("puncak"))
    opened_at = models.DateTimeField(_("mulai"))
    escalated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    incident_id = models.PositiveIntegerField(null=True, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        verbose_name = _("peringatan")
        verbose_name_plural = _("peringatan")
        ordering = ["-opened_at", "-id"]
        constraints = [
            # One open alert per rule and device: evaluation escalates it instead.
            models.UniqueConstraint(
                fields=["rule", "device"],
                condition=models.Q(status="open"),
                name="sensors_one_open_alert",
            )
        ]
        indexes = [
            models.Index(fields=["tenant", "status", "-opened_at"], name="sensors_alert_list")
        ]

    def __str__(self) -> str:
        return f"{self.device} {self.level_label}"

    @property
    def level_label(self) -> str:
        return level_label(self.level_name)


class AlertEvent(LifecycleEvent):
    """Opened, escalated, closed: one row each, with the reading's time (the lifecycle kit's
    event table of alerts; the states are the alert's levels)."""

    subject = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="events")

    class Meta(LifecycleEvent.Meta):
        indexes = [models.Index(fields=["tenant", "created_at"], name="sensors_alertevent_time")]

    def __str__(self) -> str:
        return f"{self.subject_id} {self.action} {self.created_at:%Y-%m-%d %H:%M}"


class RuleState(models.Model):
    """Where each (rule, device) stands between readings: the pending level since when, and
    since when readings are normal. Kept in the database so that a restart forgets nothing."""

    pk = models.CompositePrimaryKey("rule_id", "device_id")
    rule = models.ForeignKey(AlertRule, on_delete=models.CASCADE)
    device = models.ForeignKey(Device, on_delete=models.CASCADE)
    pending_rank = models.PositiveSmallIntegerField(null=True)
    pending_since = models.DateTimeField(null=True)
    normal_since = models.DateTimeField(null=True)
    last_ts = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"{self.rule_id}/{self.device_id}"


class CapWarning(models.Model):
    """An imported CAP 1.2 alert (e.g. a BMKG weather warning)."""

    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    identifier = models.CharField(max_length=255)
    sender = models.CharField(max_length=255)
    sent = models.DateTimeField()
    msg_type = models.CharField(max_length=10)
    event = models.CharField(max_length=255)
    severity = models.CharField(max_length=20)
    urgency = models.CharField(max_length=20)
    certainty = models.CharField(max_length=20)
    headline = models.CharField(max_length=500, blank=True)
    description = models.TextField(blank=True)
    instruction = models.TextField(blank=True)
    area = models.TextField(blank=True)
    effective = models.DateTimeField(null=True)
    expires = models.DateTimeField(null=True)
    source_url = models.URLField(max_length=500, blank=True)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("peringatan CAP")
        verbose_name_plural = _("peringatan CAP")
        ordering = ["-sent"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "sender", "identifier"], name="sensors_unique_cap"
            )
        ]

    def __str__(self) -> str:
        return self.headline or self.event
