"""The service catalogue, applications with their audit trail, documents and appointment slots."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from kotacerdas.core.i18n import ENGLISH_HELP as EN_HELP
from kotacerdas.core.i18n import LocalizedNameAndDescription, localized
from kotacerdas.core.lifecycle import LifecycleEvent
from kotacerdas.tenants.calendar import DURATION_UNIT_CHOICES


def private_storage() -> Storage:
    """Identity documents live outside the web root and are served only by an access-checked view."""
    return storages["private"]


class Fulfilment(models.TextChoices):
    PICKUP = "pickup", _("Ambil di MPP atau kantor kecamatan")
    DELIVERY = "delivery", _("Antar ke rumah")
    DIGITAL = "digital", _("Dokumen digital (unduh)")


class Service(LocalizedNameAndDescription, models.Model):
    """One service a tenant offers (KTP-el, KK, AK/1 …). All of it is data, editable in the back office."""

    tenant = models.ForeignKey(
        "tenants.Tenant",
        on_delete=models.CASCADE,
        related_name="services",
        verbose_name=_("pemerintah daerah"),
    )
    opd = models.ForeignKey(
        "tenants.Opd",
        on_delete=models.PROTECT,
        related_name="services",
        verbose_name=_("OPD penanggung jawab"),
    )
    code = models.SlugField(
        _("kode"), max_length=40, help_text=_("Dipakai di alamat halaman, misalnya kk-baru.")
    )
    name = models.CharField(_("nama layanan"), max_length=150)
    name_en = models.CharField(
        _("nama layanan (Inggris)"), max_length=150, blank=True, help_text=EN_HELP
    )
    description = models.TextField(
        _("penjelasan"), help_text=_("Dalam bahasa sehari-hari: untuk siapa, apa hasilnya.")
    )
    description_en = models.TextField(_("penjelasan (Inggris)"), blank=True, help_text=EN_HELP)
    sla_amount = models.DecimalField(
        _("lama proses"),
        max_digits=6,
        decimal_places=1,
        default=Decimal(24),
        validators=[MinValueValidator(Decimal("0.1"))],
    )
    sla_unit = models.CharField(
        _("satuan lama proses"), max_length=20, choices=DURATION_UNIT_CHOICES, default="hours"
    )
    offers_pickup = models.BooleanField(_("ambil di MPP/kecamatan"), default=True)
    offers_delivery = models.BooleanField(_("antar ke rumah"), default=False)
    offers_digital = models.BooleanField(_("dokumen digital"), default=False)
    needs_visit = models.BooleanField(
        _("perlu datang"),
        default=False,
        help_text=_("Misalnya perekaman biometrik KTP-el: pemohon membuat janji temu."),
    )
    booking_after_verification = models.BooleanField(
        _("janji temu setelah berkas diperiksa"),
        default=True,
        help_text=_(
            "Bila dicentang, pemohon baru dapat memilih jadwal datang setelah operator menyatakan "
            "berkasnya lengkap. Bila tidak, segera setelah permohonan diajukan (berkas diperiksa "
            "saat datang)."
        ),
    )
    records_in_siak = models.BooleanField(_("dicatat di SIAK"), default=True)
    fee = models.DecimalField(
        _("biaya (Rp)"),
        max_digits=12,
        decimal_places=0,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["tenant", "order", "name"]
        verbose_name = _("layanan")
        verbose_name_plural = _("layanan")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "code"], name="service_unique_code")
        ]

    def __str__(self) -> str:
        return self.local_name

    def fulfilment_codes(self) -> list[str]:
        flags = [
            (Fulfilment.PICKUP, self.offers_pickup),
            (Fulfilment.DELIVERY, self.offers_delivery),
            (Fulfilment.DIGITAL, self.offers_digital),
        ]
        return [str(code) for code, on in flags if on]

    def fulfilment_choices(self) -> list[tuple[str, str]]:
        return [(c, str(Fulfilment(c).label)) for c in self.fulfilment_codes()]


class FieldKind(models.TextChoices):
    TEXT = "text", _("teks pendek")
    TEXTAREA = "textarea", _("teks panjang")
    DATE = "date", _("tanggal")
    NIK = "nik", _("NIK")
    KK = "kk", _("nomor KK")
    VILLAGE = "kelurahan", _("kelurahan/desa di daerah ini")
    CHOICE = "choice", _("pilihan")
    PHONE = "phone", _("nomor HP")
    NAME = "name", _("nama pemohon")


class FormField(models.Model):
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="fields", verbose_name=_("layanan")
    )
    name = models.SlugField(
        _("nama kolom"),
        max_length=40,
        validators=[RegexValidator(r"^[a-z][a-z0-9_]*$", _("Huruf kecil, angka dan garis bawah."))],
    )
    label = models.CharField(_("label"), max_length=150)
    label_en = models.CharField(_("label (Inggris)"), max_length=150, blank=True, help_text=EN_HELP)
    kind = models.CharField(
        _("jenis"), max_length=20, choices=FieldKind.choices, default=FieldKind.TEXT
    )
    required = models.BooleanField(_("wajib"), default=True)
    choices = models.CharField(
        _("pilihan"),
        max_length=500,
        blank=True,
        help_text=_("Untuk jenis pilihan: dipisah titik koma."),
    )
    choices_en = models.CharField(
        _("pilihan (Inggris)"),
        max_length=500,
        blank=True,
        help_text=_("Terjemahan tiap pilihan, dalam urutan yang sama, dipisah titik koma."),
    )
    help_text = models.CharField(_("petunjuk"), max_length=250, blank=True)
    help_text_en = models.CharField(
        _("petunjuk (Inggris)"), max_length=250, blank=True, help_text=EN_HELP
    )
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("kolom formulir")
        verbose_name_plural = _("kolom formulir")
        constraints = [
            models.UniqueConstraint(fields=["service", "name"], name="formfield_unique_name")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def local_label(self) -> str:
        return localized(self, "label")

    @property
    def local_help_text(self) -> str:
        return localized(self, "help_text")

    def choice_pairs(self) -> list[tuple[str, str]]:
        """``(stored value, label)`` for a choice field: the value stays Indonesian, the label
        follows the page's language when an English list of the same length is given."""
        values = [c.strip() for c in self.choices.split(";") if c.strip()]
        english = [c.strip() for c in self.choices_en.split(";") if c.strip()]
        use_english = (translation.get_language() or "").startswith("en") and len(english) == len(
            values
        )
        return list(zip(values, english if use_english else values, strict=True))


