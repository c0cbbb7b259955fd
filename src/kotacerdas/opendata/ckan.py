"""The CKAN Action API v3, read actions, per tenant: ``/<slug>/api/3/action/<name>`` and
``/<slug>/api/action/<name>`` (the path ``ckanapi`` calls), GET with query parameters or POST
with a JSON body. Envelope, field names and error shapes are CKAN 2.10's, so CKAN clients and
harvesters work unchanged. Only published datasets are visible; the API takes no credentials.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from kotacerdas.core.errors import DomainError
from kotacerdas.opendata import selectors
from kotacerdas.opendata.config import LICENSES
from kotacerdas.opendata.models import (
    Dataset,
    DatasetStatus,
    Group,
    Resource,
    ResourceFormat,
    Tag,
)
from kotacerdas.tenants.access import tenant_from_slug
from kotacerdas.tenants.models import Opd, Tenant

CKAN_VERSION = "2.10.4"
MIME = {
    "CSV": "text/csv",
    "XLSX": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "JSON": "application/json",
    "GEOJSON": "application/geo+json",
    "PDF": "application/pdf",
}


class ActionError(Exception):
    def __init__(self, status: int, error: dict[str, Any]):
        super().__init__(error.get("message", ""))
        self.status = status
        self.error = error


def not_found(message: str = "Not found") -> ActionError:
    return ActionError(404, {"__type": "Not Found Error", "message": message})


def validation(field: str, message: str) -> ActionError:
    return ActionError(409, {"__type": "Validation Error", field: [message]})


class Ctx:
    """One call: the tenant, the request (for absolute URLs) and the parameters."""

    def __init__(self, request: HttpRequest, tenant: Tenant, params: dict[str, Any]):
        self.request = request
        self.tenant = tenant
        self.params = params

    def url(self, path: str) -> str:
        return self.request.build_absolute_uri(path)

    def get(self, name: str, default: Any = None) -> Any:
        return self.params.get(name, default)

    def require(self, name: str) -> Any:
        value = self.params.get(name)
        if value in (None, ""):
            raise validation(name, "Missing value")
        return value

    def int(self, name: str, default: int, *, low: int = 0, high: int | None = None) -> int:
        raw = self.params.get(name)
        if raw in (None, ""):
            return default
        try:
            value = int(str(raw))
        except (TypeError, ValueError):
            raise validation(name, "Invalid integer") from None
        if value < low:
            raise validation(name, f"Must be a natural number ({low} or more)")
        return min(value, high) if high is not None else value

    def bool(self, name: str, default: bool = False) -> bool:
        raw = self.params.get(name)
        if raw is None:
            return default
        if isinstance(raw, bool):
            return raw
        return str(raw).lower() in {"true", "1", "yes", "on"}

    def json_list(self, name: str) -> list[Any]:
        raw = self.params.get(name)
        if raw in (None, ""):
            return []
        if isinstance(raw, list):
            return raw
        if isinstance(raw, str):
            try:
                value = json.loads(raw)
            except ValueError:
                return [part.strip() for part in raw.split(",") if part.strip()]
            if isinstance(value, list):
                return value
            return [value]
        raise validation(name, "Must be a list")


# ---- dictionaries --------------------------------------------------------------------------


def _iso(value: Any) -> str | None:
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
        "created": _iso(ctx.tenant.created_at),
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
        "created": _iso(group.created_at),
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
        "created": _iso(resource.created_at),
        "last_modified": _iso(version.created_at) if version else None,
        "metadata_modified": _iso(resource.modified_at),
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
        "metadata_created": _iso(dataset.created_at),
        "metadata_modified": _iso(dataset.modified_at),
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
        "metadata_created": _iso(dataset.created_at),
        "metadata_modified": _iso(dataset.modified_at),
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
                    "created": _iso(v.created_at),
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


def _published_qs(ctx: Ctx) -> QuerySet[Dataset]:
    return (
        selectors.published(ctx.tenant)
        .select_related("opd")
        .prefetch_related("tags", "groups", "spatial_regions", "resources__current_version")
    )


def _dataset(ctx: Ctx, ident: str) -> Dataset:
    qs = _published_qs(ctx)
    try:
        return qs.get(pk=uuid.UUID(str(ident)))
    except (ValueError, Dataset.DoesNotExist):
        pass
    try:
        return qs.get(name=str(ident))
    except Dataset.DoesNotExist:
        raise not_found() from None


# ---- actions -------------------------------------------------------------------------------


def site_read(ctx: Ctx) -> Any:
    """Always true: the site can be read."""
    return True


def status_show(ctx: Ctx) -> Any:
    """The portal's title, URL, CKAN version it emulates and extensions (datastore, dcat)."""
    return {
        "site_title": f"Satu Data {ctx.tenant.name}",
        "site_description": _("Portal data terbuka %(name)s") % {"name": ctx.tenant.name},
        "site_url": ctx.url(f"/{ctx.tenant.slug}/"),
        "ckan_version": CKAN_VERSION,
        "error_emails_to": None,
        "locale_default": "id",
        "extensions": ["datastore", "dcat"],
    }


