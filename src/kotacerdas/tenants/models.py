from __future__ import annotations

import datetime as dt

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kotacerdas.regions.models import Region
from kotacerdas.tenants.geo import validate_boundary

TIME_ZONES = [
    ("Asia/Jakarta", "WIB (Asia/Jakarta)"),
    ("Asia/Makassar", "WITA (Asia/Makassar)"),
    ("Asia/Jayapura", "WIT (Asia/Jayapura)"),
]

INDONESIA_CENTER = (-2.5, 118.0)


class TenantManager(models.Manager["Tenant"]):
    def get_queryset(self) -> models.QuerySet[Tenant]:
        return super().get_queryset().defer("boundary")


class Tenant(models.Model):
    """A Pemda (one kabupaten/kota) that runs the platform. Every piece of its data points here."""

    region = models.OneToOneField(
        Region,
        on_delete=models.PROTECT,
        limit_choices_to={"level": 2},
        verbose_name=_("wilayah"),
    )
    name = models.CharField(_("nama pemerintah daerah"), max_length=120)
    short_name = models.CharField(_("nama singkat"), max_length=60)
    slug = models.SlugField(_("slug URL"), max_length=60, unique=True)
    jurisdiction_id = models.CharField(
        _("jurisdiction_id Open311"),
        max_length=100,
        unique=True,
        validators=[
            RegexValidator(r"^[a-z0-9.-]+$", _("Hanya huruf kecil, angka, titik dan tanda hubung."))
        ],
    )
    email = models.EmailField(_("surel kontak"), blank=True)
    phone = models.CharField(_("telepon kontak"), max_length=30, blank=True)
    address = models.CharField(_("alamat kantor"), max_length=255, blank=True)
    website = models.URLField(_("situs web"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="tenants/logos/", blank=True)
    time_zone = models.CharField(
        _("zona waktu"), max_length=40, choices=TIME_ZONES, default="Asia/Jakarta"
    )
    workday_start = models.TimeField(_("jam kerja mulai"), default=dt.time(8, 0))
    workday_end = models.TimeField(_("jam kerja selesai"), default=dt.time(16, 0))
    working_weekdays = models.CharField(
        _("hari kerja"),
        max_length=7,
        default="01234",
        help_text=_("Angka hari kerja, 0 = Senin … 6 = Minggu. Bawaan: Senin–Jumat."),
        validators=[RegexValidator(r"^[0-6]{1,7}$", _("Gunakan angka 0–6, misalnya 01234."))],
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Where every map of this tenant opens; empty means the whole of Indonesia.
    map_center_lat = models.DecimalField(
        _("lintang pusat peta"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    map_center_lng = models.DecimalField(
        _("bujur pusat peta"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    map_zoom = models.PositiveSmallIntegerField(
        _("zoom peta"), default=12, validators=[MinValueValidator(3), MaxValueValidator(18)]
    )
    # Pages read the tenant on every request: load this (possibly large) field only where
    # it is drawn (``Tenant.objects`` defers it).
    boundary = models.JSONField(
        _("batas wilayah (GeoJSON)"),
        null=True,
        blank=True,
        validators=[validate_boundary],
        help_text=_("Opsional: Polygon atau MultiPolygon batas wilayah, dalam GeoJSON."),
    )
    # Bumped on every change of the boundary; 0 means none. Maps fetch
    # /<slug>/wilayah/batas.geojson?v=<version>, cached for long.
    boundary_version = models.PositiveIntegerField(default=0, editable=False)

    objects = TenantManager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("pemerintah daerah")
        verbose_name_plural = _("pemerintah daerah")

    def __str__(self) -> str:
        return self.name

    @property
    def code(self) -> str:
        """The Kemendagri code of its kabupaten/kota, e.g. ``36.73``."""
        return self.region_id

    @property
    def map_view(self) -> dict[str, object]:
        """``{"center": [lat, lng], "zoom": z}`` for Leaflet: the tenant's own view, or
        Indonesia as a whole when the administrator has not set one."""
        if self.map_center_lat is None or self.map_center_lng is None:
            return {"center": list(INDONESIA_CENTER), "zoom": 5}
        return {
            "center": [float(self.map_center_lat), float(self.map_center_lng)],
            "zoom": self.map_zoom,
        }


class Holiday(models.Model):
    """A day off. With no tenant it is a national holiday (libur nasional / cuti bersama)."""

    tenant = models.ForeignKey(
        Tenant,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="holidays",
        verbose_name=_("pemerintah daerah"),
        help_text=_("Kosongkan untuk libur nasional."),
    )
    date = models.DateField(_("tanggal"))
    name = models.CharField(_("keterangan"), max_length=120)

    class Meta:
        ordering = ["date"]
        verbose_name = _("hari libur")
        verbose_name_plural = _("hari libur")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "date"], name="holiday_unique_per_tenant"),
            models.UniqueConstraint(
                fields=["date"],
                condition=models.Q(tenant__isnull=True),
                name="holiday_unique_national",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class OpdKind(models.TextChoices):
    SEKRETARIAT = "sekretariat", _("Sekretariat")
    INSPEKTORAT = "inspektorat", _("Inspektorat")
    DINAS = "dinas", _("Dinas")
    BADAN = "badan", _("Badan")
    SATUAN = "satuan", _("Satuan")
    RSUD = "rsud", _("Rumah sakit daerah")
    KECAMATAN = "kecamatan", _("Kecamatan")
    KELURAHAN = "kelurahan", _("Kelurahan/Desa")
    VERTIKAL = "vertikal", _("Instansi vertikal/mitra")


class OpdQuerySet(models.QuerySet["Opd"]):
    def active(self) -> OpdQuerySet:
        return self.filter(is_active=True)


class Opd(models.Model):
    """A regional government agency (Organisasi Perangkat Daerah) of one tenant."""

    tenant = models.ForeignKey(
        Tenant, on_delete=models.CASCADE, related_name="opds", verbose_name=_("pemerintah daerah")
    )
    name = models.CharField(_("nama"), max_length=200)
    acronym = models.CharField(_("singkatan"), max_length=40)
    kind = models.CharField(
        _("jenis"), max_length=20, choices=OpdKind.choices, default=OpdKind.DINAS
    )
    email = models.EmailField(_("surel"), blank=True)
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    head_name = models.CharField(_("nama kepala"), max_length=120, blank=True)
    head_email = models.EmailField(
        _("surel kepala"), blank=True, help_text=_("Penerima eskalasi SLA.")
    )
    is_active = models.BooleanField(_("aktif"), default=True)

    objects = OpdQuerySet.as_manager()

    class Meta:
        ordering = ["tenant", "acronym"]
        verbose_name = _("OPD")
        verbose_name_plural = _("OPD")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "acronym"], name="opd_unique_acronym")
        ]

    def __str__(self) -> str:
        return self.acronym