class Requirement(models.Model):
    """A document the applicant uploads."""

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="requirements", verbose_name=_("layanan")
    )
    name = models.CharField(_("nama dokumen"), max_length=150)
    name_en = models.CharField(
        _("nama dokumen (Inggris)"), max_length=150, blank=True, help_text=EN_HELP
    )
    help_text = models.CharField(_("petunjuk"), max_length=250, blank=True)
    help_text_en = models.CharField(
        _("petunjuk (Inggris)"), max_length=250, blank=True, help_text=EN_HELP
    )
    is_required = models.BooleanField(_("wajib"), default=True)
    accepted_types = models.CharField(
        _("jenis berkas"),
        max_length=40,
        default="pdf,jpg,png",
        validators=[
            RegexValidator(
                r"^(pdf|jpg|png)(,(pdf|jpg|png))*$", _("Pilih dari pdf, jpg, png, dipisah koma.")
            )
        ],
    )
    max_size_mb = models.PositiveSmallIntegerField(_("ukuran maksimum (MB)"), default=5)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("dokumen persyaratan")
        verbose_name_plural = _("dokumen persyaratan")

    def __str__(self) -> str:
        return self.local_name

    @property
    def local_name(self) -> str:
        return localized(self, "name")

    @property
    def local_help_text(self) -> str:
        return localized(self, "help_text")

    def accepted_type_list(self) -> list[str]:
        return [t for t in self.accepted_types.split(",") if t]


class LocationKind(models.TextChoices):
    MPP = "mpp", _("Mal Pelayanan Publik")
    OPD = "opd", _("Kantor dinas")
    KECAMATAN = "kecamatan", _("Kantor kecamatan")


