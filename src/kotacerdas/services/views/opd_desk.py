"""The OPD desk: the queue, an application's page, document review and the desk's actions."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotacerdas.accounts.models import Role
from kotacerdas.core.errors import DomainError
from kotacerdas.core.middleware import error_response
from kotacerdas.services import selectors, services
from kotacerdas.services.access import (
    access_desk_application,
    access_document,
)
from kotacerdas.services.forms import ReadyForm, ReasonForm, SiakForm
from kotacerdas.services.models import (
    Application,
    Service,
    Status,
)
from kotacerdas.services.siak import siak_adapter
from kotacerdas.services.views.common import (
    _answers,
    _documents,
    _identity,
    _pk,
    _signature,
    _timeline,
    _user,
    signed_file_url,
)
from kotacerdas.services.workflow import APPLICATION_WORKFLOW
from kotacerdas.tenants.access import staff_page
from kotacerdas.tenants.models import Tenant

DESK_PAGE = 50  # applications per page of the desk queue


@staff_page(Role.OPD_OPERATOR)
def desk(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    """The queue, nearest deadline first, paged by keyset (``setelah`` = the last row seen)."""
    user = _user(request)
    status = request.GET.get("status", "")
    status = status if status in Status.values else ""
    service_id = request.GET.get("service", "")
    queue = selectors.desk_queue(
        user,
        tenant,
        status=status,
        service_id=_pk(service_id),
        overdue=request.GET.get("overdue") == "1",
    )
    after = request.GET.get("setelah", "")
    if after:
        cursor = _pk(after)
        last = queue.filter(pk=cursor).values_list("sla_deadline", "pk").first() if cursor else None
        if last is None:
            return error_response(
                request,
                status=400,
                code="invalid_cursor",
                message=_("Halaman antrean tidak dikenal; mulai dari halaman pertama."),
            )
        queue = queue.filter(Q(sla_deadline__gt=last[0]) | Q(sla_deadline=last[0], pk__gt=last[1]))
    rows = list(queue[: DESK_PAGE + 1])
    more = len(rows) > DESK_PAGE
    rows = rows[:DESK_PAGE]
    next_url = ""
    if more:
        params = request.GET.copy()
        params["setelah"] = str(rows[-1].pk)
        next_url = f"?{params.urlencode()}"
    return render(
        request,
        "services/desk.html",
        {
            "queue": rows,
            "next_url": next_url,
            "paged": bool(after),
            "now": timezone.now(),
            "statuses": Status.choices,
            "status": status,
            "services": Service.objects.filter(tenant=tenant, opd=user.opd),
            "service_id": service_id,
        },
    )


@staff_page(Role.OPD_OPERATOR)
def desk_detail(request: HttpRequest, tenant: Tenant, pk: int) -> HttpResponse:
    user = _user(request)
    return _desk_page(request, tenant, access_desk_application(user, pk, tenant=tenant))


def _desk_page(
    request: HttpRequest,
    tenant: Tenant,
    application: Application,
    *,
    siak_form: SiakForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    nik, kk = _identity(user, application)
    needs_reference = siak_adapter().needs_reference
    return render(
        request,
        "services/desk_detail.html",
        {
            "application": application,
            "nik": nik,
            "kk": kk,
            "answers": _answers(application),
            "rows": _documents(tenant, user, application),
            "timeline": _timeline(application, staff=True),
            "actions": APPLICATION_WORKFLOW.actions_from(application.status),
            "appointment": selectors.active_appointment(application),
            "now": timezone.now(),
            "result_url": signed_file_url(tenant, user, "result", application.pk)
            if application.result_file
            else "",
            "signature": _signature(application),
            "siak_manual": needs_reference,
            "reason_form": ReasonForm(),
            "ready_form": ReadyForm(),
            "siak_form": siak_form
            or SiakForm(
                initial={"reference": application.siak_reference}, needs_reference=needs_reference
            ),
        },
        status=status,
    )


@staff_page(Role.OPD_OPERATOR)
@require_POST
def desk_document(request: HttpRequest, tenant: Tenant, pk: int, document_pk: int) -> HttpResponse:
    user = _user(request)
    application = access_desk_application(user, pk, tenant=tenant, for_write=True)
    document = access_document(user, document_pk, tenant=tenant, for_write=True)
    if document.application_id != application.pk:
        raise Http404("document")
    try:
        services.document_review(
            document=document,
            actor=user,
            accepted=request.POST.get("verdict") == "accept",
            reason=request.POST.get("reason", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("services:desk_detail", tenant.slug, application.pk)


@staff_page(Role.OPD_OPERATOR)
@require_POST
def desk_action(request: HttpRequest, tenant: Tenant, pk: int, action: str) -> HttpResponse:
    user = _user(request)
    application = access_desk_application(user, pk, tenant=tenant, for_write=True)
    reason = request.POST.get("reason", "")
    try:
        match action:
            case "start_verification":
                services.application_start_verification(application=application, actor=user)
            case "request_revision":
                services.application_request_revision(
                    application=application, actor=user, reason=reason
                )
            case "verify":
                services.application_verify(application=application, actor=user)
            case "siak":
                form = SiakForm(request.POST, needs_reference=siak_adapter().needs_reference)
                if not form.is_valid():
                    return _desk_page(request, tenant, application, siak_form=form, status=400)
                services.application_record_siak(
                    application=application,
                    actor=user,
                    reference=form.cleaned_data["reference"],
                )
            case "mark_ready":
                services.application_mark_ready(
                    application=application,
                    actor=user,
                    result=request.FILES.get("result"),
                    note=request.POST.get("note", ""),
                )
            case "complete":
                services.application_complete(application=application, actor=user, note=reason)
            case "reject":
                services.application_reject(application=application, actor=user, reason=reason)
            case _:
                raise Http404("action")
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Tersimpan."))
    return redirect("services:desk_detail", tenant.slug, application.pk)
