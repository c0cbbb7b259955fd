"""Tourism villages (Sikonde) and One Village One Product.

A village's profile, attractions, homestays, packages and events are public; the visitors'
enquiries and bookings are personal data, shown only to the manager concerned and deleted after
the retention period. Commodity groups and the ADWI categories are data that may change, so
they live in ``config.py``, not in constraints."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotacerdas.core.lifecycle import LifecycleEvent


def new_token() -> str:
    return secrets.token_urlsafe(24)


def private_storage() -> Storage:
    # A callable: the storage is looked up when used, not frozen into the migration.
    return storages["private"]


class VillageClass(models.TextChoices):
    """Jadesta's four classes, reassessed at least every two years."""

    RINTISAN = "rintisan", _("Rintisan")
    BERKEMBANG = "berkembang", _("Berkembang")
    MAJU = "maju", _("Maju")
    MANDIRI = "mandiri", _("Mandiri")


class Signal(models.TextChoices):
    NONE = "none", _("Tidak ada sinyal")
    WEAK = "weak", _("Sinyal lemah")
    GOOD = "good", _("Sinyal baik (3G)")
    STRONG = "strong", _("Sinyal kuat (4G/5G)")


class TourismVillage(models.Model):
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": 4},
        verbose_name=_("desa/kelurahan"),
    )
    name = models.CharField(_("nama desa wisata"), max_length=150)
    slug = models.SlugField(_("slug URL"), max_length=80)
    village_class = models.CharField(
        _("klasifikasi"), max_length=12, choices=VillageClass.choices, default=VillageClass.RINTISAN
    )
    class_assessed_on = models.DateField(_("tanggal penilaian klasifikasi"), null=True, blank=True)
    pokdarwis = models.CharField(_("pengelola (Pokdarwis)"), max_length=150, blank=True)
    contact_phone = models.CharField(
        _("telepon pengelola"),
        max_length=30,
        blank=True,
        help_text=_("Nomor layanan, tampil publik."),
    )
    story = models.TextField(_("cerita desa"), blank=True)
    story_en = models.TextField(_("cerita desa (Inggris)"), blank=True)
    access = models.TextField(_("cara menuju ke sana"), blank=True)
    facilities = models.JSONField(_("fasilitas"), default=list, blank=True)
    lat = models.DecimalField(_("lintang"), max_digits=9, decimal_places=6)
    lng = models.DecimalField(_("bujur"), max_digits=9, decimal_places=6)
    signal = models.CharField(
        _("sinyal seluler"), max_length=8, choices=Signal.choices, default=Signal.GOOD
    )
    wifi_hotspot = models.ForeignKey(
        "wifi.Hotspot",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("titik Wi-Fi publik"),
    )
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="managed_villages"
    )
    is_example = models.BooleanField(_("data contoh"), default=False)
    published = models.BooleanField(_("tampil publik"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("desa wisata")
        verbose_name_plural = _("desa wisata")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "slug"], name="village_unique_slug")
        ]
        indexes = [models.Index(fields=["tenant", "village_class"], name="village_tenant_class")]

    def __str__(self) -> str:
        return self.name


