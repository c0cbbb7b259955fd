"""The SPBE self-assessment. A framework (its domains, aspects, indicators, weights, level
names and predicate thresholds) is data, so a later framework such as Indeks Pemerintah
Digital is a new ``Framework`` row, not new code."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from kotacerdas.core.lifecycle import LifecycleEvent


def private_storage() -> Storage:
    return storages["private"]


class Bilingual(models.Model):
    """An official Indonesian name with its English translation (data, not gettext)."""

    name = models.CharField(_("nama"), max_length=200)
    name_en = models.CharField(_("nama (Inggris)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def local_name(self) -> str:
        """The English name on an English page when there is one, else the official name."""
        if self.name_en and (translation.get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class FrameworkQuerySet(models.QuerySet["Framework"]):
    def current(self) -> Framework | None:
        """The framework new assessments use (the newest active one)."""
        return self.filter(is_active=True).order_by("-effective_year", "-pk").first()


class Framework(Bilingual):
    code = models.SlugField(_("kode"), max_length=40, unique=True)
    regulation = models.CharField(_("dasar hukum"), max_length=200, blank=True)
    effective_year = models.PositiveSmallIntegerField(_("berlaku sejak tahun"))
    min_level = models.PositiveSmallIntegerField(_("tingkat terendah"), default=1)
    max_level = models.PositiveSmallIntegerField(_("tingkat tertinggi"), default=5)
    is_active = models.BooleanField(_("aktif"), default=True)

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        ordering = ["-effective_year", "code"]
        verbose_name = _("kerangka penilaian")
        verbose_name_plural = _("kerangka penilaian")


class Domain(Bilingual):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="domains")
    code = models.CharField(_("kode"), max_length=10)
    order = models.PositiveSmallIntegerField(_("urutan"))
    level_group = models.CharField(
        _("kelompok nama tingkat"),
        max_length=30,
        help_text=_("Nama tingkat kematangan yang dipakai domain ini (lihat Nama tingkat)."),
    )

    class Meta:
        ordering = ["framework", "order"]
        verbose_name = _("domain")
        verbose_name_plural = _("domain")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="spbe_domain_unique_code"),
        ]


class Aspect(Bilingual):
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="aspects")
    code = models.CharField(_("kode"), max_length=10)
    order = models.PositiveSmallIntegerField(_("urutan"))

    class Meta:
        ordering = ["domain__framework", "order"]
        verbose_name = _("aspek")
        verbose_name_plural = _("aspek")


class Indicator(Bilingual):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="indicators")
    aspect = models.ForeignKey(Aspect, on_delete=models.CASCADE, related_name="indicators")
    number = models.PositiveSmallIntegerField(_("nomor"))
    weight = models.DecimalField(
        _("bobot"),
        max_digits=7,
        decimal_places=3,
        help_text=_("Bobot indikator (BI), persen dari indeks."),
    )

    class Meta:
        ordering = ["framework", "number"]
        verbose_name = _("indikator")
        verbose_name_plural = _("indikator")
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "number"], name="spbe_indicator_unique_number"
            ),
            models.CheckConstraint(
                condition=models.Q(weight__gt=0), name="spbe_indicator_weight_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class LevelName(Bilingual):
    """A maturity level's name for one group of domains (process or technical capability)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="level_names")
    group = models.CharField(_("kelompok"), max_length=30)
    level = models.PositiveSmallIntegerField(_("tingkat"))

    class Meta:
        ordering = ["framework", "group", "level"]
        verbose_name = _("nama tingkat")
        verbose_name_plural = _("nama tingkat")
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "group", "level"], name="spbe_level_name_unique"
            ),
        ]


class PredicateThreshold(Bilingual):
    """An index at or above ``minimum`` earns this predicate (the highest such row wins)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="thresholds")
    minimum = models.DecimalField(_("indeks minimum"), max_digits=6, decimal_places=3)

    class Meta:
        ordering = ["framework", "minimum"]
        verbose_name = _("ambang predikat")
        verbose_name_plural = _("ambang predikat")
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "minimum"], name="spbe_threshold_unique_minimum"
            ),
        ]


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    FINAL = "final", _("Final")


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def final(self) -> AssessmentQuerySet:
        return self.filter(status=AssessmentStatus.FINAL)


class Assessment(models.Model):
    """One tenant's self-assessment for one year under one framework."""

    tenant = models.ForeignKey(
        "tenants.Tenant",
        on_delete=models.CASCADE,
        related_name="spbe_assessments",
        verbose_name=_("pemerintah daerah"),
    )
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, verbose_name=_("kerangka"))
    year = models.PositiveSmallIntegerField(_("tahun"))
    status = models.CharField(
        _("status"), max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    is_demo = models.BooleanField(_("data demo"), default=False)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["tenant", "-year"]
        verbose_name = _("penilaian SPBE")
        verbose_name_plural = _("penilaian SPBE")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "framework", "year"], name="spbe_assessment_unique_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.framework.name} {self.year}"


class IndicatorScore(models.Model):
    """The assessor's level for one indicator, with its justification."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("tingkat"), null=True, blank=True)
    justification = models.TextField(_("penjelasan"), blank=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        ordering = ["assessment", "indicator__number"]
        verbose_name = _("nilai indikator")
        verbose_name_plural = _("nilai indikator")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "indicator"], name="spbe_score_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.level}"


class Evidence(models.Model):
    """A supporting document, kept in private storage and served only through an access check."""

    score = models.ForeignKey(IndicatorScore, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("berkas"), storage=private_storage, upload_to="spbe/evidence/%Y/")
    original_name = models.CharField(_("nama berkas"), max_length=200)
    content_type = models.CharField(_("jenis"), max_length=100)
    size = models.PositiveIntegerField(_("ukuran"))
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("diunggah"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("bukti dukung")
        verbose_name_plural = _("bukti dukung")
        constraints = [
            # A repeated upload (double click, retry) of the same file is one evidence row.
            models.UniqueConstraint(fields=["score", "sha256"], name="spbe_evidence_unique_file"),
        ]

    def __str__(self) -> str:
        return self.original_name


class EventAction(models.TextChoices):
    CREATE = "create", _("dibuat")
    SCORE = "score", _("tingkat diisi")
    SCORE_BULK = "score_bulk", _("tingkat diisi sekaligus")
    EVIDENCE_ADD = "evidence_add", _("bukti diunggah")
    EVIDENCE_DELETE = "evidence_delete", _("bukti dihapus")
    FINALIZE = "finalize", _("ditetapkan final")
    REOPEN = "reopen", _("dibuka kembali")


class AssessmentEvent(LifecycleEvent):
    """The audit trail of an assessment: every change, who made it and when
    (``core.lifecycle``; what changed is in ``data``, rendered when shown)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("tindakan"), max_length=40, choices=EventAction.choices)

    class Meta(LifecycleEvent.Meta):
        verbose_name = _("riwayat penilaian")
        verbose_name_plural = _("riwayat penilaian")

    def __str__(self) -> str:
        return f"{self.action} {self.created_at:%Y-%m-%d %H:%M}"
