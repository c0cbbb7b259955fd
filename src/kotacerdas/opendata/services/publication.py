"""The dataset's workflow (submit, approve, return, publish, withdraw), its public id, and
the portal's download counter."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import User
from kotacerdas.core.errors import DomainError, PermissionDenied
from kotacerdas.opendata import pii
from kotacerdas.opendata.config import TABULAR_FORMATS
from kotacerdas.opendata.lifecycle import DATASET_LIFECYCLE, transition
from kotacerdas.opendata.models import (
    Dataset,
    DatasetEvent,
    DatasetStatus,
    DatastoreRow,
    DownloadCount,
    Resource,
    ResourceFormat,
    uuid7,
)
from kotacerdas.opendata.services.personal_data import raise_findings
from kotacerdas.opendata.workflow import PRODUCER_ACTIONS


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
            raise_findings(findings, total)


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
