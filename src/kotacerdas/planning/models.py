"""The smart-city masterplan: dimensions, programmes, progress reports and Kominfo evaluation."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import Storage, storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kotacerdas.core.i18n import ENGLISH_HELP as EN_HELP
from kotacerdas.core.i18n import LocalizedNameAndDescription, localized
from kotacerdas.core.lifecycle import LifecycleEvent

SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


def private_storage() -> Storage:
    # A callable: the storage is looked up when used, not frozen into the migration.
    return storages["private"]


class Dimension(LocalizedNameAndDescription, models.Model):
    """One of the six national smart-city dimensions (seeded by a data migration, editable)."""

    code = models.SlugField(_("kode"), max_length=30, unique=True)
    name = models.CharField(_("nama"), max_length=80)
    name_en = models.CharField(
        _("nama (Inggris)"), max_length=80, blank=True, db_default="", help_text=EN_HELP
    )
    description = models.TextField(_("keterangan"), blank=True)
    description_en = models.TextField(
        _("keterangan (Inggris)"), blank=True, db_default="", help_text=EN_HELP
    )
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("dimensi")
        verbose_name_plural = _("dimensi")

    def __str__(self) -> str:
        return self.local_name


class Element(models.Model):
    """An element of a dimension (three per dimension in the national guideline)."""

    dimension = models.ForeignKey(
        Dimension, on_delete=models.CASCADE, related_name="elements", verbose_name=_("dimensi")
    )
    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    name_en = models.CharField(
        _("nama (Inggris)"), max_length=120, blank=True, db_default="", help_text=EN_HELP
    )
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["dimension__order", "order", "name"]
        verbose_name = _("elemen")
        verbose_name_plural = _("elemen")

    def __str__(self) -> str:
        return f"{self.dimension.local_name}: {self.local_name}"

    @property
    def local_name(self) -> str:
        return localized(self, "name")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Bulanan")
    QUARTERLY = "quarterly", _("Triwulanan")


class Masterplan(models.Model):
    """A tenant's 10-year Masterplan Smart City, aligned with its RPJMD."""

    tenant = models.OneToOneField(
        "tenants.Tenant",
        on_delete=models.CASCADE,
        related_name="masterplan",
        verbose_name=_("pemerintah daerah"),
    )
    title = models.CharField(_("judul"), max_length=200)
    vision = models.TextField(_("visi"))
    mission = models.TextField(_("misi"), help_text=_("Satu butir misi per baris."))
    strategy = models.TextField(_("strategi"), blank=True, help_text=_("Satu butir per baris."))
    start_year = models.PositiveSmallIntegerField(_("tahun mulai"))
    horizon_years = models.PositiveSmallIntegerField(
        _("jangka waktu (tahun)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    short_term_end = models.PositiveSmallIntegerField(_("akhir jangka pendek (tahun)"))
    medium_term_end = models.PositiveSmallIntegerField(_("akhir jangka menengah (tahun)"))
    rpjmd_reference = models.TextField(
        _("program RPJMD yang diacu"),
        blank=True,
        help_text=_("Satu program RPJMD per baris, misalnya “1.02 Program Pelayanan Publik”."),
    )
    reporting_frequency = models.CharField(
        _("frekuensi laporan kemajuan"),
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.QUARTERLY,
    )
    report_due_days = models.PositiveSmallIntegerField(
        _("batas lapor (hari setelah periode)"), default=10
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("masterplan")
        verbose_name_plural = _("masterplan")
        constraints = [
            models.CheckConstraint(
                condition=Q(short_term_end__gte=models.F("start_year"))
                & Q(medium_term_end__gt=models.F("short_term_end")),
                name="masterplan_terms_in_order",
                violation_error_message=_(
                    "Rentang jangka tidak runtut: jangka pendek berakhir sebelum jangka menengah."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def end_year(self) -> int:
        return self.start_year + self.horizon_years - 1

    def term_ranges(self) -> list[tuple[str, str, int, int]]:
        """(term, label, first year, last year) for the short, medium and long terms."""
        return [
            (Term.SHORT, str(Term.SHORT.label), self.start_year, self.short_term_end),
            (Term.MEDIUM, str(Term.MEDIUM.label), self.short_term_end + 1, self.medium_term_end),
            (Term.LONG, str(Term.LONG.label), self.medium_term_end + 1, self.end_year),
        ]

    def mission_items(self) -> list[str]:
        return [line.strip() for line in self.mission.splitlines() if line.strip()]

    def strategy_items(self) -> list[str]:
        return [line.strip() for line in self.strategy.splitlines() if line.strip()]

    def rpjmd_items(self) -> list[str]:
        return [line.strip() for line in self.rpjmd_reference.splitlines() if line.strip()]


class Leg(models.TextChoices):
    STRUKTUR = "struktur", _("Struktur")
    INFRASTRUKTUR = "infrastruktur", _("Infrastruktur")
    SUPRASTRUKTUR = "suprastruktur", _("Suprastruktur")


class ReadinessKind(models.TextChoices):
    STRENGTH = "strength", _("Kekuatan")
    WEAKNESS = "weakness", _("Kelemahan")
    OPPORTUNITY = "opportunity", _("Peluang")
    THREAT = "threat", _("Ancaman")
    GAP = "gap", _("Kesenjangan")


class ReadinessEntry(models.Model):
    """One SWOT or gap-analysis finding on one leg, scored 1 (weak) to 5 (strong/ready)."""

    tenant = models.ForeignKey(
        "tenants.Tenant", on_delete=models.CASCADE, verbose_name=_("pemerintah daerah")
    )
    leg = models.CharField(_("pilar"), max_length=20, choices=Leg.choices)
    kind = models.CharField(_("jenis"), max_length=20, choices=ReadinessKind.choices)
    description = models.TextField(_("uraian"))
    score = models.PositiveSmallIntegerField(_("skor (1–5)"), validators=SCORE_VALIDATORS)

    class Meta:
        ordering = ["leg", "kind", "pk"]
        verbose_name = _("analisis kesiapan")
        verbose_name_plural = _("analisis kesiapan")
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5),
                name="readiness_score_1_5",
                violation_error_message=_("Skor kesiapan harus antara 1 dan 5."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_leg_display()} · {self.get_kind_display()}"


class Term(models.TextChoices):
    QUICK_WIN = "quick_win", _("Quick win")
    SHORT = "short", _("Jangka pendek")
    MEDIUM = "medium", _("Jangka menengah")
    LONG = "long", _("Jangka panjang")


class ProgrammeStatus(models.TextChoices):
    PLANNED = "planned", _("Direncanakan")
    ONGOING = "ongoing", _("Berjalan")
    COMPLETED = "completed", _("Selesai")
    SUSPENDED = "suspended", _("Ditunda")


class Programme(LocalizedNameAndDescription, models.Model):
    """A programme (or initiative) of the masterplan, owned by a lead OPD."""

    tenant = models.ForeignKey(
        "tenants.Tenant", on_delete=models.CASCADE, verbose_name=_("pemerintah daerah")
    )
    name = models.CharField(_("nama program"), max_length=200)
    name_en = models.CharField(
        _("nama program (Inggris)"), max_length=200, blank=True, db_default="", help_text=EN_HELP
    )
    description = models.TextField(_("uraian"), blank=True)
    description_en = models.TextField(
        _("uraian (Inggris)"), blank=True, db_default="", help_text=EN_HELP
    )
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, verbose_name=_("dimensi"))
    element = models.ForeignKey(Element, on_delete=models.PROTECT, verbose_name=_("elemen"))
    term = models.CharField(_("jangka"), max_length=20, choices=Term.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=ProgrammeStatus.choices, default=ProgrammeStatus.PLANNED
    )
    lead_opd = models.ForeignKey(
        "tenants.Opd",
        on_delete=models.PROTECT,
        related_name="led_programmes",
        verbose_name=_("OPD pengampu"),
    )
    supporting_opds = models.ManyToManyField(
        "tenants.Opd",
        blank=True,
        related_name="supported_programmes",
        verbose_name=_("OPD pendukung"),
    )
    rpjmd_programme = models.CharField(_("program RPJMD"), max_length=200, blank=True)
    start_year = models.PositiveSmallIntegerField(_("tahun mulai"))
    end_year = models.PositiveSmallIntegerField(_("tahun selesai"))
    reporting_from = models.DateField(
        _("wajib lapor sejak"),
        help_text=_("Laporan kemajuan diminta untuk periode sejak tanggal ini."),
    )
    is_demo = models.BooleanField(_("data demo"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["dimension__order", "term", "name"]
        verbose_name = _("program")
        verbose_name_plural = _("program")
        indexes = [models.Index(fields=["tenant", "status"])]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "name"], name="programme_unique_name"),
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")),
                name="programme_years_in_order",
                violation_error_message=_("Tahun selesai tidak boleh sebelum tahun mulai."),
            ),
        ]

    def __str__(self) -> str:
        return self.local_name


class PartnerKind(models.TextChoices):
    GOVERNMENT = "government", _("Pemerintah")
    BUSINESS = "business", _("Dunia usaha")
    ACADEMIA = "academia", _("Akademisi")
    COMMUNITY = "community", _("Komunitas")
    MEDIA = "media", _("Media")


class Partner(models.Model):
    """A pentahelix partner of a programme."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="partners")
    kind = models.CharField(_("unsur pentahelix"), max_length=20, choices=PartnerKind.choices)
    name = models.CharField(_("nama mitra"), max_length=200)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("mitra pentahelix")
        verbose_name_plural = _("mitra pentahelix")

    def __str__(self) -> str:
        return self.name


class BudgetSource(models.TextChoices):
    APBD = "apbd", _("APBD")
    APBN = "apbn", _("APBN")
    DANA_DESA = "dana_desa", _("Dana Desa")
    CSR = "csr", _("CSR")
    KPBU = "kpbu", _("KPBU")


class BudgetLine(models.Model):
    """The budget (rupiah) of a programme for one year from one source."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="budget_lines")
    year = models.PositiveSmallIntegerField(_("tahun"))
    source = models.CharField(_("sumber dana"), max_length=20, choices=BudgetSource.choices)
    amount = models.DecimalField(
        _("pagu (Rp)"), max_digits=16, decimal_places=0, validators=[MinValueValidator(0)]
    )

    class Meta:
        ordering = ["year", "source"]
        verbose_name = _("anggaran")
        verbose_name_plural = _("anggaran")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "year", "source"], name="budget_unique_year_source"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_source_display()}"


