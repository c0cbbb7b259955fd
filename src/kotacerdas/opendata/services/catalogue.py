"""Datasets and their resources: creating and editing the catalogue entries (metadata,
groups, tags, spatial coverage)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import User
from kotacerdas.core.errors import DomainError
from kotacerdas.opendata.config import (
    DATA_STANDARD_FIELDS,
    DEFAULT_GROUPS,
    FREQUENCIES,
    LICENSES,
    MS_KEG_FIELDS,
)
from kotacerdas.opendata.lifecycle import DATASET_LIFECYCLE, record
from kotacerdas.opendata.models import Dataset, DatasetStatus, Group, Resource, ResourceFormat, Tag
from kotacerdas.regions.models import Region
from kotacerdas.tenants.models import Opd, Tenant


def groups_ensure(*, tenant: Tenant) -> list[Group]:
    """The tenant's default groups (smart-city dimensions, Satu Data sectors); idempotent."""
    groups = []
    for name, title in DEFAULT_GROUPS:
        group, _created = Group.objects.get_or_create(
            tenant=tenant, name=name, defaults={"title": str(title)}
        )
        groups.append(group)
    return groups


def _unique_name(tenant: Tenant, title: str) -> str:
    base = slugify(title)[:90] or "dataset"
    name, n = base, 1
    while Dataset.objects.filter(tenant=tenant, name=name).exists():
        n += 1
        name = f"{base}-{n}"
    return name


def _clean_fields(values: Mapping[str, Any] | None, allowed: Mapping[str, Any]) -> dict[str, str]:
    values = values or {}
    unknown = set(values) - set(allowed)
    if unknown:
        raise DomainError(
            _("Isian metadata tidak dikenal: %(keys)s.") % {"keys": ", ".join(sorted(unknown))},
            code="unknown_metadata",
        )
    return {k: str(v)[:2000] for k, v in values.items() if v not in (None, "")}


def _set_relations(
    dataset: Dataset,
    *,
    groups: Iterable[str] | None,
    tags: Iterable[str] | None,
    spatial: Iterable[str] | None,
) -> None:
    if groups is not None:
        names = set(groups)
        found = list(Group.objects.filter(tenant=dataset.tenant, name__in=names))
        defaults = dict(DEFAULT_GROUPS)
        # The default topics exist in every tenant; they are made on first use.
        found.extend(
            Group.objects.get_or_create(
                tenant=dataset.tenant, name=name, defaults={"title": str(defaults[name])}
            )[0]
            for name in names - {g.name for g in found}
            if name in defaults
        )
        if len(found) != len(names):
            missing = names - {g.name for g in found}
            raise DomainError(
                _("Kelompok tidak dikenal: %(names)s.") % {"names": ", ".join(sorted(missing))},
                code="unknown_group",
            )
        dataset.groups.set(found)
    if tags is not None:
        clean = {re.sub(r"\s+", " ", t).strip()[:100] for t in tags} - {""}
        tag_objs = [Tag.objects.get_or_create(tenant=dataset.tenant, name=t)[0] for t in clean]
        dataset.tags.set(tag_objs)
    if spatial is not None:
        codes = set(spatial)
        regions = list(Region.objects.filter(code__in=codes)) if codes else []
        if len(regions) != len(codes):
            raise DomainError(_("Kode wilayah tidak dikenal."), code="unknown_region")
        tenant_code = dataset.tenant.region_id
        if any(
            not (r.code == tenant_code or r.code.startswith(tenant_code + ".")) for r in regions
        ):
            raise DomainError(
                _("Cakupan wilayah harus di dalam wilayah pemerintah daerah ini."),
                code="region_outside_tenant",
            )
        dataset.spatial_regions.set(regions)


def _check_choices(license_id: str, frequency: str) -> None:
    if license_id not in LICENSES:
        raise DomainError(_("Lisensi tidak dikenal."), code="unknown_license")
    if frequency not in FREQUENCIES:
        raise DomainError(_("Frekuensi pembaruan tidak dikenal."), code="unknown_frequency")


