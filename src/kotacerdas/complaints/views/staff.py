"""Staff pages: triage by the region administrator, the OPD inbox, the complaint page and staff entry."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import Role, User
from kotacerdas.complaints import selectors, services
from kotacerdas.complaints.access import (
    access_complaint,
    complaints_visible_to,
    may_see_reporter,
)
from kotacerdas.complaints.escalation import escalation_context
from kotacerdas.complaints.forms import (
    ClassifyForm,
    DisposeForm,
    ForwardForm,
    InboxFilterForm,
    NoteForm,
    ResponseForm,
    StaffEntryForm,
)
from kotacerdas.complaints.models import Complaint, Disposition, Photo
from kotacerdas.complaints.views.common import (
    STAFF_ROLES,
    STATUS_BADGE,
    complaint_map,
    page_context,
    pick_map,
    place_of,
    timeline_rows,
)
from kotacerdas.complaints.views.public import submit_form
from kotacerdas.complaints.workflow import COMPLAINT_WORKFLOW
from kotacerdas.core.errors import DomainError
from kotacerdas.core.middleware import error_response
from kotacerdas.tenants import list_filters
from kotacerdas.tenants.access import staff_page
from kotacerdas.tenants.models import Tenant

# The date the inbox's period applies to: receipt, resolution (the resolution figures' rows)
# or the creation of a disposition (the response figures' rows: ``_counted_dispositions``).
INBOX_DATES = {"diterima": "created_at", "selesai": "resolved_at", "disposisi": ""}


def _counted_dispositions(
    request: HttpRequest, tenant: Tenant, user: User, drill: list_filters.ListFilter
) -> QuerySet[Disposition]:
    """The dispositions created in the period (``tanggal=disposisi``): of the user's own OPD
    for an OPD operator, else of ``opd`` when given, and with ``tanggapan`` those a response
    figure counts. Raises ``DomainError`` (400) on an unknown ``opd`` or ``tanggapan``."""
    responded = request.GET.get("tanggapan", "")
    if responded and responded not in selectors.RESPONSE_FILTERS:
        raise DomainError(
            _("Tanggapan harus salah satu dari: %(names)s.")
            % {"names": ", ".join(selectors.RESPONSE_FILTERS)},
            code="invalid_response_filter",
        )
    opd_id: int | None
    if user.role == Role.OPD_OPERATOR:
        if user.opd_id is None:  # sees no complaint (complaints_visible_to)
            return Disposition.objects.none()
        opd_id = user.opd_id
    else:
        opd_id = list_filters.opd(tenant, request.GET)
    period = selectors.dispositions_of_period(
        tenant, start=drill.start, end=drill.end, opd_id=opd_id, kecamatan=drill.kecamatan
    )
    return selectors.dispositions_responded(period, responded)


def _disposition_total(
    request: HttpRequest,
    counted: QuerySet[Disposition],
    rows: QuerySet[Complaint],
    data: dict[str, Any],
    page: list[Complaint],
) -> int:
    """The dispositions counted among the inbox's rows; names each row's OPDs of them."""
    # A complaint disposed to two OPDs is one row and two dispositions: the total counts what
    # the figure counts. The inbox's own filters narrow the complaints; without them (as a
    # figure links here) the dispositions are counted alone, not joined back to the 70,000
    # complaints of a month (1.6 -> 0.9 s for the whole page at 1,000,000 complaints).
    if any(data.get(name) for name in ("status", "severity", "q", "category", "overdue")):
        counted = counted.filter(complaint_id__in=rows.values("pk"))
    elif request.GET.get("dinilai") == "1":
        counted = counted.filter(complaint__rating__isnull=False)
    opds: dict[int, list[str]] = {}
    for complaint_id, acronym in counted.filter(complaint_id__in=[c.pk for c in page]).values_list(
        "complaint_id", "opd__acronym"
    ):
        opds.setdefault(complaint_id, []).append(acronym)
    for complaint in page:
        complaint.counted_opds = sorted(opds.get(complaint.pk, []))  # type: ignore[attr-defined]
    return counted.count()


@staff_page(*STAFF_ROLES)
def staff_inbox(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - staff_page guarantees it
    qs = complaints_visible_to(user, tenant)
    # The command centre's figures link here with their period and kecamatan.
    try:
        drill = list_filters.parse(tenant, request.GET)
    except DomainError as error:
        return error_response(request, status=400, code=error.code, message=error.message)
    # By receipt (the default), by resolution ("selesai": the resolution figures' rows) or by
    # disposition ("disposisi": the response figures' rows, counted as dispositions);
    # ``dinilai=1`` keeps the complaints the reporter rated (the average rating's rows).
    by = request.GET.get("tanggal") or "diterima"
    if by not in INBOX_DATES:
        return error_response(
            request,
            status=400,
            code="invalid_date_field",
            message=_("Tanggal harus “diterima”, “selesai” atau “disposisi”."),
        )
    counted = None
    if by == "disposisi":
        try:
            counted = _counted_dispositions(request, tenant, user, drill)
        except DomainError as error:
            return error_response(request, status=400, code=error.code, message=error.message)
        qs = qs.filter(pk__in=counted.values("complaint_id"))
    else:
        qs = qs.filter(**drill.range(INBOX_DATES[by]))
    if by == "selesai":
        qs = qs.filter(resolved_at__isnull=False)
    if request.GET.get("dinilai") == "1":
        qs = qs.filter(rating__isnull=False)
    if drill.kecamatan:
        qs = qs.filter(region__parent_id=drill.kecamatan)
    is_admin = user.administers(tenant) or user.role == Role.LEADER
    filters = InboxFilterForm(request.GET or None, tenant=tenant, with_opd=is_admin)
    data = filters.cleaned_data if filters.is_valid() else {}
    opd = data.get("opd")
    rows = selectors.inbox_for_opd(
        qs=qs,
        status=data.get("status", ""),
        severity=data.get("severity", ""),
        overdue=bool(data.get("overdue")),
        text=(data.get("q") or "").strip(),
        category=data.get("category"),
        opd_id=opd.pk if opd else None,
    )
    page, next_after = selectors.keyset_page(
        rows, order=("due_key", "pk"), after=request.GET.get("setelah", ""), size=50
    )
    query = request.GET.copy()
    query.pop("setelah", None)
    overdue_count = qs.overdue().count()
    list_total: int | None = None
    if counted is not None:
        list_total = _disposition_total(request, counted, rows, data, page)
    elif drill.active or data.get("overdue") or request.GET.get("dinilai"):
        list_total = rows.count()
    return render(
        request,
        "complaints/staff_inbox.html",
        page_context(
            tenant,
            page=page,
            next_url=f"?{query.urlencode()}&setelah={next_after}" if next_after else "",
            filters=filters,
            overdue_count=overdue_count,
            list_filter=drill,
            list_total=list_total,
            list_noun=_("disposisi") if counted is not None else _("aduan"),
            now=timezone.now(),
            is_admin=user.administers(tenant),
            # Leaders watch; only the administrator and the OPDs record complaints (staff_new).
            can_record=user.is_platform_admin
            or user.is_staff_of(tenant, Role.REGION_ADMIN, Role.OPD_OPERATOR),
            badges=STATUS_BADGE,
        ),
    )


@staff_page(*STAFF_ROLES)
def staff_detail(request: HttpRequest, tenant: Tenant, pk: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101
    complaint = access_complaint(user, pk, tenant=tenant, for_write=request.method == "POST")
    is_admin = user.administers(tenant)
    forms: dict[str, Any] = {
        "classify": ClassifyForm(
            initial={
                "classification": complaint.classification,
                "severity": complaint.severity,
                "confidentiality": complaint.confidentiality,
            }
        ),
        "dispose": DisposeForm(
            tenant=tenant, initial={"opds": [i for i in [complaint.category.opd_id] if i]}
        ),
        "forward": ForwardForm(tenant=tenant),
        "note": NoteForm(),
        "response": ResponseForm(),
    }
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            done = _staff_act(
                request,
                user=user,
                tenant=tenant,
                complaint=complaint,
                action=action,
                is_admin=is_admin,
                forms=forms,
            )
        except DomainError as error:
            messages.error(request, error.message)
            done = False
        if done:
            return redirect("complaints:staff_detail", tenant.slug, complaint.pk)
        complaint.refresh_from_db()
    actions = set(COMPLAINT_WORKFLOW.actions_from(complaint.status))
    own = (
        complaint.dispositions.filter(opd_id=user.opd_id, is_active=True).first()
        if user.opd_id
        else None
    )
    return render(
        request,
        "complaints/staff_detail.html",
        page_context(
            tenant,
            complaint=complaint,
            forms=forms,
            is_admin=is_admin,
            actions=actions,
            own_disposition=own,
            answers=_answers(complaint),
            show_reporter=may_see_reporter(user, complaint),
            can_act=user.role != Role.LEADER,
            timeline=timeline_rows(complaint.events.select_related("opd", "actor"), complaint),
            responses=complaint.responses.select_related("opd", "author").prefetch_related(
                Prefetch("photos", queryset=Photo.objects.published())
            ),
            dispositions=complaint.dispositions.select_related("opd"),
            photos=complaint.photos.published().filter(response__isnull=True),
            badge=STATUS_BADGE.get(complaint.status, ""),
            escalation=escalation_context(user, tenant, complaint),
            map_config=complaint_map([complaint], tenant, link=False),
            nearest=place_of(complaint),
        ),
    )


def _answers(complaint: Complaint) -> list[tuple[str, str]]:
    """The extra questions with their answers, as people read them (value names, not keys)."""
    rows = []
    for attribute in complaint.category.attributes.all():
        value = complaint.attributes.get(attribute.code)
        if value in (None, "", []):
            continue
        names = {str(v["key"]): v["name"] for v in attribute.values}
        values = value if isinstance(value, list) else [value]
        rows.append((attribute.description, ", ".join(names.get(str(v), str(v)) for v in values)))
    return rows


def _staff_act(  # noqa: PLR0912 - one branch per staff action reads better than a dispatch table
    request: HttpRequest,
    *,
    user: User,
    tenant: Tenant,
    complaint: Complaint,
    action: str,
    is_admin: bool,
    forms: dict[str, Any],
) -> bool:
    post = request.POST
    form: Any
    admin_actions = {"classify", "dispose", "hold", "decline", "forward", "archive", "close"}
    if action in admin_actions and not is_admin:
        raise Http404("action")
    if action == "classify":
        form = forms["classify"] = ClassifyForm(post)
        if form.is_valid():
            services.complaint_classify(complaint=complaint, actor=user, **form.cleaned_data)
            messages.success(request, _("Klasifikasi disimpan."))
            return True
    elif action == "dispose":
        form = forms["dispose"] = DisposeForm(post, tenant=tenant)
        if form.is_valid():
            services.complaint_dispose(
                complaint=complaint,
                actor=user,
                opds=list(form.cleaned_data["opds"]),
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("Aduan diverifikasi dan didisposisikan."))
            return True
    elif action == "forward":
        form = forms["forward"] = ForwardForm(post, tenant=tenant)
        if form.is_valid():
            services.complaint_forward(
                complaint=complaint,
                actor=user,
                opd=form.cleaned_data["opd"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("Aduan diteruskan."))
            return True
    elif action in ("hold", "decline", "archive", "resolve", "close", "send_back"):
        form = forms["note"] = NoteForm(post)
        if form.is_valid():
            note = form.cleaned_data["note"]
            if action == "hold":
                services.complaint_hold(complaint=complaint, actor=user, note=note)
            elif action == "decline":
                services.complaint_decline(complaint=complaint, actor=user, reason=note)
            elif action == "archive":
                services.complaint_archive(complaint=complaint, actor=user, note=note)
            elif action == "close":
                services.complaint_close(complaint=complaint, actor=user, reason=note)
            elif action == "send_back":
                services.complaint_send_back(complaint=complaint, actor=user, reason=note)
            else:
                services.complaint_resolve(complaint=complaint, actor=user, note=note)
            messages.success(request, _("Status aduan diperbarui."))
            return True
    elif action == "respond":
        form = forms["response"] = ResponseForm(post, request.FILES)
        if form.is_valid():
            services.response_add(
                complaint=complaint,
                actor=user,
                body=form.cleaned_data["body"],
                is_public=form.cleaned_data["is_public"],
                photos=form.cleaned_data["photos"],
            )
            messages.success(request, _("Tanggapan disimpan."))
            return True
    else:
        messages.error(request, _("Tindakan tidak dikenal."))
    return False


@staff_page(Role.REGION_ADMIN, Role.OPD_OPERATOR)
def staff_new(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    """Staff enter a complaint that arrived by social media, the box, phone or in person."""
    form = StaffEntryForm(request.POST or None, request.FILES or None, tenant=tenant)
    if request.method == "POST" and form.is_valid():
        complaint = submit_form(request, tenant, form, channel=form.cleaned_data["channel"])
        if complaint is not None:
            user = request.user
            assert isinstance(user, User)  # noqa: S101
            if complaints_visible_to(user, tenant).filter(pk=complaint.pk).exists():
                return redirect("complaints:staff_detail", tenant.slug, complaint.pk)
            return redirect("complaints:staff_inbox", tenant.slug)
    return render(
        request,
        "complaints/staff_new.html",
        page_context(
            tenant,
            form=form,
            map_config=pick_map(tenant),
        ),
    )