class Location(models.Model):
    """Where citizens pick up results and keep appointments."""

    tenant = models.ForeignKey(
        "tenants.Tenant",
        on_delete=models.CASCADE,
        related_name="service_locations",
        verbose_name=_("pemerintah daerah"),
    )
    name = models.CharField(_("nama"), max_length=150)
    kind = models.CharField(_("jenis"), max_length=20, choices=LocationKind.choices)
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["tenant", "kind", "name"]
        verbose_name = _("lokasi layanan")
        verbose_name_plural = _("lokasi layanan")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "name"], name="location_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan")
    IN_VERIFICATION = "in_verification", _("Sedang diverifikasi")
    NEEDS_REVISION = "needs_revision", _("Perlu perbaikan")
    IN_PROCESS = "in_process", _("Diproses")
    READY = "ready", _("Hasil siap")
    COMPLETED = "completed", _("Selesai")
    REJECTED = "rejected", _("Ditolak")
    CANCELLED = "cancelled", _("Dibatalkan")


OPEN_STATUSES = (
    Status.SUBMITTED,
    Status.IN_VERIFICATION,
    Status.NEEDS_REVISION,
    Status.IN_PROCESS,
    Status.READY,
)
CLOSED_STATUSES = (Status.COMPLETED, Status.REJECTED, Status.CANCELLED)


class Channel(models.TextChoices):
    ONLINE = "online", _("Daring")
    COUNTER = "counter", _("Loket")


class ApplicationQuerySet(models.QuerySet["Application"]):
    def open(self) -> ApplicationQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def for_opd(self, opd_id: int) -> ApplicationQuerySet:
        return self.filter(service__opd_id=opd_id)


