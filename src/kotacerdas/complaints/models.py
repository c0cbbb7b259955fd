"""Citizen complaints: categories routed to OPDs, complaints, dispositions, responses,
photos, the audit trail, the per-tenant SLA policy and Open311 keys."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.files.storage import Storage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotacerdas.core.i18n import ENGLISH_HELP, LocalizedName
from kotacerdas.core.lifecycle import LifecycleEvent
from kotacerdas.tenants.calendar import DURATION_UNIT_CHOICES


class Channel(models.TextChoices):
    WEB = "web", _("Situs web")
    APP = "app", _("Aplikasi")
    SOCIAL = "social", _("Media sosial")
    BOX = "box", _("Kotak aduan")
    PHONE = "phone", _("Telepon")
    IN_PERSON = "in_person", _("Datang langsung")
    OPEN311 = "open311", _("Open311")
    API = "api", _("API")


STAFF_CHANNELS = [Channel.SOCIAL, Channel.BOX, Channel.PHONE, Channel.IN_PERSON]


class Classification(models.TextChoices):
    PENGADUAN = "pengaduan", _("Pengaduan")
    ASPIRASI = "aspirasi", _("Aspirasi")
    INFORMASI = "informasi", _("Permintaan informasi")


class Severity(models.TextChoices):
    RINGAN = "ringan", _("Ringan")
    SEDANG = "sedang", _("Sedang")
    BERAT = "berat", _("Berat")


class Confidentiality(models.TextChoices):
    BIASA = "biasa", _("Biasa")
    ANONIM = "anonim", _("Anonim")
    RAHASIA = "rahasia", _("Rahasia")


class Status(models.TextChoices):
    BARU = "baru", _("Belum terverifikasi")
    DITUNDA = "ditunda", _("Ditunda")
    DIDISPOSISI = "didisposisi", _("Terverifikasi, menunggu OPD")
    DIPROSES = "diproses", _("Ditindaklanjuti")
    SELESAI = "selesai", _("Selesai")
    DITUTUP = "ditutup", _("Selesai, dikonfirmasi warga")
    BUKAN_WEWENANG = "bukan_wewenang", _("Bukan wewenang")
    DIARSIPKAN = "diarsipkan", _("Diarsipkan")


CLOSED_STATUSES = frozenset(
    {Status.SELESAI, Status.DITUTUP, Status.BUKAN_WEWENANG, Status.DIARSIPKAN}
)
OPEN_STATUSES = frozenset(Status) - CLOSED_STATUSES


class AttributeDatatype(models.TextChoices):
    STRING = "string", _("Teks pendek")
    NUMBER = "number", _("Angka")
    DATETIME = "datetime", _("Tanggal dan waktu")
    TEXT = "text", _("Teks panjang")
    SINGLE = "singlevaluelist", _("Pilih satu")
    MULTI = "multivaluelist", _("Pilih beberapa")


class ComplaintPolicy(models.Model):
    """A tenant's configurable SLA clocks and ticket prefix (one row per tenant)."""

    tenant = models.OneToOneField(
        "tenants.Tenant", on_delete=models.CASCADE, related_name="complaint_policy"
    )
    ticket_prefix = models.CharField(_("awalan nomor tiket"), max_length=8, default="ADU")
    verification_amount = models.FloatField(_("batas verifikasi"), default=3)
    verification_unit = models.CharField(
        max_length=20, choices=DURATION_UNIT_CHOICES, default="working_days"
    )
    response_amount = models.FloatField(_("batas tanggapan pertama OPD"), default=72)
    response_unit = models.CharField(max_length=20, choices=DURATION_UNIT_CHOICES, default="hours")
    ringan_amount = models.FloatField(_("batas penyelesaian aduan ringan"), default=24)
    ringan_unit = models.CharField(max_length=20, choices=DURATION_UNIT_CHOICES, default="hours")
    reopen_days = models.PositiveIntegerField(_("batas buka kembali (hari)"), default=14)

    class Meta:
        verbose_name = _("kebijakan SLA aduan")
        verbose_name_plural = _("kebijakan SLA aduan")

    def __str__(self) -> str:
        return str(self.tenant)