class Direction(models.TextChoices):
    HIGHER = "higher", _("Makin tinggi makin baik")
    LOWER = "lower", _("Makin rendah makin baik")


class Kpi(models.Model):
    """A key performance indicator of a programme, optionally fed from a platform metric."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="kpis")
    name = models.CharField(_("indikator"), max_length=200)
    name_en = models.CharField(
        _("indikator (Inggris)"), max_length=200, blank=True, db_default="", help_text=EN_HELP
    )
    unit = models.CharField(_("satuan"), max_length=40)
    unit_en = models.CharField(
        _("satuan (Inggris)"), max_length=40, blank=True, db_default="", help_text=EN_HELP
    )
    baseline = models.DecimalField(_("nilai dasar"), max_digits=14, decimal_places=2)
    direction = models.CharField(
        _("arah"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    metric = models.CharField(
        _("metrik platform"),
        max_length=60,
        blank=True,
        help_text=_("Jika diisi, realisasi diisi otomatis dari data platform."),
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("IKU")
        verbose_name_plural = _("IKU")

    def __str__(self) -> str:
        return self.local_name

    @property
    def local_name(self) -> str:
        return localized(self, "name")

    @property
    def local_unit(self) -> str:
        return localized(self, "unit")


class KpiTarget(models.Model):
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("tahun"))
    value = models.DecimalField(_("target"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["kpi", "year"], name="kpi_target_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.value}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan")
    APPROVED = "approved", _("Disetujui")
    RETURNED = "returned", _("Dikembalikan")


class ProgressReport(models.Model):
    """The lead OPD's progress report on a programme for one period (month or quarter)."""

    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE)
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="reports")
    period_start = models.DateField(_("awal periode"))
    period_end = models.DateField(_("akhir periode"))
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    physical_progress = models.DecimalField(
        _("kemajuan fisik (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    budget_realised = models.DecimalField(
        _("realisasi anggaran (Rp)"),
        max_digits=16,
        decimal_places=0,
        validators=[MinValueValidator(0)],
    )
    achievements = models.TextField(_("capaian"), help_text=_("Satu butir per baris."))
    challenges = models.TextField(_("tantangan"), blank=True, help_text=_("Satu butir per baris."))
    obstacles = models.TextField(_("hambatan"), blank=True, help_text=_("Satu butir per baris."))
    review_note = models.TextField(_("catatan peninjau"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period_start", "programme__name"]
        verbose_name = _("laporan kemajuan")
        verbose_name_plural = _("laporan kemajuan")
        indexes = [models.Index(fields=["tenant", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "period_start"], name="report_unique_period"
            ),
            models.CheckConstraint(
                condition=Q(physical_progress__gte=0, physical_progress__lte=100),
                name="report_progress_0_100",
                violation_error_message=_("Kemajuan fisik harus antara 0 dan 100 persen."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} · {self.period_label}"

    @property
    def period_label(self) -> str:
        """The period in the active language (``planning.periods.period_label``)."""
        from kotacerdas.planning.periods import period_label  # here: periods imports models

        return period_label(self.period_start, self.period_end)

    @staticmethod
    def _items(text: str) -> list[str]:
        return [line.strip() for line in text.splitlines() if line.strip()]

    def achievement_items(self) -> list[str]:
        return self._items(self.achievements)

    def challenge_items(self) -> list[str]:
        return self._items(self.challenges)

    def obstacle_items(self) -> list[str]:
        return self._items(self.obstacles)


class KpiActual(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="actuals")
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="actuals")
    value = models.DecimalField(_("realisasi"), max_digits=14, decimal_places=2)
    from_metric = models.BooleanField(_("dari metrik platform"), default=False)

    class Meta:
        ordering = ["kpi_id"]
        constraints = [models.UniqueConstraint(fields=["report", "kpi"], name="actual_unique_kpi")]

    def __str__(self) -> str:
        return f"{self.kpi}: {self.value}"


class Evidence(models.Model):
    """A supporting file of a progress report, kept in private storage."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(storage=private_storage, upload_to="planning/evidence/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("bukti dukung")
        verbose_name_plural = _("bukti dukung")

    def __str__(self) -> str:
        return self.original_name


class Reminder(models.Model):
    """One reminder e-mail per programme and overdue period: reruns never repeat it."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="reminders")
    period_start = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "period_start"], name="reminder_once_per_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} · {self.period_start:%Y-%m-%d}"


class AuditEvent(LifecycleEvent):
    """Every write in this app, on the lifecycle kit: who did what to which object, and the
    report's state change if any.

    One table for the whole app (masterplan, readiness entries, programmes, reports,
    evaluations), so the subject is a generic reference. An act on a part is recorded on its
    whole, with the part's id in ``data``: an evidence file on its report, a dimension score
    on its evaluation, a reminder on its programme.
    """

    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")

    class Meta(LifecycleEvent.Meta):
        verbose_name = _("peristiwa perencanaan")
        verbose_name_plural = _("peristiwa perencanaan")
        indexes = [
            models.Index(fields=["tenant", "created_at"], name="planning_event_tenant_time"),
            # An object's history (the report page's timeline).
            models.Index(fields=["subject_type", "subject_id"], name="planning_event_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.subject_type_id}#{self.subject_id}"


class Evaluation(models.Model):
    """Kominfo's evaluation of a tenant for one year, with that year's component weights (%)."""

    tenant = models.ForeignKey(
        "tenants.Tenant", on_delete=models.CASCADE, verbose_name=_("pemerintah daerah")
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    weight_baseline = models.PositiveSmallIntegerField(_("bobot baseline (%)"), default=10)
    weight_output = models.PositiveSmallIntegerField(_("bobot output (%)"), default=20)
    weight_outcome = models.PositiveSmallIntegerField(_("bobot outcome (%)"), default=30)
    weight_impact = models.PositiveSmallIntegerField(_("bobot impact (%)"), default=20)
    weight_quick_win = models.PositiveSmallIntegerField(_("bobot quick win (%)"), default=20)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("evaluasi Kominfo")
        verbose_name_plural = _("evaluasi Kominfo")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "year"], name="evaluation_unique_year"),
            models.CheckConstraint(
                condition=Q(
                    weight_baseline=100
                    - models.F("weight_output")
                    - models.F("weight_outcome")
                    - models.F("weight_impact")
                    - models.F("weight_quick_win")
                ),
                name="evaluation_weights_sum_100",
                violation_error_message=_("Jumlah bobot harus 100."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.year)

    def weights(self) -> dict[str, int]:
        return {
            "baseline": self.weight_baseline,
            "output": self.weight_output,
            "outcome": self.weight_outcome,
            "impact": self.weight_impact,
            "quick_win": self.weight_quick_win,
        }


class DimensionScore(models.Model):
    """The five component scores (1–5) of one dimension in one evaluation."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, verbose_name=_("dimensi"))
    baseline = models.PositiveSmallIntegerField(_("baseline"), validators=SCORE_VALIDATORS)
    output = models.PositiveSmallIntegerField(_("output"), validators=SCORE_VALIDATORS)
    outcome = models.PositiveSmallIntegerField(_("outcome"), validators=SCORE_VALIDATORS)
    impact = models.PositiveSmallIntegerField(_("impact"), validators=SCORE_VALIDATORS)
    quick_win = models.PositiveSmallIntegerField(_("quick win"), validators=SCORE_VALIDATORS)
    justification = models.TextField(_("justifikasi"))
    evidence = models.FileField(
        _("bukti dukung"), storage=private_storage, upload_to="planning/evaluation/%Y/", blank=True
    )

    class Meta:
        ordering = ["dimension__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "dimension"], name="score_unique_dimension"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation} · {self.dimension}"

    def components(self) -> dict[str, int]:
        return {
            "baseline": self.baseline,
            "output": self.output,
            "outcome": self.outcome,
            "impact": self.impact,
            "quick_win": self.quick_win,
        }