def package_list(ctx: Ctx) -> Any:
    """Names of the published datasets (``limit`` ≤ 1000, ``offset``)."""
    limit = ctx.int("limit", 1000, high=1000)
    offset = ctx.int("offset", 0)
    names = selectors.published(ctx.tenant).order_by("name").values_list("name", flat=True)
    return list(names[offset : offset + limit])


def package_show(ctx: Ctx) -> Any:
    """One published dataset by ``id`` or name, with resources, data dictionaries and versions."""
    return package_dict(ctx, _dataset(ctx, ctx.require("id")), with_versions=True)


def package_search(ctx: Ctx) -> Any:
    """Search published datasets: ``q``, ``fq`` (Solr-style terms and metadata_modified/created ranges), ``rows`` ≤ 1000, ``start``, ``sort``, ``facet.field``, ``facet.limit``, ``include_deleted`` (withdrawn datasets too, in the "deleted" state). Paging with ``sort=id asc`` is stable while datasets are added or withdrawn."""
    rows = ctx.int("rows", 10, high=1000)
    start = ctx.int("start", 0)
    facet_fields = [str(f) for f in ctx.json_list("facet.field")]
    result = selectors.search(
        ctx.tenant,
        q=str(ctx.get("q", "") or ""),
        fq=str(ctx.get("fq", "") or ""),
        sort=str(ctx.get("sort", "") or ""),
        rows=rows,
        start=start,
        facet_fields=facet_fields,
        facet_limit=ctx.int("facet.limit", 50, high=1000),
        include_withdrawn=ctx.bool("include_deleted"),
    )
    search_facets = {
        name: {
            "title": name,
            "items": [
                {
                    "name": value,
                    "display_name": result.facet_titles[name].get(value, value),
                    "count": count,
                }
                for value, count in counts.items()
            ],
        }
        for name, counts in result.facets.items()
    }
    return {
        "count": result.count,
        "sort": ctx.get("sort") or "score desc, metadata_modified desc",
        "facets": result.facets,
        "search_facets": search_facets,
        "results": [package_dict(ctx, d) for d in result.datasets],
    }


def current_package_list_with_resources(ctx: Ctx) -> Any:
    """Published datasets with resources, most recently changed first (``limit``, ``offset``)."""
    limit = ctx.int("limit", 10, high=1000)
    offset = ctx.int("offset", 0)
    datasets = _published_qs(ctx).order_by("-modified_at", "id")[offset : offset + limit]
    return [package_dict(ctx, d) for d in datasets]


def _opd_counts(ctx: Ctx) -> dict[int, int]:
    from django.db.models import Count

    rows = selectors.published(ctx.tenant).values("opd_id").annotate(n=Count("pk"))
    return {r["opd_id"]: r["n"] for r in rows}


def organization_list(ctx: Ctx) -> Any:
    """The OPDs (CKAN organizations); ``all_fields`` for dictionaries with package counts."""
    counts = _opd_counts(ctx)
    opds = sorted(Opd.objects.filter(tenant=ctx.tenant, is_active=True), key=selectors.opd_name)
    limit = ctx.int("limit", 1000, high=1000)
    offset = ctx.int("offset", 0)
    opds = opds[offset : offset + limit]
    if ctx.bool("all_fields"):
        return [organization_dict(ctx, o, package_count=counts.get(o.pk, 0)) for o in opds]
    return [selectors.opd_name(o) for o in opds]


def organization_show(ctx: Ctx) -> Any:
    """One OPD by ``id`` or name; ``include_datasets`` for its published datasets."""
    opd = selectors.opd_by_name_or_id(ctx.tenant, str(ctx.require("id")))
    if opd is None:
        raise not_found()
    item = organization_dict(ctx, opd, package_count=_opd_counts(ctx).get(opd.pk, 0))
    if ctx.bool("include_datasets"):
        item["packages"] = [
            package_dict(ctx, d) for d in _published_qs(ctx).filter(opd=opd).order_by("name")[:1000]
        ]
    item["users"] = []
    return item


def _group_counts(ctx: Ctx) -> dict[Any, int]:
    from django.db.models import Count

    rows = (
        Group.objects.filter(tenant=ctx.tenant, datasets__in=selectors.published(ctx.tenant))
        .values("pk")
        .annotate(n=Count("datasets"))
    )
    return {r["pk"]: r["n"] for r in rows}