class Category(LocalizedName, models.Model):
    """A kind of complaint (an Open311 service), routed to one OPD."""

    tenant = models.ForeignKey(
        "tenants.Tenant", on_delete=models.CASCADE, related_name="complaint_categories"
    )
    code = models.SlugField(_("kode layanan"), max_length=60)
    name = models.CharField(_("nama"), max_length=120)
    name_en = models.CharField(
        _("nama (Inggris)"), max_length=120, blank=True, db_default="", help_text=ENGLISH_HELP
    )
    group = models.CharField(_("kelompok"), max_length=80)
    description = models.CharField(_("keterangan"), max_length=255, blank=True)
    keywords = models.CharField(
        _("kata kunci"), max_length=255, blank=True, help_text=_("Dipisah koma.")
    )
    # None: no OPD is suggested, the administrator's triage decides (a new tenant's "Lainnya",
    # created before it has any OPD).
    opd = models.ForeignKey(
        "tenants.Opd",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("OPD tujuan"),
    )
    default_severity = models.CharField(
        _("tingkat bawaan"), max_length=10, choices=Severity.choices, default=Severity.SEDANG
    )
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["group", "name"]
        verbose_name = _("kategori aduan")
        verbose_name_plural = _("kategori aduan")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "code"], name="category_unique_code")
        ]

    def __str__(self) -> str:
        return self.local_name


