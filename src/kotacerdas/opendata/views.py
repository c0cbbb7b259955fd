"""Pages of the Satu Data portal: public search, dataset pages, downloads, statistics, and the
producers' and walidata's work pages."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from kotacerdas.accounts.models import Role, User
from kotacerdas.core.errors import DomainError
from kotacerdas.core.middleware import error_response
from kotacerdas.opendata import selectors, services
from kotacerdas.opendata.access import (
    access_dataset,
    access_dataset_by_name,
    access_resource,
    access_version,
    can_write,
    is_producer,
    is_walidata,
)
from kotacerdas.opendata.ckan import MIME
from kotacerdas.opendata.config import LICENSES, MS_VAR_FIELDS, TABULAR_FORMATS
from kotacerdas.opendata.forms import (
    TYPE_CHOICES,
    DatasetForm,
    MetadataForm,
    ResourceForm,
    UploadForm,
    schema_from_post,
)
from kotacerdas.opendata.models import Dataset, DatasetStatus, Resource, ResourceVersion
from kotacerdas.opendata.pii import KIND_LABELS
from kotacerdas.opendata.workflow import DATASET_WORKFLOW, PRODUCER_ACTIONS
from kotacerdas.tenants import list_filters
from kotacerdas.tenants.access import staff_page, tenant_page
from kotacerdas.tenants.models import Tenant

PAGE_SIZE = 20
FILTERS = {
    "organization": "organization",
    "groups": "groups",
    "tags": "tags",
    "res_format": "res_format",
    "year": "year",
}
FACET_LABELS = {
    "organization": gettext_lazy("OPD"),
    "groups": gettext_lazy("Kelompok"),
    "tags": gettext_lazy("Tag"),
    "res_format": gettext_lazy("Format"),
    "year": gettext_lazy("Tahun"),
}


# The date ``dari``/``sampai`` apply to in the portal: the last update (the default) or the
# first publication (``tanggal=terbit``: the datasets published by a period's end).
PORTAL_DATES = {"diperbarui": "modified_at", "terbit": "published_at"}


def _period(tenant: Tenant, request: HttpRequest) -> list_filters.ListFilter:
    """``dari``/``sampai`` as the command centre passes them; ``DomainError`` (400) on a bad
    one or on a kecamatan (open data has none)."""
    drill = list_filters.parse(tenant, request.GET)
    if drill.kecamatan:
        raise DomainError(_("Data terbuka tidak dipilah per kecamatan."), code="unsupported_filter")
    return drill


@require_GET
@tenant_page
def portal(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    by = request.GET.get("tanggal") or "diperbarui"
    try:
        drill = _period(tenant, request)
        if by not in PORTAL_DATES:
            raise DomainError(
                _("Tanggal harus “diperbarui” atau “terbit”."), code="invalid_date_field"
            )
    except DomainError as error:
        return error_response(request, status=400, code=error.code, message=error.message)
    period = {
        name: request.GET[name] for name in ("dari", "sampai", "tanggal") if request.GET.get(name)
    }
    q = request.GET.get("q", "").strip()[:200]
    chosen = {
        name: request.GET.get(name, "").strip()[:100] for name in FILTERS if request.GET.get(name)
    }
    fq = " ".join(
        f'{FILTERS[name]}:"{value.replace(chr(34), "")}"' for name, value in chosen.items()
    )
    try:
        page = max(1, int(request.GET.get("halaman", "1")))
    except ValueError:
        page = 1
    result = selectors.search(
        tenant,
        q=q,
        fq=fq,
        sort="metadata_modified desc",
        rows=PAGE_SIZE,
        start=(page - 1) * PAGE_SIZE,
        facet_fields=list(FILTERS),
        facet_limit=10,
        where=Q(**drill.range(PORTAL_DATES[by])) if drill.active else None,
    )
    facets = []
    for name in FILTERS:
        items = []
        for value, count in result.facets.get(name, {}).items():
            params = {**period, **chosen, "q": q} if q else {**period, **chosen}
            active = chosen.get(name) == value
            if active:
                params.pop(name, None)
            else:
                params[name] = value
            items.append(
                {
                    "value": value,
                    "title": result.facet_titles[name].get(value, value),
                    "count": count,
                    "active": active,
                    "query": urlencode(params),
                }
            )
        facets.append({"name": name, "label": FACET_LABELS[name], "items": items})
    base = {**period, **chosen, **({"q": q} if q else {})}
    pages = (result.count + PAGE_SIZE - 1) // PAGE_SIZE
    return render(
        request,
        "opendata/portal.html",
        {
            "q": q,
            "list_filter": drill,
            "result": result,
            "facets": facets,
            "page": page,
            "pages": pages,
            "prev_query": urlencode({**base, "halaman": page - 1}) if page > 1 else "",
            "next_query": urlencode({**base, "halaman": page + 1}) if page < pages else "",
            "api_url": request.build_absolute_uri(
                f"/{tenant.slug}/api/3/action/package_search?"
                + urlencode({"q": q, "fq": fq, "rows": PAGE_SIZE})
            ),
        },
    )


def _chart(version: ResourceVersion, rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """A bar chart of the first numeric column against the first text column, when the table
    has both (ECharts option)."""
    fields = version.schema.get("fields", [])
    texts = [f["name"] for f in fields if f.get("type") == "string"]
    # A name reads better on the axis than a code ("kecamatan" rather than "kode_kecamatan").
    label = next((n for n in texts if not n.lower().startswith(("kode", "id"))), None) or next(
        iter(texts), None
    )
    value = next((f for f in fields if f.get("type") in {"integer", "number"}), None)
    if label is None or value is None or not rows:
        return None
    points = [(str(r.get(label, "")), r.get(value["name"])) for r in rows[:30]]
    return {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 60, "right": 10, "bottom": 80, "top": 30},
        "xAxis": {"type": "category", "data": [p[0] for p in points], "axisLabel": {"rotate": 45}},
        "yAxis": {"type": "value", "name": value.get("satuan", "")},
        "series": [
            {
                "type": "bar",
                "name": value.get("title", value["name"]),
                "data": [p[1] for p in points],
            }
        ],
    }


@require_GET
@tenant_page
def dataset_page(request: HttpRequest, tenant: Tenant, name: str) -> HttpResponse:
    dataset = access_dataset_by_name(request.user, name, tenant=tenant)
    resources = list(dataset.resources.select_related("current_version").order_by("position"))
    items = []
    for resource in resources:
        current_number = resource.current_version.number if resource.current_version else 0
        versions = list(
            resource.versions.filter(ready=True, number__lte=current_number)
            .select_related("author")
            .order_by("-number")
        )
        version = (
            resource.current_version
            if resource.current_version and resource.current_version.ready
            else None
        )
        preview = chart = None
        if version is not None and resource.format in TABULAR_FORMATS:
            page = selectors.datastore_query(resource, limit=50)
            preview = {
                "fields": [f for f in page.fields if f["id"] != "_id"],
                "records": page.records,
                "total": page.total,
            }
            chart = _chart(version, page.records)
        items.append(
            {
                "resource": resource,
                "version": version,
                "versions": versions,
                "preview": preview,
                "chart_id": f"chart-{resource.pk}",
                "chart": chart,
                "dictionary": version.schema.get("fields", []) if version else [],
                "api_url": request.build_absolute_uri(
                    f"/{tenant.slug}/api/3/action/datastore_search?"
                    + urlencode({"resource_id": str(resource.pk), "limit": 100})
                ),
            }
        )
    return render(
        request,
        "opendata/dataset.html",
        {
            "dataset": dataset,
            "items": items,
            "license": LICENSES.get(dataset.license_id),
            "regions": list(dataset.spatial_regions.all()),
            "ms_var_labels": MS_VAR_FIELDS,
            "package_api": request.build_absolute_uri(
                f"/{tenant.slug}/api/3/action/package_show?id={dataset.name}"
            ),
            "events": dataset.events.filter(public=True).order_by("-created_at")[:20],
        },
    )


@require_GET
@tenant_page
def version_download(
    request: HttpRequest, tenant: Tenant, resource_id: uuid.UUID, number: int
) -> HttpResponse:
    """A version's file, citable forever at this URL. Counts a download of published data."""
    version = access_version(request.user, resource_id, number, tenant=tenant)
    dataset = version.resource.dataset
    if dataset.status == DatasetStatus.PUBLISHED:
        services.download_count(dataset=dataset)
    # Read whole (uploads are at most 50 MB): under ASGI a FileResponse's synchronous file
    # iterator is consumed into memory anyway, with a warning on every download.
    with version.file.open("rb") as fh:
        content = fh.read()
    response = HttpResponse(
        content, content_type=MIME.get(version.resource.format, "application/octet-stream")
    )
    response["Content-Disposition"] = (
        content_disposition_header(True, version.filename or "data") or ""
    )
    response["Cache-Control"] = "public, max-age=86400" if version.ready else "private, no-store"
    return response


