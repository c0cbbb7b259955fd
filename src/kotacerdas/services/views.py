"""Pages: the catalogue, the citizen's application steps, appointments, the OPD desk, statistics."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from kotacerdas.accounts.models import Role, User
from kotacerdas.core import exports
from kotacerdas.core.errors import DomainError
from kotacerdas.core.middleware import error_response
from kotacerdas.regions.models import Region
from kotacerdas.services import selectors, services
from kotacerdas.services.access import (
    access_application,
    access_desk_application,
    access_document,
    access_result,
    can_see_identity,
)
from kotacerdas.services.forms import ApplicationForm, ReadyForm, ReasonForm, SiakForm, UploadForm
from kotacerdas.services.models import (
    Application,
    Document,
    Event,
    FieldKind,
    Fulfilment,
    Notice,
    Service,
    Status,
)
from kotacerdas.services.nik import mask
from kotacerdas.services.siak import siak_adapter
from kotacerdas.services.signatures import VERDICT_LABELS, Verdict
from kotacerdas.services.workflow import ACTION_LABELS, APPLICATION_WORKFLOW
from kotacerdas.tenants import list_filters
from kotacerdas.tenants.access import staff_page, tenant_page
from kotacerdas.tenants.models import Tenant

DESK_PAGE = 50  # applications per page of the desk queue
FILE_LINK_SECONDS = 300  # a signed link to a private file works for five minutes
_FILE_SALT = "services.file"


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login required upstream
    return user


def _pk(value: str) -> int | None:
    """A primary key from a query or form value: ASCII digits of a sane length, else None
    (``"²".isdigit()`` is true and ``int("²")`` raises; a huge number overflows the database)."""
    if value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return None


def signed_file_url(tenant: Tenant, user: User, kind: str, pk: int) -> str:
    token = signing.dumps({"k": kind, "id": pk, "u": user.pk}, salt=_FILE_SALT, compress=True)
    return reverse("services:file", args=[tenant.slug, token])


def _timeline(application: Application, *, staff: bool) -> list[dict[str, Any]]:
    """The audit trail as people read it, in the page's language: notes that depend on the
    language are rendered here from the event's data, never stored as sentences."""
    events = application.events.select_related("actor")
    if not staff:
        events = events.filter(public=True)
    requirements = {r.pk: r.local_name for r in application.service.requirements.all()}
    return [
        {
            "at": e.created_at,
            "label": ACTION_LABELS.get(e.action, e.action),
            "note": _event_note(e, requirements),
            "actor": e.actor,
            "status": e.to_state,
        }
        for e in events
    ]


def _event_note(event: Event, requirements: dict[int, str]) -> str:
    data = event.data or {}
    requirement = requirements.get(data.get("requirement", 0), "")
    match event.action:
        case "document_upload":
            return requirement or event.note
        case "document_review":
            if data.get("accepted"):
                return _("%(document)s diterima") % {"document": requirement}
            return _("%(document)s ditolak: %(reason)s") % {
                "document": requirement,
                "reason": event.note,
            }
        case "cancel" if "renewed_as" in data:
            return _("Kedaluwarsa; dilanjutkan di draf baru.")
        case "complete" if data.get("by") == "download":
            return _("Diunduh pemohon.")
    return event.note


def _signature(application: Application) -> dict[str, Any] | None:
    """The stored verdict on the result's e-signature, as the pages show it."""
    check = application.result_signature or {}
    if not application.result_file or "verdict" not in check:
        return None
    try:
        verdict = Verdict(check["verdict"])
    except ValueError:
        return None
    signed_at = parse_datetime(check.get("signed_at") or "")
    return {
        "verdict": verdict.value,
        "label": VERDICT_LABELS[verdict],
        "signer": check.get("signer", ""),
        "signed_at": signed_at,
    }


def _identity(user: User, application: Application) -> tuple[str, str]:
    if can_see_identity(user, application):
        return application.nik, application.kk_number
    return mask(application.nik), mask(application.kk_number)


def _documents(tenant: Tenant, user: User, application: Application) -> list[dict[str, Any]]:
    uploaded = {d.requirement_id: d for d in application.documents.all()}
    rows = []
    for requirement in application.service.requirements.all():
        document = uploaded.get(requirement.pk)
        rows.append(
            {
                "requirement": requirement,
                "document": document,
                "url": signed_file_url(tenant, user, "doc", document.pk) if document else "",
                "accept": UploadForm.accept_for(requirement),
            }
        )
    return rows


# --- public catalogue ------------------------------------------------------------------


