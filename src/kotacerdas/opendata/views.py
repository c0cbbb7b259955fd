"""Pages of the Satu Data portal: public search, dataset pages, downloads, statistics, and the
producers' and walidata's work pages."""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from kotacerdas.opendata import services
from kotacerdas.opendata.access import access_version
from kotacerdas.opendata.ckan import MIME
from kotacerdas.tenants.access import tenant_page
from kotacerdas.tenants.models import Tenant


@require_GET
@tenant_page
def version_download(
    request: HttpRequest, tenant: Tenant, resource_id: uuid.UUID, number: int
) -> HttpResponse:
    """A version's file, citable forever at this URL. Counts a download of published data."""
    version = access_version(request.user, resource_id, number, tenant=tenant)
    dataset = version.resource.dataset
    if dataset.status == "published":
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
