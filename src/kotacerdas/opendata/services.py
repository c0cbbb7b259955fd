"""Every write to the catalogue. Keyword-only, each in a transaction, each leaving an event in
the dataset's audit trail (``DatasetEvent``)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import tempfile
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import User
from kotacerdas.core.errors import DomainError, PermissionDenied
from kotacerdas.opendata import pii, tabular
from kotacerdas.opendata.config import (
    DATA_STANDARD_FIELDS,
    DEFAULT_GROUPS,
    FILE_FORMATS,
    FREQUENCIES,
    LICENSES,
    MAX_UPLOAD_BYTES,
    MS_KEG_FIELDS,
    TABULAR_FORMATS,
)
from kotacerdas.opendata.lifecycle import DATASET_LIFECYCLE, record, transition
from kotacerdas.opendata.models import (
    Dataset,
    DatasetEvent,
    DatasetStatus,
    DatastoreRow,
    DownloadCount,
    Group,
    Resource,
    ResourceFormat,
    ResourceVersion,
    Tag,
    uuid7,
)
from kotacerdas.opendata.platform import (  # re-exported for other apps' hooks
    Column as Column,  # noqa: PLC0414 (an explicit re-export, for mypy's no_implicit_reexport)
)
from kotacerdas.opendata.platform import (
    PlatformTable as PlatformTable,  # noqa: PLC0414
)
from kotacerdas.opendata.workflow import PRODUCER_ACTIONS
from kotacerdas.regions.models import Region
from kotacerdas.tenants.models import Opd, Tenant

ROW_BATCH = 2000


class PersonalDataFound(DomainError):
    """The file holds cells that look like personal data; it was not stored."""

    code = "personal_data"
    status = 422

    def __init__(self, message: str, *, cells: list[dict[str, Any]], total: int):
        super().__init__(message)
        self.cells = cells
        self.total = total


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


def _scan_json(content: bytes) -> tuple[list[pii.Finding], int]:
    try:
        document = json.loads(content)
    except (ValueError, UnicodeDecodeError):
        raise DomainError(
            _("Berkas bukan JSON yang sah."), code="invalid_json", status=422
        ) from None
    findings: list[pii.Finding] = []
    total = 0

    def walk(node: Any, path: str) -> None:
        nonlocal total
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, f"{path}.{key}" if path else str(key))
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{path}[{i}]")
        elif not isinstance(node, bool):
            kind = pii.scan_cell(node)
            if kind:
                total += 1
                if len(findings) < 200:
                    findings.append(pii.Finding(0, path, kind))

    walk(document, "")
    return findings, total


def _scan_pdf(path: Path) -> tuple[list[pii.Finding], int]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        findings: list[pii.Finding] = []
        for number, page in enumerate(reader.pages, start=1):
            text = page.extract_text() or ""
            for line in text.splitlines():
                kind = pii.scan_cell(line)
                if kind:
                    findings.append(pii.Finding(number, _("halaman"), kind))
    except PdfReadError:
        raise DomainError(_("Berkas bukan PDF yang sah."), code="invalid_pdf", status=422) from None
    return findings[:200], len(findings)


def _raise_findings(findings: list[pii.Finding], total: int) -> None:
    if not total:
        return
    first = findings[0]
    where = (
        _("baris %(row)s, kolom “%(column)s”") % {"row": first.row, "column": first.column}
        if first.row
        else _("“%(column)s”") % {"column": first.column}
    )
    raise PersonalDataFound(
        _(
            "Berkas memuat data pribadi dan tidak dapat diajukan: %(total)s sel, mis. %(kind)s "
            "pada %(where)s. Hapus atau samarkan sel-sel yang tercantum, lalu unggah lagi."
        )
        % {"total": total, "kind": pii.KIND_LABELS[first.kind], "where": where},
        cells=[f.as_dict() for f in findings],
        total=total,
    )


def _next_number(resource: Resource) -> int:
    last = resource.versions.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


def version_upload(
    *,
    resource: Resource,
    actor: User | None,
    content: bytes,
    filename: str,
    note: str = "",
) -> ResourceVersion:
    """Stores a new version of ``resource``'s file after scanning it for personal data.

    Tabular files get the Table Schema inferred from all rows and wait for the producer to
    confirm it (``version_confirm``); other files are ready at once. A file with personal
    data raises ``PersonalDataFound`` listing the cells, and nothing is stored.
    """
    fmt = resource.format
    if fmt not in FILE_FORMATS:
        raise DomainError(_("Sumber berupa tautan tidak menerima berkas."), code="not_a_file")
    if not content:
        raise DomainError(_("Berkas kosong."), code="empty_file", status=422)
    if len(content) > MAX_UPLOAD_BYTES:
        raise DomainError(_("Berkas terlalu besar (maks. 50 MB)."), code="too_large", status=413)
    if resource.dataset.status in {DatasetStatus.SUBMITTED, DatasetStatus.APPROVED}:
        raise DomainError(
            _("Dataset sedang ditinjau walidata; tunggu hasilnya."), code="under_review", status=409
        )
    suffix = {
        "CSV": ".csv",
        "XLSX": ".xlsx",
        "JSON": ".json",
        "GEOJSON": ".geojson",
        "PDF": ".pdf",
    }[fmt]
    schema: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(content)
        if fmt in TABULAR_FORMATS:
            schema = tabular.infer_schema(path, fmt)
            columns = [f["name"] for f in schema["fields"]]
            # Scanned as written (type "any"): a phone number inferred as an integer has lost
            # its leading zero and no longer looks like one.
            raw = {"fields": [{"name": c, "type": "any"} for c in columns]}
            findings, total = pii.scan_rows(columns, tabular.read_rows(path, fmt, raw))
            # Column names can hold personal data too (a transposed table).
            header = [pii.Finding(1, c, k) for c in columns if (k := pii.scan_cell(c))]
            findings, total = header + findings, total + len(header)
        elif fmt in {"JSON", "GEOJSON"}:
            findings, total = _scan_json(content)
        else:
            findings, total = _scan_pdf(path)
        _raise_findings(findings, total)
    with transaction.atomic():
        resource = Resource.objects.select_for_update(of=("self",), no_key=True).get(pk=resource.pk)
        version = ResourceVersion(
            resource=resource,
            number=_next_number(resource),
            filename=Path(filename).name[:255] or f"data{suffix}",
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            schema=schema,
            note=note,
            author=actor,
        )
        version.file.save(
            f"{resource.pk}-v{version.number}{suffix}", ContentFile(content), save=False
        )
        if fmt not in TABULAR_FORMATS:
            version.ready = True
        version.save()
        if version.ready:
            _ready(resource, version, actor)
    return version


def _row_key(data: Mapping[str, Any], key: list[str] | None) -> str:
    if key:
        return json.dumps([data.get(k) for k in key], sort_keys=True, default=str)
    return ""


def _diff(previous: ResourceVersion | None, version: ResourceVersion) -> dict[str, int]:
    """Rows added, removed and changed against the previous ready version: matched on the
    schema's primary key when it has one, by position otherwise."""
    if previous is None or not previous.schema:
        return {"added": version.row_count or 0, "removed": 0, "changed": 0}
    key = version.schema.get("primaryKey")
    old_rows = (
        DatastoreRow.objects.filter(version=previous)
        .order_by("row_number")
        .values_list("data", flat=True)
    )
    new_rows = (
        DatastoreRow.objects.filter(version=version)
        .order_by("row_number")
        .values_list("data", flat=True)
    )
    if key:
        old = {
            _row_key(r, key): json.dumps(r, sort_keys=True, default=str)
            for r in old_rows.iterator()
        }
        new = {
            _row_key(r, key): json.dumps(r, sort_keys=True, default=str)
            for r in new_rows.iterator()
        }
        added = len(new.keys() - old.keys())
        removed = len(old.keys() - new.keys())
        changed = sum(1 for k in new.keys() & old.keys() if new[k] != old[k])
        return {"added": added, "removed": removed, "changed": changed}
    old_list = [json.dumps(r, sort_keys=True, default=str) for r in old_rows.iterator()]
    new_list = [json.dumps(r, sort_keys=True, default=str) for r in new_rows.iterator()]
    # Without a key: rows that appear in both (as a multiset) are unchanged; of the rest, as
    # many as can be paired are "changed", the remainder added or removed.
    common = Counter(old_list) & Counter(new_list)
    only_new = len(new_list) - sum(common.values())
    only_old = len(old_list) - sum(common.values())
    changed = min(only_new, only_old)
    return {"added": only_new - changed, "removed": only_old - changed, "changed": changed}