@transaction.atomic
def dataset_create(
    *,
    tenant: Tenant,
    opd: Opd,
    actor: User | None,
    title: str,
    name: str = "",
    notes: str = "",
    groups: Iterable[str] = (),
    tags: Iterable[str] = (),
    license_id: str = "CC-BY-4.0",
    frequency: str = "ANNUAL",
    temporal_start: Any = None,
    temporal_end: Any = None,
    spatial: Iterable[str] = (),
    contact_name: str = "",
    contact_email: str = "",
    data_standard: Mapping[str, Any] | None = None,
    ms_keg: Mapping[str, Any] | None = None,
    platform_key: str = "",
) -> Dataset:
    """A new draft dataset of ``opd`` (which must belong to ``tenant``)."""
    if opd.tenant_id != tenant.pk:
        raise DomainError(_("OPD tidak ditemukan."), code="unknown_opd", status=404)
    _check_choices(license_id, frequency)
    title = title.strip()
    if not title:
        raise DomainError(_("Judul dataset wajib diisi."), code="title_required")
    name = slugify(name)[:100] if name else _unique_name(tenant, title)
    if Dataset.objects.filter(tenant=tenant, name=name).exists():
        raise DomainError(_("Nama dataset sudah dipakai."), code="name_taken", status=409)
    now = timezone.now()
    dataset = Dataset.objects.create(
        tenant=tenant,
        opd=opd,
        name=name,
        title=title[:255],
        notes=notes,
        license_id=license_id,
        frequency=frequency,
        temporal_start=temporal_start,
        temporal_end=temporal_end,
        contact_name=contact_name or opd.name,
        contact_email=contact_email or opd.email,
        data_standard=_clean_fields(data_standard, DATA_STANDARD_FIELDS),
        ms_keg=_clean_fields(ms_keg, MS_KEG_FIELDS),
        platform_key=platform_key,
        created_at=now,
        modified_at=now,
        created_by=actor,
    )
    _set_relations(dataset, groups=groups, tags=tags, spatial=spatial)
    record(dataset, lifecycle=DATASET_LIFECYCLE, action="create", actor=actor)
    return dataset


@transaction.atomic
def dataset_update(
    *,
    dataset: Dataset,
    actor: User | None,
    fields: Mapping[str, Any],
    groups: Iterable[str] | None = None,
    tags: Iterable[str] | None = None,
    spatial: Iterable[str] | None = None,
) -> Dataset:
    """Changes the dataset's metadata (not its status); records which fields changed."""
    editable = {
        "title",
        "notes",
        "license_id",
        "frequency",
        "temporal_start",
        "temporal_end",
        "contact_name",
        "contact_email",
        "data_standard",
        "ms_keg",
    }
    unknown = set(fields) - editable
    if unknown:
        raise DomainError(
            _("Isian tidak dapat diubah: %(keys)s.") % {"keys": ", ".join(sorted(unknown))},
            code="not_editable",
        )
    values = dict(fields)
    if "data_standard" in values:
        values["data_standard"] = _clean_fields(values["data_standard"], DATA_STANDARD_FIELDS)
    if "ms_keg" in values:
        values["ms_keg"] = _clean_fields(values["ms_keg"], MS_KEG_FIELDS)
    _check_choices(
        values.get("license_id", dataset.license_id), values.get("frequency", dataset.frequency)
    )
    for key, value in values.items():
        setattr(dataset, key, value)
    dataset.modified_at = timezone.now()
    dataset.save()
    _set_relations(dataset, groups=groups, tags=tags, spatial=spatial)
    changed = sorted(values) + [
        k for k, v in (("groups", groups), ("tags", tags), ("spatial", spatial)) if v is not None
    ]
    record(
        dataset, lifecycle=DATASET_LIFECYCLE, action="update", actor=actor, data={"fields": changed}
    )
    return dataset


@transaction.atomic
def resource_create(
    *,
    dataset: Dataset,
    actor: User | None,
    name: str,
    format: str,
    url: str = "",
    description: str = "",
) -> Resource:
    fmt = format.upper()
    if fmt not in ResourceFormat.values:
        raise DomainError(_("Format tidak didukung."), code="unknown_format")
    if fmt == ResourceFormat.LINK and not url:
        raise DomainError(_("Tautan wajib diisi untuk sumber berupa tautan."), code="url_required")
    if dataset.status in {DatasetStatus.SUBMITTED, DatasetStatus.APPROVED}:
        raise DomainError(
            _("Dataset sedang ditinjau walidata; tunggu hasilnya."), code="under_review", status=409
        )
    position = dataset.resources.count()
    resource = Resource.objects.create(
        dataset=dataset,
        name=name.strip()[:255] or fmt,
        format=fmt,
        url=url,
        description=description,
        position=position,
    )
    Dataset.objects.filter(pk=dataset.pk).update(modified_at=timezone.now())
    record(
        dataset,
        lifecycle=DATASET_LIFECYCLE,
        action="resource_add",
        actor=actor,
        data={"resource": str(resource.pk)},
    )
    return resource