@tenant_page
def home(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    unread = 0
    if request.user.is_authenticated:
        unread = Notice.objects.filter(
            user=request.user, read_at__isnull=True, application__tenant=tenant
        ).count()
    return render(
        request,
        "services/home.html",
        {"services": selectors.service_catalogue(tenant), "unread": unread},
    )


@tenant_page
def service_detail(request: HttpRequest, tenant: Tenant, code: str) -> HttpResponse:
    service = get_object_or_404(
        selectors.service_catalogue(tenant).prefetch_related("fields"), code=code
    )
    return render(
        request,
        "services/service_detail.html",
        {
            "service": service,
            "token": uuid.uuid4(),
            "booking_rule": selectors.booking_rule_text(service)
            if service.needs_visit or service.offers_pickup
            else "",
        },
    )


# --- the citizen -----------------------------------------------------------------------


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


def _answers(application: Application) -> list[tuple[str, str]]:
    """The form's answers as people read them (a kelurahan by name, not by code)."""
    data = application.form_data or {}
    fields = list(application.service.fields.all())
    codes = [str(data.get(f.name, "")) for f in fields if f.kind == FieldKind.VILLAGE]
    villages = {
        r.code: f"{r.name}, Kec. {r.parent.name}"
        for r in Region.objects.filter(code__in=codes).select_related("parent")
        if r.parent
    }
    answers = []
    for field in fields:
        value = str(data.get(field.name, ""))
        if field.kind == FieldKind.VILLAGE:
            value = villages.get(value, value)
        elif field.kind == FieldKind.CHOICE:
            value = dict(field.choice_pairs()).get(value, value)
        answers.append((field.local_label, value))
    return answers


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


# --- appointments ----------------------------------------------------------------------


@tenant_page
@login_required
def appointment_book(request: HttpRequest, tenant: Tenant, pk: int) -> HttpResponse:
    user = _user(request)
    application = access_application(user, pk, tenant=tenant)
    if request.method == "POST":
        slot = request.POST.get("slot", "")
        try:
            services.appointment_book(
                application=application,
                slot_id=_pk(slot) or 0,
                actor=user,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Janji temu tersimpan."))
            return redirect("services:appointment_print", tenant.slug, application.pk)
    blocker = selectors.booking_blocker(application)
    location = application.pickup_location
    slots = [] if blocker else selectors.open_slots(tenant, location=location)
    return render(
        request,
        "services/appointment_book.html",
        {
            "application": application,
            "slots": slots,
            "blocker": blocker[1] if blocker else "",
            "appointment": selectors.active_appointment(application),
        },
        status=409 if blocker and request.method == "POST" else 200,
    )


@tenant_page
@login_required
@require_POST
def appointment_cancel(request: HttpRequest, tenant: Tenant, pk: int) -> HttpResponse:
    application = access_application(_user(request), pk, tenant=tenant)
    appointment = selectors.active_appointment(application)
    if appointment is None:
        raise Http404("appointment")
    services.appointment_cancel(appointment=appointment, actor=_user(request))
    messages.success(request, _("Janji temu dibatalkan."))
    return redirect("services:application_detail", tenant.slug, application.pk)


@tenant_page
@login_required
def appointment_print(request: HttpRequest, tenant: Tenant, pk: int) -> HttpResponse:
    application = access_application(_user(request), pk, tenant=tenant)
    appointment = selectors.active_appointment(application)
    if appointment is None:
        raise Http404("appointment")
    # The QR code carries only the booking code and number: nothing personal.
    qr = segno.make(f"{appointment.code} {application.number}", error="m").svg_inline(
        scale=5, title=appointment.code
    )
    nik, _kk = _identity(_user(request), application)
    return render(
        request,
        "services/appointment_print.html",
        {
            "application": application,
            "appointment": appointment,
            "qr": qr,
            # The person the application is for, as written in the form, not the account holder
            # (a parent may apply for a child, a relative for an elder).
            "applicant_name": selectors.applicant_name(application),
            "nik": mask(nik),
        },
    )


# --- private files ---------------------------------------------------------------------


@xframe_options_sameorigin
@login_required
def private_file(request: HttpRequest, tenant_slug: str, token: str) -> FileResponse:
    """A document or result behind a signed link that expires; the access check runs again."""
    try:
        data = signing.loads(token, salt=_FILE_SALT, max_age=FILE_LINK_SECONDS)
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


# --- the OPD desk ----------------------------------------------------------------------


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


# --- statistics ------------------------------------------------------------------------

# Lazy: module-level text is translated when shown, in the reader's language.
STAT_HEADERS = [
    gettext_lazy("Layanan"),
    gettext_lazy("Bulan"),
    gettext_lazy("Permohonan"),
    gettext_lazy("Selesai"),
    gettext_lazy("Selesai dalam SLA (%)"),
    gettext_lazy("Median waktu selesai (jam)"),
    gettext_lazy("Tingkat perbaikan (%)"),
    gettext_lazy("Sepenuhnya daring (%)"),
    gettext_lazy("Lewat loket (%)"),
]


def _month(value: str) -> dt.date | None:
    """``YYYY-MM`` as the first day of that month; None when it is not one."""
    if len(value) != 7 or not value.isascii():
        return None
    try:
        return dt.date.fromisoformat(f"{value}-01")
    except ValueError:
        return None


@staff_page()
def statistics(request: HttpRequest, tenant: Tenant, fmt: str = "") -> HttpResponse:
    service_id = request.GET.get("service", "")
    this_month = timezone.localdate().replace(day=1)
    default_first = (this_month - dt.timedelta(days=330)).replace(day=1)  # the last 12 months
    first = _month(request.GET["dari"]) if request.GET.get("dari") else default_first
    last = _month(request.GET["sampai"]) if request.GET.get("sampai") else this_month
    # The command centre's figures link here with days (TTTT-BB-HH) and an OPD.
    days = len(request.GET.get("dari", "")) == len("2026-01-01")
    drill = list_filters.ListFilter()
    if days:
        try:
            drill = list_filters.parse(tenant, request.GET)
        except DomainError as error:
            return error_response(request, status=400, code=error.code, message=error.message)
        first, last = drill.first, drill.last
    opd_id = _pk(request.GET.get("opd", ""))
    if opd_id and not tenant.opds.filter(pk=opd_id).exists():
        return error_response(
            request, status=400, code="unknown_opd", message=_("OPD tidak dikenal.")
        )
    span = (last.year - first.year) * 12 + last.month - first.month + 1 if first and last else 0
    if first is None or last is None or not 1 <= span <= selectors.MAX_STAT_MONTHS:
        return error_response(
            request,
            status=400,
            code="invalid_range",
            message=_(
                "Rentang bulan tidak sah: isi dari dan sampai sebagai TTTT-BB, dari tidak setelah "
                "sampai, paling lama %(months)s bulan."
            )
            % {"months": selectors.MAX_STAT_MONTHS},
        )
    rows = selectors.service_statistics(
        tenant, first=first, last=last, service_id=_pk(service_id), days=days, opd_id=opd_id
    )
    headers = [str(h) for h in STAT_HEADERS]
    if fmt == "csv":
        return exports.csv_response(
            f"statistik-layanan-{tenant.slug}", headers, [r.row() for r in rows]
        )
    if fmt == "xlsx":
        return exports.xlsx_response(
            f"statistik-layanan-{tenant.slug}",
            headers,
            [r.row() for r in rows],
            title=_("Statistik"),
        )
    months = sorted({r.month for r in rows})
    names = sorted({r.service for r in rows})
    by_key = {(r.service, r.month): r for r in rows}
    volume = {
        "tooltip": {"trigger": "axis"},
        "legend": {"type": "scroll"},
        "grid": {"containLabel": True},
        "xAxis": {"type": "category", "data": months},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {
                "name": n,
                "type": "bar",
                "stack": "all",
                "data": [by_key[(n, m)].applications if (n, m) in by_key else 0 for m in months],
            }
            for n in names
        ],
    }
    sla = {
        "tooltip": {"trigger": "axis"},
        "legend": {"type": "scroll"},
        "grid": {"containLabel": True},
        "xAxis": {"type": "category", "data": months},
        "yAxis": {"type": "value", "max": 100},
        "series": [
            {
                "name": n,
                "type": "line",
                "connectNulls": True,
                "data": [
                    (r[4] if (n, m) in by_key and (r := by_key[(n, m)].row()) else None)
                    for m in months
                ],
            }
            for n in names
        ],
    }
    return render(
        request,
        "services/statistics.html",
        {
            "rows": rows,
            "headers": headers,
            "volume": volume,
            "sla": sla,
            "services": Service.objects.filter(tenant=tenant),
            "service_id": service_id,
            "first": f"{first:%Y-%m}",
            "last": f"{last:%Y-%m}",
            "list_filter": drill,
            "list_total": sum(r.applications for r in rows),
            "list_noun": _("permohonan"),
        },
    )
