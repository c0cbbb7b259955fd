"""The catalogue actions: site and status, packages (list, show, search), organizations,
groups and tags."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _

from kotacerdas.opendata import selectors
from kotacerdas.opendata.ckan.common import (
    CKAN_VERSION,
    Ctx,
    dataset_by_ident,
    not_found,
    published_qs,
)
from kotacerdas.opendata.ckan.dicts import group_dict, organization_dict, package_dict, tag_dict
from kotacerdas.opendata.models import Group, Tag
from kotacerdas.tenants.models import Opd


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
    return package_dict(ctx, dataset_by_ident(ctx, ctx.require("id")), with_versions=True)


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
    datasets = published_qs(ctx).order_by("-modified_at", "id")[offset : offset + limit]
    return [package_dict(ctx, d) for d in datasets]


def _opd_counts(ctx: Ctx) -> dict[int, int]:
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
            package_dict(ctx, d) for d in published_qs(ctx).filter(opd=opd).order_by("name")[:1000]
        ]
    item["users"] = []
    return item


def _group_counts(ctx: Ctx) -> dict[Any, int]:
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
            for d in published_qs(ctx).filter(groups=group).order_by("name")[:1000]
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