def _make_current(resource: Resource, version: ResourceVersion, actor: User | None) -> None:
    previous = resource.current_version
    now = timezone.now()
    if resource.format in TABULAR_FORMATS:
        version.diff = _diff(previous if previous and previous.ready else None, version)
        version.save(update_fields=["diff"])
    Resource.objects.filter(pk=resource.pk).update(current_version=version, modified_at=now)
    resource.current_version = version
    Dataset.objects.filter(pk=resource.dataset_id).update(modified_at=now)
    record(
        resource.dataset,
        lifecycle=DATASET_LIFECYCLE,
        action="version",
        actor=actor,
        note=version.note,
        public=True,
        data={"resource": str(resource.pk), "version": version.number, "diff": version.diff},
    )


def version_confirm(
    *, version: ResourceVersion, actor: User | None, schema: Mapping[str, Any] | None = None
) -> ResourceVersion:
    """Confirms (or corrects) the inferred schema and its MS-Var dictionary, then loads every
    row into the datastore. A cell that does not fit raises ``tabular.TableError`` with its row
    and column, and nothing is loaded; the version stays waiting for a corrected schema."""
    if version.ready:
        raise DomainError(_("Versi ini sudah dimuat."), code="already_loaded", status=409)
    resource = version.resource
    clean = tabular.check_schema(
        dict(schema) if schema is not None else version.schema, version.schema
    )
    suffix = Path(version.file.name).suffix
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"data{suffix}"
        with version.file.open("rb") as fh:
            path.write_bytes(fh.read())
        with transaction.atomic():
            version = ResourceVersion.objects.select_for_update(of=("self",), no_key=True).get(
                pk=version.pk
            )
            if version.ready:
                raise DomainError(_("Versi ini sudah dimuat."), code="already_loaded", status=409)
            count = 0
            batch: list[DatastoreRow] = []
            seen_keys: set[str] = set()
            key = clean.get("primaryKey")
            for _row_number, data in tabular.read_rows(path, resource.format, clean):
                count += 1
                if key:
                    k = _row_key(data, key)
                    if k in seen_keys:
                        raise tabular.TableError(
                            _("Kunci utama kembar pada baris %(row)s.") % {"row": _row_number}
                        )
                    seen_keys.add(k)
                batch.append(DatastoreRow(version=version, row_number=count, data=data))
                if len(batch) >= ROW_BATCH:
                    DatastoreRow.objects.bulk_create(batch)
                    batch = []
            DatastoreRow.objects.bulk_create(batch)
            version.schema = clean
            version.schema_confirmed = True
            version.row_count = count
            version.ready = True
            version.save(update_fields=["schema", "schema_confirmed", "row_count", "ready"])
            resource = (
                Resource.objects.select_for_update(of=("self",), no_key=True)
                .select_related("current_version", "dataset__tenant")
                .get(pk=resource.pk)
            )
            _ready(resource, version, actor)
    return version


