"""Server-rendered pages: citizens (no account needed) and staff (triage, OPD inbox, statistics)."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited
from django_ratelimit.decorators import ratelimit
from django_ratelimit.exceptions import Ratelimited

from kotacerdas.accounts.models import Role, User
from kotacerdas.complaints import selectors, services
from kotacerdas.complaints.access import (
    access_complaint,
    citizen_complaint_by_token,
    complaints_visible_to,
    may_see_reporter,
    public_complaint_by_ticket,
)
from kotacerdas.complaints.escalation import escalation_context
from kotacerdas.complaints.forms import (
    ClassifyForm,
    DisposeForm,
    ForwardForm,
    InboxFilterForm,
    NoteForm,
    RatingForm,
    ReopenForm,
    ReportForm,
    ResponseForm,
    StaffEntryForm,
    TrackForm,
)
from kotacerdas.complaints.idempotency import browser_id, client_of
from kotacerdas.complaints.models import Category, Complaint, Photo, Status
from kotacerdas.complaints.workflow import COMPLAINT_WORKFLOW
from kotacerdas.core.errors import DomainError
from kotacerdas.core.exports import csv_response, xlsx_response
from kotacerdas.core.views import rate_limited
from kotacerdas.tenants.access import staff_page, tenant_page
from kotacerdas.tenants.models import Tenant

STAFF_ROLES = (Role.REGION_ADMIN, Role.OPD_OPERATOR, Role.LEADER)
SUBMIT_RATE = "20/h"
STATUS_BADGE: dict[str, str] = {
    Status.BARU: "warn",
    Status.DITUNDA: "warn",
    Status.DIDISPOSISI: "",
    Status.DIPROSES: "",
    Status.SELESAI: "ok",
    Status.DITUTUP: "ok",
    Status.BUKAN_WEWENANG: "",
    Status.DIARSIPKAN: "",
}
# Lazy: translated when a timeline is shown, in the reader's language.
EVENT_LABELS = {
    "submit": gettext_lazy("Laporan diterima"),
    "disposition": gettext_lazy("Disposisi"),
    "me_too": gettext_lazy("Dukungan warga (saya juga)"),
    "internal_note": gettext_lazy("Catatan internal"),
    "classify": gettext_lazy("Klasifikasi"),
    "escalate": gettext_lazy("Eskalasi keterlambatan"),
    "rate": gettext_lazy("Penilaian warga"),
}


def _event_label(action: str) -> str:
    label = EVENT_LABELS.get(action) or COMPLAINT_WORKFLOW.labels.get(action)
    # An action without a label shows as words, never as a raw code such as "Me_too".
    return str(label) if label else action.replace("_", " ")


def _timeline(events: Any, complaint: Complaint | None = None) -> list[dict[str, Any]]:
    rows = []
    for event in events:
        note = event.note
        if event.action == "submit" and complaint is not None:
            # Rendered from the stored channel, in the reader's language (older rows stored
            # the sentence itself in Indonesian).
            note = _("Diterima melalui %(channel)s.") % {"channel": complaint.get_channel_display()}
        rows.append(
            {
                "when": event.created_at,
                "label": _event_label(event.action).capitalize(),
                "note": note,
                "opd": event.opd,
                "status": Status(event.to_state).label if event.to_state else "",
                "actor": event.actor,
                "is_public": event.public,
                "action": event.action,
            }
        )
    return rows


def _map_config(complaints: Any, tenant: Tenant, *, link: bool = True) -> dict[str, Any]:
    """Markers link to the public ticket page, except on private pages (``link=False``), where
    the complaint may be secret."""
    markers = [
        {
            "lat": c.lat,
            "lng": c.long,
            "title": f"{c.ticket} · {c.category.name}",
            "url": reverse("complaints:ticket", args=[tenant.slug, c.ticket]) if link else "",
        }
        for c in complaints
        if c.lat is not None and c.long is not None
    ]
    view: dict[str, Any] = dict(tenant.map_view)
    if len(markers) == 1:  # one complaint: centre on it, close enough to see the street
        view = {"center": [markers[0]["lat"], markers[0]["lng"]], "zoom": 16}
    return {**view, "markers": markers}


def bad_request(request: HttpRequest, message: str, *, status: int = 400) -> HttpResponse:
    """A page that names what was wrong with the request (never a 500)."""
    return render(
        request,
        "core/error.html",
        {"title": _("Permintaan tidak dapat diproses"), "message": message},
        status=status,
    )


def _context(tenant: Tenant, **extra: Any) -> dict[str, Any]:
    return {
        "tenant": tenant,
        "MAP_TILE_URL": settings.MAP_TILE_URL,
        "MAP_TILE_ATTRIBUTION": settings.MAP_TILE_ATTRIBUTION,
        **extra,
    }


# --- citizens --------------------------------------------------------------------------------


def _parts(complaint: Complaint) -> list[Any]:
    """The OPDs working on the complaint now, each with its own progress."""
    return list(complaint.dispositions.filter(is_active=True).select_related("opd"))


@tenant_page
def public_home(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    recent = Complaint.objects.public().filter(tenant=tenant).select_related("category")[:5]
    return render(
        request,
        "complaints/public_home.html",
        _context(tenant, recent=recent, track_form=TrackForm()),
    )


def _submit_limited(request: HttpRequest) -> bool:
    """Counts one submission against the per-address and per-account limits; True when over."""
    return any(
        is_ratelimited(
            request, group=group, key=key, rate=SUBMIT_RATE, method="POST", increment=True
        )
        for group, key in (
            ("complaints.submit.ip", "ip"),
            ("complaints.submit.account", "user_or_ip"),
        )
    )


def _form_fingerprint(request: HttpRequest) -> str:
    ignored = {"csrfmiddlewaretoken", "idempotency_key", "confirm_new"}
    fields = {k: request.POST.getlist(k) for k in sorted(request.POST) if k not in ignored}
    return services.request_fingerprint(fields, request.FILES.getlist("photos"))


def _replay(request: HttpRequest, tenant: Tenant, key: str) -> Complaint | None:
    return services.idempotent_replay(
        tenant=tenant, client=client_of(request), key=key, fingerprint=_form_fingerprint(request)
    )


def _pick_map(tenant: Tenant) -> dict[str, Any]:
    return {**tenant.map_view, "pick": {"lat": "id_lat", "lng": "id_long"}}


@tenant_page
def report(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    nearby: list[Complaint] = []
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES, tenant=tenant)
        if form.is_valid():
            data = form.cleaned_data
            try:
                earlier = _replay(request, tenant, data["idempotency_key"])
            except DomainError as error:
                return bad_request(request, error.message, status=error.status)
            if earlier is not None:  # a retried submission of the same form: not counted again
                messages.info(request, _("Laporan ini sudah terkirim sebelumnya."))
                return redirect("complaints:follow", tenant.slug, earlier.tracking_token)
            if _submit_limited(request):
                return rate_limited(request, Ratelimited())
            if data["lat"] is not None and not data["confirm_new"]:
                nearby = selectors.nearby_similar(
                    tenant=tenant, category=data["category"], lat=data["lat"], long=data["long"]
                )
            if nearby:
                # Shown once: submitting the form again files the report.
                form = ReportForm(
                    {**request.POST.dict(), "confirm_new": "True"}, request.FILES, tenant=tenant
                )
                messages.warning(
                    request,
                    _(
                        "Ada laporan serupa di dekat lokasi Anda. Dukung salah satunya, atau kirim laporan baru."
                    ),
                )
            else:
                complaint = _submit(request, tenant, form)
                if complaint is not None:
                    return redirect("complaints:follow", tenant.slug, complaint.tracking_token)
    else:
        form = ReportForm(tenant=tenant, initial={"category": request.GET.get("kategori")})
    return render(
        request,
        "complaints/report.html",
        _context(tenant, form=form, nearby=nearby, map_config=_pick_map(tenant)),
    )


def _submit(
    request: HttpRequest, tenant: Tenant, form: ReportForm, *, channel: str = "web"
) -> Complaint | None:
    data = form.cleaned_data
    user = request.user if request.user.is_authenticated else None
    try:
        complaint, created = services.complaint_submit(
            tenant=tenant,
            category=data["category"],
            description=data["description"],
            channel=data.get("channel", channel),
            lat=data["lat"],
            long=data["long"],
            region=data["region"],
            address=data["address"],
            confidentiality=data["confidentiality"],
            reporter=user if channel == "web" else None,
            reporter_name=data["reporter_name"],
            reporter_email=data["reporter_email"],
            reporter_phone=data["reporter_phone"],
            photos=data["photos"],
            attributes=data.get("attributes", {}),
            idempotency_key=data["idempotency_key"],
            client=client_of(request),
            fingerprint=_form_fingerprint(request),
            entered_by=user if channel != "web" else None,
            language=translation.get_language() or "id",
        )
    except DomainError as error:
        form.add_error(None, error.message)
        return None
    # The receipt (with the private link) is queued by the service through the outbox.
    messages.success(
        request,
        _(
            "Laporan Anda diterima dengan nomor tiket %(ticket)s. Simpan tautan halaman ini untuk memantaunya."
        )
        % {"ticket": complaint.ticket}
        if created
        else _("Laporan ini sudah terkirim sebelumnya."),
    )
    return complaint


@tenant_page
def nearby(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    """The same-category reports near a pin (an htmx fragment of the report form)."""
    found: list[Complaint] = []
    try:
        category = Category.objects.get(tenant=tenant, pk=int(request.GET.get("category", "")))
        lat, long = float(request.GET.get("lat", "")), float(request.GET.get("long", ""))
        found = selectors.nearby_similar(tenant=tenant, category=category, lat=lat, long=long)
    except (ValueError, Category.DoesNotExist):
        pass
    return render(request, "complaints/_nearby.html", _context(tenant, nearby=found))


@tenant_page
@require_POST
@ratelimit(key="ip", rate="60/h", method="POST", block=False)
def me_too(request: HttpRequest, tenant: Tenant, ticket: str) -> HttpResponse:
    if getattr(request, "limited", False):
        return rate_limited(request, Ratelimited())
    complaint = public_complaint_by_ticket(tenant, ticket)
    user = request.user if isinstance(request.user, User) else None
    try:
        complaint, added = services.complaint_me_too(
            complaint=complaint, user=user, browser=browser_id(request)
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Terima kasih, dukungan Anda dicatat pada %(ticket)s.") % {"ticket": complaint.ticket}
            if added
            else _("Anda sudah mendukung %(ticket)s sebelumnya.") % {"ticket": complaint.ticket},
        )
    return redirect("complaints:ticket", tenant.slug, complaint.ticket)


@tenant_page
def track(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    form = TrackForm(request.GET or None)
    if form.is_valid():
        ticket = form.cleaned_data["ticket"].strip().upper()
        if Complaint.objects.public().filter(tenant=tenant, ticket=ticket).exists():
            return redirect("complaints:ticket", tenant.slug, ticket)
        form.add_error(
            "ticket", _("Nomor tiket tidak ditemukan. Periksa lagi, misalnya SRG-2026-000123.")
        )
    return render(request, "complaints/track.html", _context(tenant, form=form))


@tenant_page
def ticket(request: HttpRequest, tenant: Tenant, ticket: str) -> HttpResponse:
    complaint = public_complaint_by_ticket(tenant, ticket)
    return render(
        request,
        "complaints/ticket.html",
        _context(
            tenant,
            complaint=complaint,
            timeline=_timeline(selectors.public_timeline(complaint), complaint),
            photos=complaint.photos.filter(response__isnull=True),
            parts=_parts(complaint),
            badge=STATUS_BADGE.get(complaint.status, ""),
            map_config=_map_config([complaint], tenant),
        ),
    )


@tenant_page
def follow(request: HttpRequest, tenant: Tenant, token: str) -> HttpResponse:
    """The reporter's private page (link given at submission): confirm, reopen, rate."""
    complaint = citizen_complaint_by_token(tenant, token)
    reopen_form, rating_form = ReopenForm(), RatingForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "confirm":
                services.complaint_confirm(complaint=complaint)
                messages.success(request, _("Terima kasih, penyelesaian telah Anda konfirmasi."))
                return redirect(request.path)
            if action == "reopen":
                reopen_form = ReopenForm(request.POST)
                if reopen_form.is_valid():
                    services.complaint_reopen(
                        complaint=complaint, reason=reopen_form.cleaned_data["reason"]
                    )
                    messages.success(
                        request,
                        _("Aduan dibuka kembali dan dikirim lagi ke OPD yang menanganinya."),
                    )
                    return redirect(request.path)
            if action == "rate":
                rating_form = RatingForm(request.POST)
                if rating_form.is_valid():
                    services.complaint_rate(
                        complaint=complaint,
                        rating=rating_form.cleaned_data["rating"],
                        comment=rating_form.cleaned_data["comment"],
                    )
                    messages.success(request, _("Terima kasih atas penilaian Anda."))
                    return redirect(request.path)
        except DomainError as error:
            messages.error(request, error.message)
        complaint.refresh_from_db()
    return render(
        request,
        "complaints/follow.html",
        _context(
            tenant,
            complaint=complaint,
            timeline=_timeline(selectors.public_timeline(complaint), complaint),
            photos=complaint.photos.filter(response__isnull=True),
            badge=STATUS_BADGE.get(complaint.status, ""),
            parts=_parts(complaint),
            map_config=_map_config([complaint], tenant, link=False),
            token=complaint.tracking_token,
            reopen_form=reopen_form,
            rating_form=rating_form,
            can_reopen=complaint.status == Status.SELESAI,
            can_rate=complaint.status in (Status.SELESAI, Status.DITUTUP),
        ),
    )


