"""The Satu Data catalogue of one tenant: datasets (owned by an OPD, CKAN's "organization"),
their groups and tags, resources, every version of a resource's data, and the datastore rows
that the CKAN API queries."""

from __future__ import annotations

import os
import time
import uuid

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotacerdas.core.lifecycle import LifecycleEvent
from kotacerdas.opendata.config import DEFAULT_LICENSE, FREQUENCIES


def private_storage() -> Storage:
    return storages["private"]


def uuid7() -> uuid.UUID:
    """A time-ordered UUID (RFC 9562 version 7).

    CKAN identifies datasets and resources by UUID and harvesters page with ``sort=id asc``.
    With random UUIDs a dataset added during a harvest can sort before the harvester's
    offset and push an already-seen dataset onto the next page; time-ordered ids put every
    new dataset after all existing ones, so offset paging never repeats or misses one.
    """
    ms = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= ((rand >> 62) & 0xFFF) << 64
    value |= 0b10 << 62
    value |= rand & ((1 << 62) - 1)
    return uuid.UUID(int=value)


class DatasetStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan")
    RETURNED = "returned", _("Dikembalikan")
    APPROVED = "approved", _("Disetujui")
    PUBLISHED = "published", _("Terbit")
    WITHDRAWN = "withdrawn", _("Ditarik")


class Group(models.Model):
    """A topic (CKAN group): a smart-city dimension or a Satu Data sector."""

    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    name = models.SlugField(_("nama (slug)"), max_length=100)
    title = models.CharField(_("judul"), max_length=200)
    description = models.TextField(_("uraian"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kelompok data")
        verbose_name_plural = _("kelompok data")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "name"], name="opendata_group_unique_name")
        ]

    def __str__(self) -> str:
        return self.title