def group_list(ctx: Ctx) -> Any:
    """The groups (topics); ``all_fields`` for dictionaries with package counts."""
    groups = list(Group.objects.filter(tenant=ctx.tenant).order_by("name"))
    if ctx.bool("all_fields"):
        counts = _group_counts(ctx)
        return [group_dict(g, package_count=counts.get(g.pk, 0)) for g in groups]
    return [g.name for g in groups]


def group_show(ctx: Ctx) -> Any:
    """One group by ``id`` or name; ``include_datasets`` for its published datasets."""
    ident = str(ctx.require("id"))
    group = Group.objects.filter(tenant=ctx.tenant, name=ident).first()
    if group is None:
        try:
            group = Group.objects.filter(tenant=ctx.tenant, pk=uuid.UUID(ident)).first()
        except ValueError:
            group = None
    if group is None:
        raise not_found()
    item = group_dict(group, package_count=_group_counts(ctx).get(group.pk, 0))
    if ctx.bool("include_datasets"):
        item["packages"] = [
            package_dict(ctx, d)
            for d in _published_qs(ctx).filter(groups=group).order_by("name")[:1000]
        ]
    return item


def tag_list(ctx: Ctx) -> Any:
    """Tags of published datasets (``query`` filters by substring; ``all_fields``)."""
    tags = (
        Tag.objects.filter(tenant=ctx.tenant, datasets__in=selectors.published(ctx.tenant))
        .distinct()
        .order_by("name")
    )
    query = ctx.get("query")
    if query:
        tags = tags.filter(name__icontains=str(query))
    if ctx.bool("all_fields"):
        return [tag_dict(t) for t in tags[:1000]]
    return list(tags.values_list("name", flat=True)[:1000])


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


def help_show(ctx: Ctx) -> Any:
    """The documentation of an action (``name``), as CKAN's ``help`` links expect."""
    name = str(ctx.require("name"))
    fn = ACTIONS.get(name)
    if fn is None:
        raise not_found(f"Action {name} not found")
    return (fn.__doc__ or f"{name}: see docs/opendata.md").strip()


ACTIONS: dict[str, Callable[[Ctx], Any]] = {
    fn.__name__: fn
    for fn in [
        site_read,
        status_show,
        package_list,
        package_show,
        package_search,
        current_package_list_with_resources,
        organization_list,
        organization_show,
        group_list,
        group_show,
        tag_list,
        resource_show,
        datastore_search,
        help_show,
    ]
}


def _params(request: HttpRequest) -> dict[str, Any]:
    params: dict[str, Any] = dict(request.GET.items())
    if request.method == "POST" and request.body:
        if request.content_type == "application/json" or request.body[:1] in (b"{", b"["):
            body = json.loads(request.body)
            if not isinstance(body, dict):
                raise ActionError(
                    400,
                    {
                        "__type": "Bad request",
                        "message": "Bad request - JSON Error: Request data JSON decoded to '...' but it needs to be a dictionary.",
                    },
                )
            params.update(body)
        else:
            params.update(dict(request.POST.items()))
    return params


@csrf_exempt
def action_view(request: HttpRequest, tenant_slug: str, action: str) -> JsonResponse:
    tenant = tenant_from_slug(tenant_slug)
    help_url = request.build_absolute_uri(f"/{tenant.slug}/api/3/action/help_show?name={action}")
    status = 200
    body: dict[str, Any]
    try:
        if request.method not in {"GET", "POST"}:
            raise ActionError(405, {"__type": "Bad request", "message": "Method not allowed"})
        fn = ACTIONS.get(action)
        if fn is None:
            raise ActionError(
                400,
                {
                    "__type": "Bad request",
                    "message": f"Bad request - Action name not known: {action}",
                },
            )
        try:
            params = _params(request)
        except (ValueError, UnicodeDecodeError):
            raise ActionError(
                400,
                {
                    "__type": "Bad request",
                    "message": "Bad request - JSON Error: Could not read request body as JSON",
                },
            ) from None
        ctx = Ctx(request, tenant, params)
        body = {"help": help_url, "success": True, "result": fn(ctx)}
    except selectors.SearchQueryError as exc:
        status, body = (
            409,
            {
                "help": help_url,
                "success": False,
                "error": {
                    "__type": "Search Query Error",
                    "message": f"Search Query is invalid: {exc.message}",
                },
            },
        )
    except ActionError as exc:
        status, body = exc.status, {"help": help_url, "success": False, "error": exc.error}
    except DomainError as exc:
        status, body = (
            409,
            {
                "help": help_url,
                "success": False,
                "error": {"__type": "Validation Error", exc.code: [exc.message]},
            },
        )
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


__all__ = ["ACTIONS", "action_view", "package_dict"]