@tenant_page
def public_list(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    qs = Complaint.objects.public().filter(tenant=tenant).select_related("category", "region")
    category = request.GET.get("kategori", "")
    if category:
        qs = qs.filter(category__code=category)
    page = Paginator(qs, 30).get_page(request.GET.get("halaman"))
    return render(
        request,
        "complaints/public_list.html",
        _context(
            tenant,
            page=page,
            categories=Category.objects.filter(tenant=tenant, is_active=True),
            category=category,
            map_config=_map_config(page.object_list, tenant),
            badges=STATUS_BADGE,
        ),
    )


@tenant_page
def photo(request: HttpRequest, tenant: Tenant, pk: int) -> HttpResponse:
    """A public (re-encoded, EXIF-free) photo. Photos of secret complaints are for staff only."""
    item = Photo.objects.select_related("complaint").filter(pk=pk, complaint__tenant=tenant).first()
    if item is None:
        raise Http404("photo")
    if item.complaint.confidentiality == "rahasia":
        user = request.user
        reporter = request.GET.get("t") == item.complaint.tracking_token  # the reporter's own link
        if not reporter and (
            not isinstance(user, User)
            or not complaints_visible_to(user, tenant).filter(pk=item.complaint_id).exists()
        ):
            raise Http404("photo")
    with item.image.open("rb") as image:  # re-encoded copies are small (at most 1600 px)
        return HttpResponse(image.read(), content_type="image/jpeg")


# --- staff -----------------------------------------------------------------------------------


@staff_page(*STAFF_ROLES)
def staff_inbox(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - staff_page guarantees it
    qs = complaints_visible_to(user, tenant)
    filters = InboxFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    rows = selectors.inbox_for_opd(
        qs=qs,
        status=data.get("status", ""),
        severity=data.get("severity", ""),
        overdue=bool(data.get("overdue")),
    )
    page = Paginator(rows, 50).get_page(request.GET.get("halaman"))
    overdue_count = qs.overdue().count()
    return render(
        request,
        "complaints/staff_inbox.html",
        _context(
            tenant,
            page=page,
            filters=filters,
            overdue_count=overdue_count,
            now=timezone.now(),
            is_admin=user.administers(tenant),
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
        "dispose": DisposeForm(tenant=tenant, initial={"opds": [complaint.category.opd_id]}),
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
        _context(
            tenant,
            complaint=complaint,
            forms=forms,
            is_admin=is_admin,
            actions=actions,
            own_disposition=own,
            answers=_answers(complaint),
            show_reporter=may_see_reporter(user, complaint),
            can_act=user.role != Role.LEADER,
            timeline=_timeline(complaint.events.select_related("opd", "actor"), complaint),
            responses=complaint.responses.select_related("opd", "author").prefetch_related(
                "photos"
            ),
            dispositions=complaint.dispositions.select_related("opd"),
            photos=complaint.photos.filter(response__isnull=True),
            badge=STATUS_BADGE.get(complaint.status, ""),
            escalation=escalation_context(user, tenant, complaint),
            map_config=_map_config([complaint], tenant, link=False),
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
    elif action in ("hold", "decline", "archive", "resolve", "close"):
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
        complaint = _submit(request, tenant, form, channel=form.cleaned_data["channel"])
        if complaint is not None:
            user = request.user
            assert isinstance(user, User)  # noqa: S101
            if complaints_visible_to(user, tenant).filter(pk=complaint.pk).exists():
                return redirect("complaints:staff_detail", tenant.slug, complaint.pk)
            return redirect("complaints:staff_inbox", tenant.slug)
    return render(
        request,
        "complaints/staff_new.html",
        _context(
            tenant,
            form=form,
            map_config=_pick_map(tenant),
        ),
    )


FIRST_YEAR, LAST_YEAR = 2000, 2100
STAT_HEADERS = [
    "opd",
    "bulan",
    "diterima",
    "ditanggapi",
    "tingkat_tanggapan",
    "median_jam_tanggapan_pertama",
    "median_jam_penyelesaian",
    "porsi_dalam_sla",
    "dibuka_kembali",
    "rata_rata_nilai",
]


def _stat_rows(tenant: Tenant, year: int | None) -> list[list[Any]]:
    return [
        [
            r.opd,
            r.month,
            r.received,
            r.responded,
            r.response_rate,
            r.median_hours_first_response,
            r.median_hours_resolution,
            r.within_sla_share,
            r.reopens,
            r.average_rating,
        ]
        for r in selectors.statistics_per_opd_month(tenant=tenant, year=year)
    ]


@staff_page(*STAFF_ROLES)
def statistics(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    raw_year = request.GET.get("tahun", "")
    if not raw_year:
        year = timezone.localdate().year
    elif re.fullmatch(r"[0-9]{4}", raw_year) and FIRST_YEAR <= int(raw_year) <= LAST_YEAR:
        year = int(raw_year)
    else:
        return bad_request(
            request,
            _("Tahun harus angka antara %(first)d dan %(last)d.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR},
        )
    rows = _stat_rows(tenant, year)
    if request.GET.get("format") == "csv":
        return csv_response(f"statistik-aduan-{tenant.slug}-{year}", STAT_HEADERS, rows)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            f"statistik-aduan-{tenant.slug}-{year}", STAT_HEADERS, rows, title=str(year)
        )
    per_opd: dict[str, list[int]] = {}
    for row in rows:
        totals = per_opd.setdefault(row[0], [0, 0])
        totals[0] += row[2]
        totals[1] += row[3]
    opds = sorted(per_opd)
    chart = {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [_("Diterima"), _("Ditanggapi")]},
        "grid": {"left": 40, "right": 10, "bottom": 60},
        "xAxis": {"type": "category", "data": opds, "axisLabel": {"rotate": 30}},
        "yAxis": {"type": "value"},
        "series": [
            {"name": _("Diterima"), "type": "bar", "data": [per_opd[o][0] for o in opds]},
            {"name": _("Ditanggapi"), "type": "bar", "data": [per_opd[o][1] for o in opds]},
        ],
    }
    months = sorted({row[1] for row in rows})
    by_month = {m: [r for r in rows if r[1] == m] for m in months}
    trend = {
        "tooltip": {"trigger": "axis"},
        "xAxis": {"type": "category", "data": months},
        "yAxis": {"type": "value", "max": 1},
        "grid": {"left": 40, "right": 10},
        "series": [
            {
                "name": _("Porsi dalam SLA"),
                "type": "line",
                "data": [
                    round(
                        sum(r[7] * r[2] for r in by_month[m])
                        / max(sum(r[2] for r in by_month[m]), 1),
                        3,
                    )
                    for m in months
                ],
            }
        ],
    }
    status_counts = dict(
        Complaint.objects.filter(tenant=tenant, created_at__year=year)
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    return render(
        request,
        "complaints/statistics.html",
        _context(
            tenant,
            rows=rows,
            year=year,
            chart=chart,
            trend=trend,
            status_counts=[(Status(s).label, n) for s, n in status_counts.items()],
            overdue=Complaint.objects.filter(tenant=tenant).overdue().count(),
            open_total=Complaint.objects.filter(tenant=tenant).open().count(),
        ),
    )