class Tag(models.Model):
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    name = models.CharField(_("nama"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tag")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "name"], name="opendata_tag_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class DatasetQuerySet(models.QuerySet["Dataset"]):
    def published(self) -> DatasetQuerySet:
        return self.filter(status=DatasetStatus.PUBLISHED)


class Dataset(models.Model):
    """A CKAN "package". ``id`` is a time-ordered UUID (see ``uuid7``)."""

    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    opd = models.ForeignKey(
        "tenants.Opd",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("OPD produsen data"),
    )
    name = models.SlugField(_("nama (slug)"), max_length=100)
    title = models.CharField(_("judul"), max_length=255)
    notes = models.TextField(_("uraian"), blank=True)
    groups = models.ManyToManyField(Group, blank=True, related_name="datasets")
    tags = models.ManyToManyField(Tag, blank=True, related_name="datasets")
    license_id = models.CharField(_("lisensi"), max_length=40, default=DEFAULT_LICENSE)
    frequency = models.CharField(
        _("frekuensi pembaruan"),
        max_length=20,
        choices=list(FREQUENCIES.items()),
        default="ANNUAL",
    )
    temporal_start = models.DateField(_("cakupan waktu mulai"), null=True, blank=True)
    temporal_end = models.DateField(_("cakupan waktu selesai"), null=True, blank=True)
    spatial_regions = models.ManyToManyField(
        "regions.Region", blank=True, related_name="+", verbose_name=_("cakupan wilayah")
    )
    # An office contact, never a person's private one.
    contact_name = models.CharField(_("kontak (unit kerja)"), max_length=200, blank=True)
    contact_email = models.EmailField(_("surel kontak"), blank=True)
    data_standard = models.JSONField(_("standar data"), default=dict, blank=True)
    ms_keg = models.JSONField(_("MS-Keg"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=DatasetStatus.choices, default=DatasetStatus.DRAFT
    )
    # Datasets the platform publishes from its own modules carry their generator's key.
    platform_key = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    modified_at = models.DateTimeField(_("diubah"), default=timezone.now)
    published_at = models.DateTimeField(_("terbit"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = DatasetQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("dataset")
        verbose_name_plural = _("dataset")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "name"], name="opendata_dataset_unique_name"),
            models.UniqueConstraint(
                fields=["tenant", "platform_key"],
                condition=~models.Q(platform_key=""),
                name="opendata_dataset_unique_platform_key",
            ),
        ]
        indexes = [
            # package_search pages a tenant's published datasets by id and by modification time.
            models.Index(fields=["tenant", "status", "id"], name="opendata_ds_tenant_status_id"),
            models.Index(fields=["tenant", "status", "modified_at"], name="opendata_ds_modified"),
        ]

    def __str__(self) -> str:
        return self.title


class DatasetEvent(LifecycleEvent):
    """The dataset's audit trail: every transition, metadata edit, resource and version."""

    subject = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="events")

    class Meta(LifecycleEvent.Meta):
        verbose_name = _("riwayat dataset")
        verbose_name_plural = _("riwayat dataset")


class ResourceFormat(models.TextChoices):
    CSV = "CSV", "CSV"
    XLSX = "XLSX", "XLSX"
    JSON = "JSON", "JSON"
    GEOJSON = "GEOJSON", "GeoJSON"
    PDF = "PDF", "PDF"
    LINK = "LINK", _("Tautan")


class Resource(models.Model):
    """A file or link of a dataset. Its data lives in versions; ``current_version`` is the one
    served (and loaded into the datastore when tabular)."""

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="resources")
    name = models.CharField(_("nama"), max_length=255)
    description = models.TextField(_("uraian"), blank=True)
    format = models.CharField(_("format"), max_length=10, choices=ResourceFormat.choices)
    url = models.URLField(_("tautan"), blank=True, max_length=1000)
    position = models.PositiveIntegerField(default=0)
    current_version = models.ForeignKey(
        "ResourceVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    modified_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["dataset", "position", "id"]
        verbose_name = _("sumber data")
        verbose_name_plural = _("sumber data")

    def __str__(self) -> str:
        return self.name

    @property
    def datastore_active(self) -> bool:
        version = self.current_version
        return version is not None and version.ready and self.format in {"CSV", "XLSX"}


class ResourceVersion(models.Model):
    """One state of a resource's data. Versions are never changed or deleted once loaded, so
    a report can cite ``…/versi/<n>/`` and get the same bytes later."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("versi"))
    file = models.FileField(
        _("berkas"), storage=private_storage, upload_to="opendata/%Y/%m/", blank=True
    )
    filename = models.CharField(_("nama berkas"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    # The Table Schema with the MS-Var data dictionary on each field (tabular files only).
    schema = models.JSONField(_("skema dan kamus data"), default=dict, blank=True)
    schema_confirmed = models.BooleanField(default=False)
    # Complete: a tabular version once its schema is confirmed and its rows loaded, any other
    # file once stored. Only ready versions are served or become current.
    ready = models.BooleanField(_("siap"), default=False)
    row_count = models.PositiveIntegerField(null=True, blank=True)
    # {"added": n, "removed": n, "changed": n} against the previous loaded version.
    diff = models.JSONField(_("ringkasan perubahan"), default=dict, blank=True)
    note = models.TextField(_("catatan perubahan"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("tanggal"), default=timezone.now)

    class Meta:
        ordering = ["resource", "number"]
        verbose_name = _("versi data")
        verbose_name_plural = _("versi data")
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "number"], name="opendata_version_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.resource} v{self.number}"


class DatastoreRow(models.Model):
    """One row of a loaded tabular version, as JSON (works on SQLite and PostgreSQL alike).
    ``row_number`` is the 1-based data row (CKAN's ``_id``)."""

    version = models.ForeignKey(ResourceVersion, on_delete=models.CASCADE, related_name="rows")
    row_number = models.PositiveIntegerField()
    data = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["version", "row_number"], name="opendata_row_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.version_id}#{self.row_number}"


class DownloadCount(models.Model):
    """Downloads of a dataset per month (for the "statistik portal"); no visitor data kept."""

    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="downloads")
    month = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dataset", "month"], name="opendata_download_month")
        ]
        indexes = [models.Index(fields=["tenant", "month"])]

    def __str__(self) -> str:
        return f"{self.dataset_id} {self.month:%Y-%m}: {self.count}"