class CategoryAttribute(models.Model):
    """An extra question of a category (an Open311 attribute)."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="attributes")
    code = models.SlugField(_("kode"), max_length=60)
    datatype = models.CharField(_("jenis data"), max_length=20, choices=AttributeDatatype.choices)
    description = models.CharField(_("pertanyaan"), max_length=255)
    datatype_description = models.CharField(_("petunjuk isian"), max_length=255, blank=True)
    required = models.BooleanField(_("wajib"), default=False)
    order = models.PositiveIntegerField(_("urutan"), validators=[MinValueValidator(1)])
    values = models.JSONField(
        _("pilihan"),
        default=list,
        blank=True,
        help_text=_('Untuk daftar pilihan: [{"key": "...", "name": "..."}].'),
    )

    class Meta:
        ordering = ["order"]
        verbose_name = _("pertanyaan tambahan")
        verbose_name_plural = _("pertanyaan tambahan")
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="attribute_unique_code"),
            models.UniqueConstraint(fields=["category", "order"], name="attribute_unique_order"),
        ]

    def __str__(self) -> str:
        return self.code


class TicketCounter(models.Model):
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "year"], name="ticket_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.tenant_id}/{self.year}: {self.last}"


class ConfigVersion(models.Model):
    """One row: raised by every change of a tenant's complaint configuration, so that each
    process knows when to reload what it cached (``complaints.config``)."""

    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.version)


class ComplaintQuerySet(models.QuerySet["Complaint"]):
    def public(self) -> ComplaintQuerySet:
        return self.exclude(confidentiality=Confidentiality.RAHASIA)

    def open(self) -> ComplaintQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self) -> ComplaintQuerySet:
        return self.open().filter(due_at__lt=timezone.now())


def _new_token() -> str:
    return uuid.uuid4().hex + uuid.uuid4().hex[:8]


class Complaint(models.Model):
    tenant = models.ForeignKey(
        "tenants.Tenant", on_delete=models.CASCADE, related_name="complaints"
    )
    ticket = models.CharField(_("nomor tiket"), max_length=30)
    tracking_token = models.CharField(
        max_length=40, unique=True, default=_new_token, editable=False
    )
    open311_token = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    idempotency_key = models.CharField(max_length=100, null=True, blank=True)
    # Who used the key ("user:<pk>", "open311:<key pk>", "session:<id>") and the SHA-256 of what
    # they sent: a key is only ever replayed to the same client for the same request.
    idempotency_client = models.CharField(max_length=80, blank=True, default="")
    idempotency_fingerprint = models.CharField(max_length=64, blank=True, default="")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, verbose_name=_("kategori"))
    description = models.TextField(_("uraian"), max_length=4000)
    attributes = models.JSONField(default=dict, blank=True)
    lat = models.FloatField(null=True, blank=True)
    long = models.FloatField(null=True, blank=True)
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("kelurahan/desa"),
    )
    address = models.CharField(_("alamat atau patokan"), max_length=255, blank=True)
    channel = models.CharField(
        _("saluran"), max_length=12, choices=Channel.choices, default=Channel.WEB
    )
    classification = models.CharField(
        _("klasifikasi"),
        max_length=12,
        choices=Classification.choices,
        default=Classification.PENGADUAN,
    )
    severity = models.CharField(
        _("tingkat"), max_length=10, choices=Severity.choices, default=Severity.SEDANG
    )
    confidentiality = models.CharField(
        _("kerahasiaan"),
        max_length=10,
        choices=Confidentiality.choices,
        default=Confidentiality.BIASA,
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.BARU
    )
    status_note = models.CharField(_("catatan status publik"), max_length=500, blank=True)
    # Private: shown to the region administrator, and to the OPD only when confidentiality is biasa.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    reporter_name = models.CharField(_("nama pelapor"), max_length=150, blank=True)
    reporter_email = models.EmailField(_("surel pelapor"), blank=True)
    reporter_phone = models.CharField(_("telepon pelapor"), max_length=30, blank=True)
    # The language the reporter used: their notifications are written in it.
    language = models.CharField(_("bahasa pelapor"), max_length=8, default="id")
    device_id = models.CharField(max_length=100, blank=True)
    account_id = models.CharField(max_length=100, blank=True)
    media_url = models.URLField(max_length=500, blank=True)
    me_too_count = models.PositiveIntegerField(_("dukungan “saya juga”"), default=0)
    created_at = models.DateTimeField(_("diterima"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)
    verify_due = models.DateTimeField(_("batas verifikasi"))
    resolve_due = models.DateTimeField(_("batas penyelesaian"), null=True, blank=True)
    due_at = models.DateTimeField(_("batas SLA berjalan"), null=True, blank=True)
    escalated_due = models.DateTimeField(null=True, blank=True, editable=False)
    verified_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    reopen_count = models.PositiveIntegerField(default=0)
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.CharField(max_length=500, blank=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("aduan")
        verbose_name_plural = _("aduan")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "ticket"], name="complaint_unique_ticket"),
            models.UniqueConstraint(
                fields=["tenant", "idempotency_client", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="complaint_unique_client_idempotency_key",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="complaint_rating_1_5",
            ),
        ]
        indexes = [
            # Open311 GET requests and the public list filter on these.
            models.Index(
                fields=["tenant", "category", "status", "created_at"], name="complaint_open311_idx"
            ),
            # Open311 GET requests of one service, newest first: read in order, no sort.
            models.Index(
                fields=["tenant", "category", "-created_at", "-id"],
                name="complaint_open311_recent_idx",
            ),
            # Overdue open complaints (the inbox, the dashboard's "overdue now"). created_at is
            # included for the figure of a period that has ended (received before its end):
            # counted from the index alone, not 142,000 heap rows (136 -> 25 ms at 1,000,000
            # complaints, docs/benchmarks.md).
            models.Index(
                fields=["tenant", "status", "due_at"],
                include=["created_at"],
                name="complaint_due_created_idx",
            ),
            # A tenant's rows by time (the Open311 GET without a service, the dashboard's
            # period counts): led by the tenant, so that a tenant's month costs the same among
            # 514 tenants as alone (the created_at index alone reads every tenant's month).
            models.Index(
                fields=["tenant", "created_at", "id"], name="complaint_tenant_created_idx"
            ),
            # The dashboard's resolution figures of a period (median, reopen rate, rating),
            # answered from the index.
            models.Index(
                fields=["tenant", "resolved_at"],
                include=["created_at", "reopen_count", "rating", "id"],
                name="complaint_resolved_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.ticket

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_at is not None and self.due_at < timezone.now()


class Disposition(models.Model):
    """The complaint sent to one OPD, with that OPD's own response clock."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="dispositions")
    opd = models.ForeignKey("tenants.Opd", on_delete=models.PROTECT, verbose_name=_("OPD"))
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    response_due = models.DateTimeField()
    first_response_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_note = models.CharField(_("catatan penyelesaian"), max_length=500, blank=True)
    reopen_count = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "opd"], name="disposition_unique_opd")
        ]
        indexes = [
            models.Index(fields=["opd", "is_active"], name="disposition_inbox_idx"),
            # A tenant's dispositions of a period, through its (few) OPDs: statistics and the
            # dashboard's response figures, without a join to every complaint.
            models.Index(
                fields=["opd", "created_at"],
                include=["first_response_at", "response_due", "id"],
                name="disposition_opd_created_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.complaint} → {self.opd}"


class Supporter(models.Model):
    """One "saya juga" (me too): one per account, or per browser for a citizen without one."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="supporters")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # A random id kept in the browser's session (never the session key itself, which rotates).
    browser = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "user"],
                condition=Q(user__isnull=False),
                name="supporter_unique_user",
            ),
            models.UniqueConstraint(
                fields=["complaint", "browser"],
                condition=~Q(browser=""),
                name="supporter_unique_browser",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(browser=""), name="supporter_has_identity"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} +1"


class Response(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="responses")
    opd = models.ForeignKey("tenants.Opd", on_delete=models.PROTECT, null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("tanggapan"), max_length=4000)
    is_public = models.BooleanField(_("tampil untuk publik"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.created_at:%Y-%m-%d %H:%M}"


def _private_storage() -> Storage:
    from django.core.files.storage import storages

    return storages["private"]


class PhotoQuerySet(models.QuerySet["Photo"]):
    def published(self) -> PhotoQuerySet:
        """Photos whose public copy exists: nothing else may be shown."""
        return self.exclude(image="")

    def pending(self) -> PhotoQuerySet:
        """Photos still waiting for the worker to make their public copy."""
        return self.filter(image="")


class Photo(models.Model):
    """``image`` is the re-encoded public copy without EXIF, empty until the worker
    (``publish_photos``) has made it; ``original`` stays in private storage."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="photos")
    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, null=True, blank=True, related_name="photos"
    )
    image = models.ImageField(
        upload_to="complaints/%Y/%m/", width_field="width", height_field="height", blank=True
    )
    original = models.FileField(storage=_private_storage, upload_to="complaints/%Y/%m/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    objects = PhotoQuerySet.as_manager()

    class Meta:
        indexes = [
            # The worker's queue: the few photos without a public copy yet.
            models.Index(fields=["id"], condition=Q(image=""), name="complaint_photo_pending")
        ]

    def __str__(self) -> str:
        name: str = self.image.name
        return name


class Event(LifecycleEvent):
    """The audit trail (the lifecycle kit's event table of complaints): every transition and
    every other write, with who, when, a note, and the OPD concerned."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    opd = models.ForeignKey(
        "tenants.Opd", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta(LifecycleEvent.Meta):
        verbose_name = _("peristiwa aduan")
        verbose_name_plural = _("peristiwa aduan")
        indexes = [
            models.Index(fields=["tenant", "created_at"], name="complaint_event_tenant_time")
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.action}"


class Open311Key(models.Model):
    """An Open311 api_key of one tenant. Only the SHA-256 of the key is kept."""

    tenant = models.ForeignKey(
        "tenants.Tenant", on_delete=models.CASCADE, related_name="open311_keys"
    )
    name = models.CharField(_("nama"), max_length=100)
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("kunci API Open311")
        verbose_name_plural = _("kunci API Open311")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"