@require_GET
@tenant_page
def statistics(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    """The portal's own figures (also evidence for SPBE indicator 43, Layanan Data Terbuka);
    with ``dari``/``sampai``, the downloads of that period's months instead of the last 12."""
    try:
        drill = _period(tenant, request)
    except DomainError as error:
        return error_response(request, status=400, code=error.code, message=error.message)
    published = selectors.published(tenant)
    per_opd = list(
        published.values("opd__acronym", "opd__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "opd__acronym")[:50]
    )
    downloads = selectors.downloads_per_month(tenant, start=drill.start, end=drill.end)
    chart = {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 50, "right": 10, "bottom": 40, "top": 20},
        "xAxis": {"type": "category", "data": [f"{m:%Y-%m}" for m, _n in downloads]},
        "yAxis": {"type": "value"},
        "series": [{"type": "bar", "name": _("Unduhan"), "data": [n for _m, n in downloads]}],
    }
    return render(
        request,
        "opendata/statistics.html",
        {
            "datasets": published.count(),
            "resources": Resource.objects.filter(dataset__in=published).count(),
            "opds": len(per_opd),
            "per_opd": per_opd,
            "downloads": downloads,
            "downloads_total": sum(n for _m, n in downloads),
            "list_filter": drill,
            "chart": chart,
        },
    )


# ---- staff ---------------------------------------------------------------------------------

STAFF_ROLES = (Role.OPD_OPERATOR, Role.REGION_ADMIN)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - behind staff_page
    return user


@require_GET
@staff_page(*STAFF_ROLES)
def staff_list(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    user = _user(request)
    assert isinstance(user, User)  # noqa: S101 - staff_page
    datasets = Dataset.objects.filter(tenant=tenant).select_related("opd")
    walidata = is_walidata(user, tenant)
    if not walidata:
        datasets = datasets.filter(opd=user.opd)
    status = request.GET.get("status", "")
    if status in DatasetStatus.values:
        datasets = datasets.filter(status=status)
    mine = Dataset.objects.filter(tenant=tenant)
    if not walidata:
        mine = mine.filter(opd=user.opd)
    counts = dict(mine.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return render(
        request,
        "opendata/staff_list.html",
        {
            "datasets": datasets.order_by("-modified_at")[:200],
            "walidata": walidata,
            "statuses": [(s.value, s.label, counts.get(s.value, 0)) for s in DatasetStatus],
            "status": status,
        },
    )


@staff_page(*STAFF_ROLES)
def staff_create(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    user = _user(request)
    assert isinstance(user, User)  # noqa: S101 - staff_page
    own_opd = None if is_walidata(user, tenant) else user.opd
    form = DatasetForm(request.POST or None, tenant=tenant, opd=own_opd)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            dataset = services.dataset_create(
                tenant=tenant,
                opd=data["opd"],
                actor=user,
                title=data["title"],
                notes=data["notes"],
                groups=data["groups"],
                tags=[t for t in data["tags"].split(",") if t.strip()],
                license_id=data["license_id"],
                frequency=data["frequency"],
                temporal_start=data["temporal_start"],
                temporal_end=data["temporal_end"],
                spatial=[tenant.region_id],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("opendata:staff_dataset", tenant_slug=tenant.slug, pk=dataset.pk)
    return render(
        request, "opendata/staff_create.html", {"form": form}, status=422 if form.errors else 200
    )


def _staff_dataset_context(
    request: HttpRequest, tenant: Tenant, dataset: Dataset, **extra: Any
) -> dict[str, Any]:
    user = _user(request)
    assert isinstance(user, User)  # noqa: S101 - staff_page
    resources = list(dataset.resources.select_related("current_version").order_by("position"))
    pending = {
        v.resource_id: v
        for v in ResourceVersion.objects.filter(resource__dataset=dataset, ready=False).order_by(
            "number"
        )
    }
    rows = []
    for resource in resources:
        version = pending.get(resource.pk)
        rows.append(
            {
                "resource": resource,
                "pending": version,
                "fields": list(enumerate(version.schema.get("fields", []))) if version else [],
                "versions": list(resource.versions.filter(ready=True).order_by("-number")[:10]),
                "waiting": services.pending_versions(resource),
            }
        )
    walidata = is_walidata(user, tenant)
    actions = [
        (a, DATASET_WORKFLOW.labels.get(a, a))
        for a in DATASET_WORKFLOW.actions_from(dataset.status)
        if walidata or (a in PRODUCER_ACTIONS and is_producer(user, dataset))
    ]
    return {
        "dataset": dataset,
        "walidata": walidata,
        "rows": rows,
        "can_write": can_write(user, dataset),
        "actions": actions,
        "events": dataset.events.select_related("actor").order_by("-created_at")[:50],
        "resource_form": ResourceForm(),
        "metadata_form": MetadataForm(initial=MetadataForm.initial_for(dataset)),
        "upload_form": UploadForm(),
        "types": TYPE_CHOICES,
        "ms_var": list(MS_VAR_FIELDS.items()),
        "kind_labels": KIND_LABELS,
        **extra,
    }


@require_GET
@staff_page(*STAFF_ROLES)
def staff_dataset(request: HttpRequest, tenant: Tenant, pk: uuid.UUID) -> HttpResponse:
    dataset = access_dataset(_user(request), pk, tenant=tenant)
    return render(
        request, "opendata/staff_dataset.html", _staff_dataset_context(request, tenant, dataset)
    )


def _back(tenant: Tenant, dataset: Dataset) -> HttpResponse:
    return redirect("opendata:staff_dataset", tenant_slug=tenant.slug, pk=dataset.pk)


@require_POST
@staff_page(*STAFF_ROLES)
def staff_transition(request: HttpRequest, tenant: Tenant, pk: uuid.UUID) -> HttpResponse:
    dataset = access_dataset(_user(request), pk, tenant=tenant, for_write=True)
    try:
        # The first publication gives the dataset its public id: go on with the returned one.
        dataset = services.dataset_transition(
            dataset=dataset,
            action=request.POST.get("action", ""),
            actor=_user(request),
            note=request.POST.get("note", "")[:2000],
        )
    except DomainError as exc:
        context = _staff_dataset_context(
            request, tenant, dataset, error=exc.message, cells=getattr(exc, "cells", [])
        )
        return render(
            request,
            "opendata/staff_dataset.html",
            context,
            status=exc.status if exc.status != 403 else 404,
        )
    messages.success(request, _("Status dataset diperbarui."))
    return _back(tenant, dataset)


@require_POST
@staff_page(*STAFF_ROLES)
def staff_resource_add(request: HttpRequest, tenant: Tenant, pk: uuid.UUID) -> HttpResponse:
    dataset = access_dataset(_user(request), pk, tenant=tenant, for_write=True)
    form = ResourceForm(request.POST)
    if form.is_valid():
        try:
            services.resource_create(dataset=dataset, actor=_user(request), **form.cleaned_data)
        except DomainError as exc:
            context = _staff_dataset_context(request, tenant, dataset, error=exc.message)
            return render(request, "opendata/staff_dataset.html", context, status=exc.status)
        return _back(tenant, dataset)
    context = _staff_dataset_context(request, tenant, dataset, resource_form=form)
    return render(request, "opendata/staff_dataset.html", context, status=422)


@require_POST
@staff_page(*STAFF_ROLES)
def staff_upload(request: HttpRequest, tenant: Tenant, resource_id: uuid.UUID) -> HttpResponse:
    resource = access_resource(_user(request), resource_id, tenant=tenant, for_write=True)
    dataset = resource.dataset
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        context = _staff_dataset_context(
            request, tenant, dataset, upload_form=form, error=_("Pilih berkas untuk diunggah.")
        )
        return render(request, "opendata/staff_dataset.html", context, status=422)
    upload = form.cleaned_data["file"]
    if upload.size > 50 * 1024 * 1024:
        raise Http404("too large")
    try:
        services.version_upload(
            resource=resource,
            actor=_user(request),
            content=upload.read(),
            filename=upload.name,
            note=form.cleaned_data["note"],
        )
    except DomainError as exc:
        context = _staff_dataset_context(
            request, tenant, dataset, error=exc.message, cells=getattr(exc, "cells", [])
        )
        return render(request, "opendata/staff_dataset.html", context, status=exc.status)
    return _back(tenant, dataset)


@require_POST
@staff_page(*STAFF_ROLES)
def staff_confirm(request: HttpRequest, tenant: Tenant, version_id: int) -> HttpResponse:
    try:
        version = ResourceVersion.objects.select_related("resource__dataset").get(
            pk=version_id, resource__dataset__tenant=tenant
        )
    except ResourceVersion.DoesNotExist:
        raise Http404("version") from None
    dataset = access_dataset(
        _user(request), version.resource.dataset_id, tenant=tenant, for_write=True
    )
    try:
        services.version_confirm(
            version=version,
            actor=_user(request),
            schema=schema_from_post(request.POST, version.schema),
        )
    except DomainError as exc:
        context = _staff_dataset_context(
            request, tenant, dataset, error=exc.message, cells=getattr(exc, "cells", [])
        )
        return render(request, "opendata/staff_dataset.html", context, status=exc.status)
    messages.success(request, _("Skema dikonfirmasi dan data dimuat."))
    return _back(tenant, dataset)


@require_POST
@staff_page(*STAFF_ROLES)
def staff_metadata(request: HttpRequest, tenant: Tenant, pk: uuid.UUID) -> HttpResponse:
    dataset = access_dataset(_user(request), pk, tenant=tenant, for_write=True)
    form = MetadataForm(request.POST)
    if form.is_valid():
        try:
            services.dataset_update(
                dataset=dataset, actor=_user(request), fields=form.fields_for_service()
            )
        except DomainError as exc:
            context = _staff_dataset_context(request, tenant, dataset, error=exc.message)
            return render(request, "opendata/staff_dataset.html", context, status=exc.status)
        messages.success(request, _("Metadata disimpan."))
        return _back(tenant, dataset)
    context = _staff_dataset_context(request, tenant, dataset, metadata_form=form)
    return render(request, "opendata/staff_dataset.html", context, status=422)


@require_POST
@staff_page(*STAFF_ROLES)
def staff_version_publish(request: HttpRequest, tenant: Tenant, version_id: int) -> HttpResponse:
    try:
        version = ResourceVersion.objects.select_related("resource__dataset").get(
            pk=version_id, resource__dataset__tenant=tenant
        )
    except ResourceVersion.DoesNotExist:
        raise Http404("version") from None
    dataset = access_dataset(
        _user(request), version.resource.dataset_id, tenant=tenant, for_write=True
    )
    try:
        services.version_publish(version=version, actor=_user(request))
    except DomainError as exc:
        if exc.status == 403:
            raise Http404("version") from None
        context = _staff_dataset_context(request, tenant, dataset, error=exc.message)
        return render(request, "opendata/staff_dataset.html", context, status=exc.status)
    messages.success(request, _("Versi baru diterbitkan."))
    return _back(tenant, dataset)
