from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    PROVINCE = 1, _("Provinsi")
    REGENCY = 2, _("Kabupaten/Kota")
    DISTRICT = 3, _("Kecamatan")
    VILLAGE = 4, _("Kelurahan/Desa")


class RegionQuerySet(models.QuerySet["Region"]):
    def districts_of(self, regency_code: str) -> RegionQuerySet:
        return self.filter(level=Level.DISTRICT, parent_id=regency_code)

    def villages_of_regency(self, regency_code: str) -> RegionQuerySet:
        return self.filter(level=Level.VILLAGE, parent__parent_id=regency_code)


class Region(models.Model):
    """One administrative area of Indonesia, keyed on its Kemendagri code (e.g. ``36.73.01.1002``)."""

    code = models.CharField(_("kode Kemendagri"), max_length=13, primary_key=True)
    name = models.CharField(_("nama"), max_length=100)
    level = models.PositiveSmallIntegerField(_("tingkat"), choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("induk"),
    )
    # A representative point (kantor kecamatan/kelurahan or centroid); optional.
    center_lat = models.DecimalField(
        _("lintang pusat"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    center_lng = models.DecimalField(
        _("bujur pusat"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def kind(self) -> str:
        """Kabupaten or kota for level 2; kelurahan or desa for level 4 (first digit 1 or 2)."""
        if self.level == Level.REGENCY:
            return "kota" if self.name.lower().startswith("kota ") else "kabupaten"
        if self.level == Level.VILLAGE:
            return "kelurahan" if self.code.rsplit(".", 1)[-1].startswith("1") else "desa"
        return self.get_level_display().lower()
