"""The citizen's application steps: start, form, documents, review, detail, cancel, renew."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotacerdas.core.errors import DomainError
from kotacerdas.services import selectors, services
from kotacerdas.services.access import (
    access_application,
)
from kotacerdas.services.forms import ApplicationForm, UploadForm
from kotacerdas.services.models import (
    Application,
    Fulfilment,
    Notice,
    Service,
    Status,
)
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
from kotacerdas.tenants.access import tenant_page
from kotacerdas.tenants.models import Tenant


@tenant_page
@login_required
@require_POST
def application_start(request: HttpRequest, tenant: Tenant, code: str) -> HttpResponse:
    service = get_object_or_404(Service, tenant=tenant, code=code, is_active=True)
    try:
        key = uuid.UUID(request.POST.get("token", ""))
    except ValueError:
        key = uuid.uuid4()
    application = services.application_start(
        service=service, applicant=_user(request), idempotency_key=key
    )
    return redirect("services:application_form", tenant.slug, application.pk)


@tenant_page
@login_required
def my_applications(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    user = _user(request)
    applications = (
        Application.objects.filter(tenant=tenant, applicant=user)
        .select_related("service")
        .exclude(status=Status.CANCELLED)
    )
    if request.method == "POST":  # "tandai sudah dibaca": a GET only reads
        services.notices_mark_read(user=user)
        return redirect("services:my_applications", tenant.slug)
    notices = list(
        Notice.objects.filter(user=user, application__tenant=tenant).select_related("application")[
            :20
        ]
    )
    return render(
        request,
        "services/my_applications.html",
        {
            "applications": applications,
            "notices": notices,
            "unread_notices": any(n.read_at is None for n in notices),
        },
    )


def _expired_guard(
    request: HttpRequest, tenant: Tenant, application: Application
) -> HttpResponse | None:
    if (
        application.status == Status.DRAFT
        and application.draft_expires_at
        and application.draft_expires_at <= timezone.now()
    ):
        return redirect("services:application_detail", tenant.slug, application.pk)
    if not application.is_editable:
        messages.info(request, _("Permohonan ini sudah diajukan dan tidak dapat diubah."))
        return redirect("services:application_detail", tenant.slug, application.pk)
    return None


@tenant_page
@login_required
def application_form(request: HttpRequest, tenant: Tenant, pk: int) -> HttpResponse:
    application = access_application(_user(request), pk, tenant=tenant)
    if guard := _expired_guard(request, tenant, application):
        return guard
    service = application.service
    if request.method == "POST":
        partial = "save_draft" in request.POST
        form = ApplicationForm(request.POST, service=service, partial=partial)
        if form.is_valid():
            try:
                services.application_save_form(
                    application=application,
                    actor=_user(request),
                    form_data=form.form_data(),
                    fulfilment=form.cleaned_data.get("fulfilment") or application.fulfilment,
                    pickup_location=form.cleaned_data.get("pickup_location"),
                    delivery_address=form.cleaned_data.get("delivery_address") or "",
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                if partial:
                    messages.success(
                        request,
                        _(
                            "Draf tersimpan. Anda dapat melanjutkannya kapan saja dari “Permohonan saya”."
                        ),
                    )
                    return redirect("services:application_form", tenant.slug, application.pk)
                return redirect("services:application_documents", tenant.slug, application.pk)
    else:
        form = ApplicationForm(initial=ApplicationForm.initial_for(application), service=service)
    return render(
        request,
        "services/application_form.html",
        {"application": application, "form": form, "step": 1},
    )


@tenant_page
@login_required
def application_documents(request: HttpRequest, tenant: Tenant, pk: int) -> HttpResponse:
    user = _user(request)
    application = access_application(user, pk, tenant=tenant)
    if guard := _expired_guard(request, tenant, application):
        return guard
    errors: dict[int, str] = {}
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.document_upload(
                    application=application,
                    requirement_id=form.cleaned_data["requirement"],
                    upload=form.cleaned_data["file"],
                    actor=user,
                )
            except DomainError as exc:
                errors[form.cleaned_data["requirement"]] = exc.message
            else:
                messages.success(request, _("Dokumen tersimpan."))
                return redirect("services:application_documents", tenant.slug, application.pk)
        else:
            requirement = request.POST.get("requirement", "")
            errors[_pk(requirement) or 0] = " ".join(
                str(m) for msgs in form.errors.values() for m in msgs
            )
    status = 400 if errors else 200
    return render(
        request,
        "services/application_documents.html",
        {
            "application": application,
            "rows": _documents(tenant, user, application),
            "errors": errors,
            "step": 2,
        },
        status=status,
    )


@tenant_page
@login_required
def application_review(request: HttpRequest, tenant: Tenant, pk: int) -> HttpResponse:
    user = _user(request)
    application = access_application(user, pk, tenant=tenant)
    if request.method == "POST":
        try:
            services.application_submit(application=application, actor=user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Permohonan terkirim. Kami memberi kabar lewat surel dan di halaman ini."),
            )
            return redirect("services:application_detail", tenant.slug, application.pk)
    if guard := _expired_guard(request, tenant, application):
        return guard
    nik, kk = _identity(user, application)
    return render(
        request,
        "services/application_review.html",
        {
            "application": application,
            "rows": _documents(tenant, user, application),
            "step": 3,
            "answers": _answers(application),
            "nik": nik,
            "kk": kk,
        },
    )


@tenant_page
@login_required
def application_detail(request: HttpRequest, tenant: Tenant, pk: int) -> HttpResponse:
    user = _user(request)
    application = access_application(user, pk, tenant=tenant)
    expired = bool(
        application.status == Status.DRAFT
        and application.draft_expires_at
        and application.draft_expires_at <= timezone.now()
    )
    appointment = selectors.active_appointment(application)
    return render(
        request,
        "services/application_detail.html",
        {
            "application": application,
            "timeline": _timeline(application, staff=False),
            "expired": expired,
            "rows": _documents(tenant, user, application),
            "appointment": appointment,
            "result_url": signed_file_url(tenant, user, "result", application.pk)
            if application.result_file
            else "",
            "signature": _signature(application),
            "can_book": application.service.needs_visit
            or application.fulfilment == Fulfilment.PICKUP,
            "booking_blocker": selectors.booking_blocker(application),
            "booking_rule": selectors.booking_rule_text(application.service),
            "can_cancel": "cancel" in APPLICATION_WORKFLOW.actions_from(application.status),
        },
    )


@tenant_page
@login_required
@require_POST
def application_cancel(request: HttpRequest, tenant: Tenant, pk: int) -> HttpResponse:
    application = access_application(_user(request), pk, tenant=tenant)
    try:
        services.application_cancel(application=application, actor=_user(request))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Permohonan dibatalkan."))
    return redirect("services:application_detail", tenant.slug, application.pk)


@tenant_page
@login_required
@require_POST
def application_renew(request: HttpRequest, tenant: Tenant, pk: int) -> HttpResponse:
    application = access_application(_user(request), pk, tenant=tenant)
    try:
        new = services.application_renew_draft(application=application, actor=_user(request))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("services:application_detail", tenant.slug, application.pk)
    messages.success(
        request, _("Draf baru dibuat dengan isian dan dokumen Anda. Periksa lalu ajukan.")
    )
    return redirect("services:application_form", tenant.slug, new.pk)