def _needs_review(resource: Resource, actor: User | None) -> bool:
    """A producer's new version of a published dataset waits for the walidata; the walidata's
    own versions and the platform's (``actor`` None) go live at once."""
    from kotacerdas.opendata.access import is_walidata

    dataset = resource.dataset
    return (
        dataset.status == DatasetStatus.PUBLISHED
        and actor is not None
        and not is_walidata(actor, dataset.tenant)
    )


def _ready(resource: Resource, version: ResourceVersion, actor: User | None) -> None:
    if _needs_review(resource, actor):
        record(
            resource.dataset,
            lifecycle=DATASET_LIFECYCLE,
            action="version_pending",
            actor=actor,
            note=version.note,
            data={"resource": str(resource.pk), "version": version.number},
        )
    else:
        _make_current(resource, version, actor)


def pending_versions(resource: Resource) -> list[ResourceVersion]:
    """Ready versions newer than the current one: waiting for the walidata."""
    current = resource.current_version.number if resource.current_version else 0
    return list(resource.versions.filter(ready=True, number__gt=current).order_by("number"))


def version_publish(*, version: ResourceVersion, actor: User | None) -> ResourceVersion:
    """The walidata releases a producer's new version of a published dataset: it becomes the
    resource's current version (with its diff against the one it replaces)."""
    from kotacerdas.opendata.access import is_walidata

    resource = version.resource
    if actor is not None and not is_walidata(actor, resource.dataset.tenant):
        raise PermissionDenied(_("Tindakan ini hanya untuk walidata."))
    with transaction.atomic():
        resource = (
            Resource.objects.select_for_update(of=("self",), no_key=True)
            .select_related("current_version", "dataset__tenant")
            .get(pk=resource.pk)
        )
        version = ResourceVersion.objects.get(pk=version.pk)
        current = resource.current_version.number if resource.current_version else 0
        if not version.ready or version.number <= current:
            raise DomainError(
                _("Versi ini tidak menunggu persetujuan."), code="not_pending", status=409
            )
        _make_current(resource, version, actor)
    return version


