"""The resource and datastore actions: ``resource_show`` and ``datastore_search``."""

from __future__ import annotations

import json
import uuid
from typing import Any

from kotacerdas.core.errors import DomainError
from kotacerdas.opendata import selectors
from kotacerdas.opendata.ckan.common import Ctx, not_found, validation
from kotacerdas.opendata.ckan.dicts import resource_dict
from kotacerdas.opendata.models import Resource


def _resource(ctx: Ctx, ident: Any) -> Resource:
    try:
        return Resource.objects.select_related("dataset__opd", "current_version").get(
            pk=uuid.UUID(str(ident)), dataset__tenant=ctx.tenant, dataset__status="published"
        )
    except (ValueError, Resource.DoesNotExist):
        raise not_found("Resource was not found.") from None


def resource_show(ctx: Ctx) -> Any:
    """One resource of a published dataset by ``id``, with its data dictionary."""
    resource = _resource(ctx, ctx.require("id"))
    return resource_dict(ctx, resource, resource.dataset)


def datastore_search(ctx: Ctx) -> Any:
    """Rows of a tabular resource: ``resource_id``, ``q``, ``filters``, ``limit`` ≤ 32000, ``offset``, ``fields``, ``sort``, ``include_total``."""
    resource = _resource(ctx, ctx.require("resource_id"))
    if not resource.datastore_active:
        raise not_found(f'Resource "{resource.pk}" was not found.')
    filters = ctx.get("filters") or {}
    if isinstance(filters, str):
        try:
            filters = json.loads(filters)
        except ValueError:
            raise validation("filters", "Cannot parse JSON") from None
    if not isinstance(filters, dict):
        raise validation("filters", "Not a json object")
    fields_param = ctx.get("fields")
    if isinstance(fields_param, str):
        fields = [f.strip() for f in fields_param.split(",") if f.strip()]
    elif isinstance(fields_param, list):
        fields = [str(f) for f in fields_param]
    else:
        fields = []
    limit = ctx.int("limit", 100, high=32000)
    offset = ctx.int("offset", 0)
    include_total = ctx.bool("include_total", True)
    try:
        page = selectors.datastore_query(
            resource,
            q=str(ctx.get("q", "") or ""),
            filters=filters,
            fields=fields,
            sort=str(ctx.get("sort", "") or ""),
            limit=limit,
            offset=offset,
            include_total=include_total,
        )
    except DomainError as exc:
        raise validation(exc.code, exc.message) from None
    base = f"/{ctx.tenant.slug}/api/3/action/datastore_search?resource_id={resource.pk}"
    result: dict[str, Any] = {
        "resource_id": str(resource.pk),
        "fields": page.fields,
        "records": page.records,
        "limit": limit,
        "offset": offset,
        "include_total": include_total,
        "records_format": "objects",
        "_links": {"start": base, "next": f"{base}&offset={offset + limit}"},
    }
    if filters:
        result["filters"] = filters
    if ctx.get("q"):
        result["q"] = ctx.get("q")
    if page.total is not None:
        result["total"] = page.total
        result["total_was_estimated"] = False
    return result
