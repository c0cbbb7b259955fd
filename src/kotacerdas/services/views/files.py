"""Private files (scans, results) behind a short-lived signed link."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.views.decorators.clickjacking import xframe_options_sameorigin

from kotacerdas.services import services
from kotacerdas.services.access import (
    access_document,
    access_result,
)
from kotacerdas.services.models import (
    Document,
    Fulfilment,
    Status,
)
from kotacerdas.services.views.common import FILE_LINK_SECONDS, FILE_SALT, _user
from kotacerdas.tenants.models import Tenant


@xframe_options_sameorigin
@login_required
def private_file(request: HttpRequest, tenant_slug: str, token: str) -> FileResponse:
    """A document or result behind a signed link that expires; the access check runs again."""
    try:
        data = signing.loads(token, salt=FILE_SALT, max_age=FILE_LINK_SECONDS)
    except signing.BadSignature:
        raise Http404("link") from None
    user = _user(request)
    if data.get("u") != user.pk:
        raise Http404("link")
    tenant = get_object_or_404(Tenant, slug=tenant_slug)
    if data.get("k") == "doc":
        document: Document = access_document(user, int(data["id"]), tenant=tenant)
        response = FileResponse(document.file.open("rb"), content_type=document.content_type)
        response["Content-Disposition"] = "inline"
    else:
        application = access_result(user, int(data["id"]), tenant=tenant)
        if (
            application.applicant_id == user.pk
            and application.status == Status.READY
            and application.fulfilment == Fulfilment.DIGITAL
        ):
            services.application_complete(
                application=application, actor=user, data={"by": "download"}
            )
        response = FileResponse(
            application.result_file.open("rb"),
            content_type="application/pdf",
            as_attachment=True,
            filename=f"{application.number}.pdf",
        )
    response["Cache-Control"] = "private, no-store"
    return response