class Attraction(models.Model):
    class Kind(models.TextChoices):
        NATURE = "alam", _("Alam")
        CULTURE = "budaya", _("Budaya")
        RELIGIOUS = "religi", _("Religi")
        CULINARY = "kuliner", _("Kuliner")
        MARINE = "bahari", _("Bahari")
        EDUCATION = "edukasi", _("Edukasi")
        OTHER = "lainnya", _("Lainnya")

    village = models.ForeignKey(
        TourismVillage, on_delete=models.CASCADE, related_name="attractions"
    )
    name = models.CharField(_("nama"), max_length=150)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    description = models.TextField(_("keterangan"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("daya tarik")
        verbose_name_plural = _("daya tarik")

    def __str__(self) -> str:
        return self.name


class Homestay(models.Model):
    village = models.ForeignKey(TourismVillage, on_delete=models.CASCADE, related_name="homestays")
    name = models.CharField(_("nama"), max_length=150)
    rooms = models.PositiveSmallIntegerField(_("jumlah kamar"), default=1)
    price_per_night = models.DecimalField(
        _("harga per malam (Rp)"), max_digits=12, decimal_places=0
    )
    description = models.TextField(_("keterangan"), blank=True)

    class Meta:
        ordering = ["price_per_night", "name"]
        verbose_name = _("homestay")
        verbose_name_plural = _("homestay")

    def __str__(self) -> str:
        return self.name


class TourPackage(models.Model):
    village = models.ForeignKey(TourismVillage, on_delete=models.CASCADE, related_name="packages")
    name = models.CharField(_("nama"), max_length=150)
    price = models.DecimalField(_("harga per orang (Rp)"), max_digits=12, decimal_places=0)
    days = models.PositiveSmallIntegerField(_("lama (hari)"), default=1)
    description = models.TextField(_("keterangan"), blank=True)

    class Meta:
        ordering = ["price", "name"]
        verbose_name = _("paket wisata")
        verbose_name_plural = _("paket wisata")

    def __str__(self) -> str:
        return self.name


class Event(models.Model):
    village = models.ForeignKey(TourismVillage, on_delete=models.CASCADE, related_name="events")
    name = models.CharField(_("nama acara"), max_length=150)
    starts_on = models.DateField(_("mulai"))
    ends_on = models.DateField(_("selesai"))
    description = models.TextField(_("keterangan"), blank=True)

    class Meta:
        ordering = ["starts_on", "name"]
        verbose_name = _("acara")
        verbose_name_plural = _("acara")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="event_dates"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Producer(models.Model):
    class Kind(models.TextChoices):
        UMKM = "umkm", _("UMKM")
        COOPERATIVE = "koperasi", _("Koperasi")
        FISHING_GROUP = "kelompok_nelayan", _("Kelompok nelayan/pengolah ikan")
        OTHER = "lainnya", _("Lainnya")

    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": 4},
        verbose_name=_("desa/kelurahan"),
    )
    name = models.CharField(_("nama usaha"), max_length=150)
    slug = models.SlugField(_("slug URL"), max_length=80)
    kind = models.CharField(_("bentuk"), max_length=20, choices=Kind.choices, default=Kind.UMKM)
    contact_phone = models.CharField(_("telepon usaha"), max_length=30, blank=True)
    lat = models.DecimalField(_("lintang"), max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField(_("bujur"), max_digits=9, decimal_places=6, null=True, blank=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="producers")
    is_example = models.BooleanField(_("data contoh"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("produsen")
        verbose_name_plural = _("produsen")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "slug"], name="producer_unique_slug")
        ]

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    producer = models.ForeignKey(Producer, on_delete=models.CASCADE, related_name="products")
    name = models.CharField(_("nama produk"), max_length=150)
    slug = models.SlugField(_("slug URL"), max_length=80)
    group = models.CharField(_("kelompok komoditas"), max_length=30)
    description = models.TextField(_("keterangan"), blank=True)
    price_min = models.DecimalField(_("harga terendah (Rp)"), max_digits=12, decimal_places=0)
    price_max = models.DecimalField(_("harga tertinggi (Rp)"), max_digits=12, decimal_places=0)
    unit = models.CharField(_("satuan"), max_length=30, default="pak")
    capacity_per_month = models.PositiveIntegerField(
        _("kapasitas per bulan"), null=True, blank=True
    )
    stars = models.PositiveSmallIntegerField(_("bintang OVOP"), null=True, blank=True)
    stars_reason = models.TextField(_("alasan penilaian"), blank=True)
    rated_on = models.DateField(_("tanggal penilaian"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("produk")
        verbose_name_plural = _("produk")
        constraints = [
            models.UniqueConstraint(fields=["producer", "slug"], name="product_unique_slug"),
            models.CheckConstraint(
                condition=Q(stars__isnull=True) | Q(stars__gte=1, stars__lte=5),
                name="product_stars_1_5",
            ),
            models.CheckConstraint(
                condition=Q(price_max__gte=models.F("price_min")), name="product_price_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Permit(models.Model):
    class Kind(models.TextChoices):
        PIRT = "pirt", _("PIRT")
        BPOM_MD = "bpom_md", _("BPOM MD")
        HALAL = "halal", _("Sertifikat halal")
        SNI = "sni", _("SNI")

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="permits")
    kind = models.CharField(_("jenis izin"), max_length=10, choices=Kind.choices)
    number = models.CharField(_("nomor"), max_length=80)
    expires_on = models.DateField(_("berlaku sampai"), null=True, blank=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("izin produk")
        verbose_name_plural = _("izin produk")
        indexes = [models.Index(fields=["expires_on"], name="permit_expiry")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class Photo(models.Model):
    """A public photo of a village (or of one of its attractions or homestays) or of a product.

    ``image`` is a re-encoded JPEG of at most 1600 px and ``thumb`` one of at most 480 px for
    lists, both without any metadata. No original is kept: a phone's EXIF says where and when
    it was taken, and nothing here needs it."""

    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(
        TourismVillage, on_delete=models.CASCADE, null=True, blank=True, related_name="photos"
    )
    attraction = models.ForeignKey(
        Attraction, on_delete=models.CASCADE, null=True, blank=True, related_name="photos"
    )
    homestay = models.ForeignKey(
        Homestay, on_delete=models.CASCADE, null=True, blank=True, related_name="photos"
    )
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, null=True, blank=True, related_name="photos"
    )
    # Plain files: the sizes are those of the re-encoded images, set by ``photo_add``.
    image = models.FileField(upload_to="economy/photos/%Y/%m/")
    thumb = models.FileField(upload_to="economy/photos/%Y/%m/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    thumb_width = models.PositiveIntegerField(default=0)
    thumb_height = models.PositiveIntegerField(default=0)
    caption = models.CharField(_("keterangan foto"), max_length=150, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("foto")
        verbose_name_plural = _("foto")
        constraints = [
            # A village's photo (perhaps of one attraction or homestay) or a product's.
            models.CheckConstraint(
                condition=Q(village__isnull=False, product__isnull=True)
                | Q(
                    village__isnull=True,
                    product__isnull=False,
                    attraction__isnull=True,
                    homestay__isnull=True,
                ),
                name="photo_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.caption or self.image.name


class RequestKind(models.TextChoices):
    ENQUIRY = "tanya", _("Pertanyaan")
    HOMESTAY = "homestay", _("Pesan homestay")
    PACKAGE = "paket", _("Pesan paket wisata")
    ORDER = "pesanan", _("Pesan produk")


class RequestStatus(models.TextChoices):
    NEW = "baru", _("Baru")
    ANSWERED = "dijawab", _("Dijawab")
    CONFIRMED = "dikonfirmasi", _("Dikonfirmasi")
    DECLINED = "ditolak", _("Ditolak")
    COMPLETED = "selesai", _("Selesai")
    CANCELLED = "dibatalkan", _("Dibatalkan")


class VisitorRequest(models.Model):
    """An enquiry, a booking or an order from a visitor (no account needed). The visitor's name
    and contact are personal data: only the village's managers (or the producer) see them, and
    ``purge_visitor_contacts`` blanks them after the retention period."""

    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(
        TourismVillage, on_delete=models.CASCADE, null=True, blank=True, related_name="requests"
    )
    producer = models.ForeignKey(
        Producer, on_delete=models.CASCADE, null=True, blank=True, related_name="requests"
    )
    kind = models.CharField(_("jenis"), max_length=10, choices=RequestKind.choices)
    homestay = models.ForeignKey(Homestay, on_delete=models.SET_NULL, null=True, blank=True)
    package = models.ForeignKey(TourPackage, on_delete=models.SET_NULL, null=True, blank=True)
    product = models.ForeignKey(Product, on_delete=models.SET_NULL, null=True, blank=True)
    visitor_name = models.CharField(_("nama"), max_length=100)
    visitor_email = models.EmailField(_("surel"))
    visitor_phone = models.CharField(_("nomor HP"), max_length=20, blank=True)
    message = models.TextField(_("pesan"), max_length=2000, blank=True)
    check_in = models.DateField(_("tanggal datang"), null=True, blank=True)
    check_out = models.DateField(_("tanggal pulang"), null=True, blank=True)
    guests = models.PositiveSmallIntegerField(_("jumlah orang"), null=True, blank=True)
    quantity = models.PositiveIntegerField(_("jumlah"), null=True, blank=True)
    language = models.CharField(max_length=8, default="id")
    status = models.CharField(
        _("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.NEW
    )
    reply = models.TextField(_("jawaban"), blank=True)
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("penilaian"), null=True, blank=True)
    contact_purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("permintaan pengunjung")
        verbose_name_plural = _("permintaan pengunjung")
        indexes = [
            models.Index(fields=["tenant", "created_at"], name="visitorreq_tenant_time"),
            models.Index(fields=["status", "created_at"], name="visitorreq_status_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(village__isnull=False) | Q(producer__isnull=False),
                name="visitorreq_has_addressee",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="visitorreq_rating_1_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class VisitorRequestEvent(LifecycleEvent):
    subject = models.ForeignKey(VisitorRequest, on_delete=models.CASCADE, related_name="events")

    class Meta(LifecycleEvent.Meta):
        indexes = [models.Index(fields=["tenant", "created_at"], name="visitorreq_event_time")]


class EvidenceFile(models.Model):
    """A supporting file of one ADWI category of a village's self-assessment, in private
    storage. Uploaded once: each later year's assessment that carries it forward refers to the
    same row."""

    village = models.ForeignKey(
        TourismVillage, on_delete=models.CASCADE, related_name="evidence_files"
    )
    category = models.CharField(_("kategori"), max_length=30)
    file = models.FileField(storage=private_storage, upload_to="economy/evidence/%Y/")
    original_name = models.CharField(_("nama berkas"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["category", "created_at", "pk"]
        verbose_name = _("bukti penilaian")
        verbose_name_plural = _("bukti penilaian")

    def __str__(self) -> str:
        return self.original_name


class Assessment(models.Model):
    """A village's ADWI self-assessment of one year: per category a score (1–5), a note, an
    optional evidence link and evidence files. A new year starts as a copy of the last one,
    its files by reference."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        SUBMITTED = "diajukan", _("Diajukan")
        REVIEWED = "ditelaah", _("Ditelaah")

    village = models.ForeignKey(
        TourismVillage, on_delete=models.CASCADE, related_name="assessments"
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    answers = models.JSONField(_("jawaban"), default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    reviewed_class = models.CharField(
        _("klasifikasi hasil telaah"), max_length=12, choices=VillageClass.choices, blank=True
    )
    review_note = models.TextField(_("catatan penelaah"), blank=True)
    evidence_files = models.ManyToManyField(EvidenceFile, blank=True, related_name="assessments")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("penilaian mandiri ADWI")
        verbose_name_plural = _("penilaian mandiri ADWI")
        constraints = [
            models.UniqueConstraint(fields=["village", "year"], name="assessment_one_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.village} {self.year}"
