"""The platform's own statistics as datasets: a ``PlatformTable`` from another app becomes a
normal dataset with versions, through the same scanner and workflow as any other."""

from __future__ import annotations

import csv
import hashlib
import io
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kotacerdas.core.errors import DomainError
from kotacerdas.opendata.models import Dataset, DatasetStatus
from kotacerdas.opendata.platform import PlatformTable
from kotacerdas.opendata.services.catalogue import dataset_create, resource_create
from kotacerdas.opendata.services.publication import dataset_transition
from kotacerdas.opendata.services.versions import version_confirm, version_upload
from kotacerdas.tenants.models import Opd, Tenant


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