class Application(models.Model):
    tenant = models.ForeignKey(
        "tenants.Tenant",
        on_delete=models.CASCADE,
        related_name="applications",
        verbose_name=_("pemerintah daerah"),
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="applications", verbose_name=_("layanan")
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="service_applications",
        verbose_name=_("pemohon"),
    )
    idempotency_key = models.UUIDField(default=uuid.uuid4, editable=False)
    number = models.CharField(_("nomor permohonan"), max_length=30, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    channel = models.CharField(
        _("saluran"), max_length=10, choices=Channel.choices, default=Channel.ONLINE
    )
    form_data = models.JSONField(_("isian formulir"), default=dict, blank=True)
    nik = models.CharField(_("NIK"), max_length=16, blank=True)
    kk_number = models.CharField(_("nomor KK"), max_length=16, blank=True)
    fulfilment = models.CharField(
        _("cara penyerahan"), max_length=10, choices=Fulfilment.choices, blank=True
    )
    pickup_location = models.ForeignKey(
        Location,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lokasi pengambilan"),
    )
    delivery_address = models.TextField(_("alamat pengiriman"), blank=True)
    submitted_at = models.DateTimeField(_("diajukan"), null=True, blank=True)
    sla_deadline = models.DateTimeField(
        _("batas waktu layanan"), null=True, blank=True, db_index=True
    )
    completed_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)
    draft_expires_at = models.DateTimeField(_("draf kedaluwarsa"), null=True, blank=True)
    reason = models.TextField(_("alasan terakhir"), blank=True)
    siak_reference = models.CharField(_("nomor referensi SIAK"), max_length=60, blank=True)
    result_file = models.FileField(
        _("dokumen hasil"), storage=private_storage, upload_to="services/results/%Y/%m/", blank=True
    )
    result_signature = models.JSONField(
        _("pemeriksaan tanda tangan hasil"),
        default=dict,
        blank=True,
        help_text=_("Hasil pemeriksaan tanda tangan elektronik (PAdES) dokumen hasil."),
    )
    handover_note = models.CharField(_("catatan penyerahan"), max_length=255, blank=True)
    documents_purged_at = models.DateTimeField(_("dokumen dihapus"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("permohonan")
        verbose_name_plural = _("permohonan")
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "idempotency_key"], name="application_unique_idempotency"
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "status", "sla_deadline"], name="application_queue"),
            # The desk: a tenant's open applications (only those are indexed), nearest deadline
            # first, read in order and stopped after a page (desk_queue, migration 0008).
            models.Index(
                fields=["tenant", "sla_deadline", "id"],
                condition=Q(status__in=OPEN_STATUSES),
                name="application_open_sla_idx",
            ),
            # The dashboard's figures of a period: received (by submission), completed, within
            # SLA and the median completion time (from the index alone).
            models.Index(fields=["tenant", "submitted_at"], name="application_submitted_idx"),
            models.Index(
                fields=["tenant", "status", "completed_at"],
                include=["submitted_at", "sla_deadline", "id"],
                name="application_completed_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.number or _("Draf %(pk)s") % {"pk": self.pk}

    @property
    def is_editable(self) -> bool:
        return self.status in (Status.DRAFT, Status.NEEDS_REVISION)


class Event(LifecycleEvent):
    """The audit trail: every transition and every other write, with time, actor and note
    (``core.lifecycle``; ``public`` events are shown to the applicant)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")

    class Meta(LifecycleEvent.Meta):
        verbose_name = _("riwayat")
        verbose_name_plural = _("riwayat")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"


class DocumentStatus(models.TextChoices):
    PENDING = "pending", _("Belum diperiksa")
    ACCEPTED = "accepted", _("Diterima")
    REJECTED = "rejected", _("Ditolak")


class Document(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    requirement = models.ForeignKey(Requirement, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(storage=private_storage, upload_to="services/documents/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    status = models.CharField(
        _("status"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.PENDING
    )
    reason = models.CharField(_("alasan"), max_length=255, blank=True)
    uploaded_at = models.DateTimeField()
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requirement__order", "requirement_id"]
        verbose_name = _("dokumen")
        verbose_name_plural = _("dokumen")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "requirement"], name="document_one_per_requirement"
            )
        ]

    def __str__(self) -> str:
        return self.original_name


# What an applicant is told, by key: stored as the key and its parameters, rendered when read,
# in the reader's language (a stored sentence would stay in the language it was written in).
NOTICE_MESSAGES = {
    "request_revision": _(
        "Permohonan Anda perlu diperbaiki:\n%(reason)s\nPerbaiki lalu ajukan ulang."
    ),
    "ready_digital": _("Dokumen Anda sudah jadi dan dapat diunduh."),
    "ready_pickup": _("Dokumen Anda siap diambil di %(place)s. Bawa bukti permohonan."),
    "ready_delivery": _("Dokumen Anda sedang diantar ke alamat Anda."),
    "reject": _("Permohonan Anda ditolak. Alasan: %(reason)s"),
}


class Notice(models.Model):
    """An in-app notice to a citizen (also sent by email): ``message_key`` of
    ``NOTICE_MESSAGES`` with its ``params``, rendered by ``text`` in the active language."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="service_notices"
    )
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notices")
    message_key = models.CharField(max_length=40)
    params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pemberitahuan")
        verbose_name_plural = _("pemberitahuan")

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def text(self) -> str:
        if self.message_key not in NOTICE_MESSAGES:  # "text": a sentence kept from before keys
            return str(self.params.get("text", ""))
        rendered: str = str(NOTICE_MESSAGES[self.message_key]) % self.params
        return rendered


class Slot(models.Model):
    """A time window at a location with a capacity. ``booked`` is only changed by a conditional UPDATE."""

    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="slots", verbose_name=_("lokasi")
    )
    starts_at = models.DateTimeField(_("mulai"))
    ends_at = models.DateTimeField(_("selesai"))
    capacity = models.PositiveSmallIntegerField(_("kapasitas"), default=5)
    booked = models.PositiveSmallIntegerField(_("terpesan"), default=0)

    class Meta:
        ordering = ["starts_at", "location"]
        verbose_name = _("slot janji temu")
        verbose_name_plural = _("slot janji temu")
        constraints = [
            models.UniqueConstraint(fields=["location", "starts_at"], name="slot_unique_start"),
            models.CheckConstraint(
                condition=Q(booked__lte=F("capacity")), name="slot_not_overbooked"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.location} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def free(self) -> int:
        return max(self.capacity - self.booked, 0)


class Appointment(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="appointments"
    )
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="appointments")
    code = models.CharField(_("kode booking"), max_length=12, unique=True)
    created_at = models.DateTimeField()
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("janji temu")
        verbose_name_plural = _("janji temu")
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(cancelled_at__isnull=True),
                name="appointment_one_active",
            ),
        ]

    def __str__(self) -> str:
        return self.code
