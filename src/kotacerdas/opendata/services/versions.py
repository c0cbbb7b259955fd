"""A resource's data: uploading a version (scanned for personal data), confirming its schema
and loading its rows into the datastore, the diff against the previous version, and the
walidata's release of a producer's update."""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import User
from kotacerdas.core.errors import DomainError, PermissionDenied
from kotacerdas.opendata import pii, tabular
from kotacerdas.opendata.config import FILE_FORMATS, MAX_UPLOAD_BYTES, TABULAR_FORMATS
from kotacerdas.opendata.lifecycle import DATASET_LIFECYCLE, record
from kotacerdas.opendata.models import (
    Dataset,
    DatasetStatus,
    DatastoreRow,
    Resource,
    ResourceVersion,
)
from kotacerdas.opendata.services.personal_data import raise_findings, scan_json, scan_pdf

ROW_BATCH = 2000


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
            findings, total = scan_json(content)
        else:
            findings, total = scan_pdf(path)
        raise_findings(findings, total)
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
