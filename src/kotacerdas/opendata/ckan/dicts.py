"""CKAN's dictionaries of an organization (OPD), group, tag, resource and package, with
CKAN 2.10's field names; a withdrawn dataset shows only that it is gone."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.urls import reverse

from kotacerdas.opendata import selectors
from kotacerdas.opendata.ckan.common import Ctx
from kotacerdas.opendata.config import LICENSES
from kotacerdas.opendata.models import Dataset, DatasetStatus, Group, Resource, ResourceFormat, Tag
from kotacerdas.tenants.models import Opd

MIME = {
    "CSV": "text/csv",
    "XLSX": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "JSON": "application/json",
    "GEOJSON": "application/geo+json",
    "PDF": "application/pdf",
}


def iso(value: Any) -> str | None:
    # CKAN writes naive UTC timestamps with microseconds.
    return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat() if value else None


def organization_dict(ctx: Ctx, opd: Opd, *, package_count: int | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": selectors.opd_uuid(opd.pk),
        "name": selectors.opd_name(opd),
        "title": opd.name,
        "display_name": opd.name,
        "description": opd.name,
        "image_url": "",
        "image_display_url": "",
        "created": iso(ctx.tenant.created_at),
        "is_organization": True,
        "approval_status": "approved",
        "state": "active",
        "type": "organization",
    }
    if package_count is not None:
        item["package_count"] = package_count
    return item


def group_dict(group: Group, *, package_count: int | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": str(group.pk),
        "name": group.name,
        "title": group.title,
        "display_name": group.title,
        "description": group.description,
        "image_url": "",
        "image_display_url": "",
        "created": iso(group.created_at),
        "is_organization": False,
        "approval_status": "approved",
        "state": "active",
        "type": "group",
    }
    if package_count is not None:
        item["package_count"] = package_count
    return item


def tag_dict(tag: Tag) -> dict[str, Any]:
    return {
        "id": str(tag.pk),
        "name": tag.name,
        "display_name": tag.name,
        "state": "active",
        "vocabulary_id": None,
    }


def resource_dict(ctx: Ctx, resource: Resource, dataset: Dataset) -> dict[str, Any]:
    version = (
        resource.current_version
        if resource.current_version and resource.current_version.ready
        else None
    )
    slug = ctx.tenant.slug
    if resource.format == ResourceFormat.LINK:
        url, url_type = resource.url, None
    elif version is not None:
        url = ctx.url(
            reverse(
                "opendata:version_download",
                kwargs={"tenant_slug": slug, "resource_id": resource.pk, "number": version.number},
            )
        )
        url_type = "upload"
    else:
        url, url_type = "", "upload"
    item: dict[str, Any] = {
        "id": str(resource.pk),
        "package_id": str(dataset.pk),
        "name": resource.name,
        "description": resource.description,
        "format": "GeoJSON" if resource.format == "GEOJSON" else resource.format,
        "url": url,
        "url_type": url_type,
        "mimetype": MIME.get(resource.format),
        "size": version.size if version else None,
        "hash": f"sha256:{version.sha256}" if version else "",
        "created": iso(resource.created_at),
        "last_modified": iso(version.created_at) if version else None,
        "metadata_modified": iso(resource.modified_at),
        "position": resource.position,
        "state": "active",
        "datastore_active": resource.datastore_active,
        "version": version.number if version else None,
    }
    if version is not None and version.schema:
        # The data dictionary (Table Schema with MS-Var on each field) travels with the data.
        item["schema"] = version.schema
        item["row_count"] = version.row_count
        item["diff"] = version.diff
    return item


def withdrawn_dict(ctx: Ctx, dataset: Dataset) -> dict[str, Any]:
    """What a harvester learns of a withdrawn dataset (``include_deleted``): that it is gone,
    and when. Its description and files are not republished: a dataset may be withdrawn
    because it should never have been published."""
    return {
        "id": str(dataset.pk),
        "name": dataset.name,
        "title": dataset.title,
        "type": "dataset",
        "state": "deleted",
        "private": False,
        "metadata_created": iso(dataset.created_at),
        "metadata_modified": iso(dataset.modified_at),
        "owner_org": selectors.opd_uuid(dataset.opd_id),
        "organization": organization_dict(ctx, dataset.opd),
        "resources": [],
        "num_resources": 0,
        "tags": [],
        "num_tags": 0,
        "groups": [],
        "extras": [],
    }


def package_dict(ctx: Ctx, dataset: Dataset, *, with_versions: bool = False) -> dict[str, Any]:
    if dataset.status == DatasetStatus.WITHDRAWN:
        return withdrawn_dict(ctx, dataset)
    lic = LICENSES.get(dataset.license_id)
    resources = list(dataset.resources.all())
    tags = [tag_dict(t) for t in dataset.tags.all()]
    extras = [
        {"key": "frequency", "value": dataset.frequency},
        {
            "key": "temporal_start",
            "value": dataset.temporal_start.isoformat() if dataset.temporal_start else "",
        },
        {
            "key": "temporal_end",
            "value": dataset.temporal_end.isoformat() if dataset.temporal_end else "",
        },
        {
            "key": "spatial_region_codes",
            "value": ",".join(r.code for r in dataset.spatial_regions.all()),
        },
        {"key": "data_standard", "value": json.dumps(dataset.data_standard, ensure_ascii=False)},
        {"key": "ms_keg", "value": json.dumps(dataset.ms_keg, ensure_ascii=False)},
    ]
    item: dict[str, Any] = {
        "id": str(dataset.pk),
        "name": dataset.name,
        "title": dataset.title,
        "notes": dataset.notes,
        "type": "dataset",
        "state": "active",
        "private": False,
        "author": dataset.opd.name,
        "author_email": None,
        "maintainer": dataset.contact_name,
        "maintainer_email": dataset.contact_email or None,
        "license_id": dataset.license_id,
        "license_title": lic.title if lic else dataset.license_id,
        "license_url": lic.url if lic else "",
        "isopen": bool(lic),
        "url": ctx.url(
            reverse(
                "opendata:dataset", kwargs={"tenant_slug": ctx.tenant.slug, "name": dataset.name}
            )
        ),
        "version": None,
        "metadata_created": iso(dataset.created_at),
        "metadata_modified": iso(dataset.modified_at),
        "owner_org": selectors.opd_uuid(dataset.opd_id),
        "organization": organization_dict(ctx, dataset.opd),
        "groups": [group_dict(g) for g in dataset.groups.all()],
        "tags": tags,
        "num_tags": len(tags),
        "resources": [resource_dict(ctx, r, dataset) for r in resources],
        "num_resources": len(resources),
        "extras": extras,
        "relationships_as_object": [],
        "relationships_as_subject": [],
        "frequency": dataset.frequency,
        "data_standard": dataset.data_standard,
        "ms_keg": dataset.ms_keg,
    }
    if with_versions:
        for r_item, resource in zip(item["resources"], resources, strict=True):
            r_item["versions"] = [
                {
                    "version": v.number,
                    "created": iso(v.created_at),
                    "note": v.note,
                    "diff": v.diff,
                    "row_count": v.row_count,
                    "url": ctx.url(
                        reverse(
                            "opendata:version_download",
                            kwargs={
                                "tenant_slug": ctx.tenant.slug,
                                "resource_id": resource.pk,
                                "number": v.number,
                            },
                        )
                    ),
                }
                for v in resource.versions.filter(
                    ready=True,
                    number__lte=resource.current_version.number if resource.current_version else 0,
                ).order_by("number")
            ]
    return item