def _check_ready_for_submit(dataset: Dataset) -> None:
    resources = list(dataset.resources.select_related("current_version"))
    if not resources:
        raise DomainError(
            _("Tambahkan minimal satu sumber data sebelum mengajukan."),
            code="no_resources",
            status=422,
        )
    for resource in resources:
        if resource.format == ResourceFormat.LINK:
            continue
        version = resource.current_version
        if version is None or not version.ready:
            raise DomainError(
                _("Sumber “%(name)s” belum punya data yang dimuat (konfirmasi skemanya dulu).")
                % {"name": resource.name},
                code="resource_not_ready",
                status=422,
            )
        if resource.format in TABULAR_FORMATS:
            # The rows were scanned at upload; scan what is actually stored again, so that no
            # path around the upload check (an admin edit, a bug) can publish personal data.
            columns = [f["name"] for f in version.schema.get("fields", [])]
            rows = (
                (n + 1, d)
                for n, d in DatastoreRow.objects.filter(version=version)
                .order_by("row_number")
                .values_list("row_number", "data")
                .iterator()
            )
            findings, total = pii.scan_rows(columns, rows)
            _raise_findings(findings, total)


def dataset_transition(
    *, dataset: Dataset, action: str, actor: User | None, note: str = ""
) -> Dataset:
    """Moves the dataset through its workflow. The owning OPD's producer may only submit; the
    walidata takes the other actions. ``return`` and ``withdraw`` need a note (the reason)."""
    from kotacerdas.opendata.access import is_producer, is_walidata

    if actor is not None:
        allowed = is_walidata(actor, dataset.tenant) or (
            action in PRODUCER_ACTIONS and is_producer(actor, dataset)
        )
        if not allowed:
            raise PermissionDenied(_("Tindakan ini hanya untuk walidata."))
    if action in {"return", "withdraw"} and not note.strip():
        raise DomainError(_("Tuliskan alasannya."), code="note_required", status=422)
    with transaction.atomic():
        if action == "submit":
            _check_ready_for_submit(dataset)
        changes: dict[str, Any] = {"modified_at": timezone.now()}
        if action == "publish":
            changes["published_at"] = timezone.now()
        dataset = transition(
            dataset,
            action,
            lifecycle=DATASET_LIFECYCLE,
            actor=actor,
            note=note,
            public=action in {"publish", "withdraw"},
            changes=changes,
        )
        # Only an approved dataset is published for the first time (a withdrawn one was before).
        if dataset._last_event.from_state == DatasetStatus.APPROVED:  # type: ignore[attr-defined]
            _mint_public_id(dataset)
        return dataset


def _mint_public_id(dataset: Dataset) -> None:
    """Gives a dataset published for the first time a fresh time-ordered id.

    Harvesters page ``package_search`` with ``sort=id asc`` and a growing ``start``. A draft
    kept its id from the day it was created, so publishing it put it before a harvester's
    ``start``: the dataset at the page boundary was read twice and the draft skipped. A
    draft's id was never public (the API and portal show published datasets only), so it
    can change now, and from here on it never does. Call inside the transaction of the
    publication, with the dataset's row locked; the foreign keys are checked at commit."""
    old, new = dataset.pk, uuid7()
    Dataset.objects.filter(pk=old).update(id=new)
    Resource.objects.filter(dataset_id=old).update(dataset_id=new)
    DatasetEvent.objects.filter(subject_id=old).update(subject_id=new)
    DownloadCount.objects.filter(dataset_id=old).update(dataset_id=new)
    for through in (Dataset.groups.through, Dataset.tags.through, Dataset.spatial_regions.through):
        through.objects.filter(dataset_id=old).update(dataset_id=new)
    dataset.pk = new


def download_count(*, dataset: Dataset) -> None:
    """Counts one download in this month's row (no visitor data is kept)."""
    month = timezone.localdate().replace(day=1)
    updated = DownloadCount.objects.filter(dataset=dataset, month=month).update(
        count=F("count") + 1
    )
    if not updated:
        _obj, created = DownloadCount.objects.get_or_create(
            dataset=dataset, month=month, defaults={"tenant_id": dataset.tenant_id, "count": 1}
        )
        if not created:
            DownloadCount.objects.filter(pk=_obj.pk).update(count=F("count") + 1)


def _table_csv(table: PlatformTable) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.name for c in table.columns])
    for row in table.rows:
        writer.writerow(
            [
                "" if v is None else ("true" if v is True else "false" if v is False else v)
                for v in row
            ]
        )
    return out.getvalue().encode()


def _table_schema(table: PlatformTable) -> dict[str, Any]:
    fields = []
    for column in table.columns:
        field: dict[str, Any] = {"name": column.name, "type": column.type}
        if column.title:
            field["title"] = str(column.title)
        if column.description:
            field["description"] = str(column.description)
        if column.satuan:
            field["satuan"] = column.satuan
        fields.append(field)
    schema: dict[str, Any] = {"fields": fields}
    if table.primary_key:
        schema["primaryKey"] = table.primary_key
    return schema


def platform_dataset_publish(*, tenant: Tenant, table: PlatformTable) -> tuple[Dataset, bool]:
    """Publishes (or refreshes) one automatic dataset; returns it and whether a new version
    was made. Idempotent: the same table twice adds nothing. The platform is the actor
    (``None``) and the dataset passes the same scanner and workflow as any other."""
    content = _table_csv(table)
    opd = Opd.objects.filter(tenant=tenant, acronym=table.opd_acronym).first() or (
        Opd.objects.filter(tenant=tenant).order_by("pk").first()
    )
    if opd is None:
        raise DomainError(_("Pemerintah daerah ini belum punya OPD."), code="no_opd")
    with transaction.atomic():
        dataset = Dataset.objects.filter(tenant=tenant, platform_key=table.key).first()
        if dataset is None:
            dataset = dataset_create(
                tenant=tenant,
                opd=opd,
                actor=None,
                title=str(table.title),
                name=table.key,
                notes=str(table.notes),
                groups=table.groups,
                tags=table.tags,
                frequency=table.frequency,
                spatial=[tenant.region_id],
                platform_key=table.key,
            )
        resource = dataset.resources.select_related("current_version").first()
        if resource is None:
            resource = resource_create(
                dataset=dataset, actor=None, name=str(table.title), format="CSV"
            )
        current = resource.current_version
        if (
            current is not None
            and current.ready
            and current.sha256 == hashlib.sha256(content).hexdigest()
        ):
            return dataset, False
        version = version_upload(
            resource=resource,
            actor=None,
            content=content,
            filename=f"{table.key}.csv",
            note=_("Pembaruan otomatis dari data platform"),
        )
        version_confirm(version=version, actor=None, schema=_table_schema(table))
        dataset.refresh_from_db()
        if dataset.status in {DatasetStatus.DRAFT, DatasetStatus.RETURNED}:
            dataset = dataset_transition(dataset=dataset, action="submit", actor=None)
        if dataset.status == DatasetStatus.SUBMITTED:
            dataset = dataset_transition(dataset=dataset, action="approve", actor=None)
        if dataset.status == DatasetStatus.APPROVED:
            dataset = dataset_transition(dataset=dataset, action="publish", actor=None)
    return dataset, True
