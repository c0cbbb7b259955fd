"""Citizens' pages (no account needed): report, nearby reports, "saya juga", tracking, the public list and photos."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited
from django_ratelimit.decorators import ratelimit
from django_ratelimit.exceptions import Ratelimited

from kotacerdas.accounts.models import User
from kotacerdas.complaints import selectors, services
from kotacerdas.complaints.access import (
    access_photo,
    citizen_complaint_by_token,
    public_complaint_by_ticket,
)
from kotacerdas.complaints.forms import (
    RatingForm,
    ReopenForm,
    ReportForm,
    TrackForm,
)
from kotacerdas.complaints.idempotency import browser_id, client_of
from kotacerdas.complaints.models import Category, Complaint, Status
from kotacerdas.complaints.views.common import (
    STATUS_BADGE,
    SUBMIT_RATE,
    bad_request,
    complaint_map,
    page_context,
    parts_of,
    pick_map,
    place_of,
    timeline_rows,
)
from kotacerdas.core.errors import DomainError
from kotacerdas.core.views import rate_limited
from kotacerdas.tenants.access import tenant_page
from kotacerdas.tenants.models import Tenant


@tenant_page
def public_home(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    recent = Complaint.objects.public().filter(tenant=tenant).select_related("category")[:5]
    return render(
        request,
        "complaints/public_home.html",
        page_context(tenant, recent=recent, track_form=TrackForm()),
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
                complaint = submit_form(request, tenant, form)
                if complaint is not None:
                    return redirect("complaints:follow", tenant.slug, complaint.tracking_token)
    else:
        form = ReportForm(tenant=tenant, initial={"category": request.GET.get("kategori")})
    return render(
        request,
        "complaints/report.html",
        page_context(tenant, form=form, nearby=nearby, map_config=pick_map(tenant)),
    )


def submit_form(
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
    return render(request, "complaints/_nearby.html", page_context(tenant, nearby=found))


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
    return render(request, "complaints/track.html", page_context(tenant, form=form))


@tenant_page
def ticket(request: HttpRequest, tenant: Tenant, ticket: str) -> HttpResponse:
    complaint = public_complaint_by_ticket(tenant, ticket)
    return render(
        request,
        "complaints/ticket.html",
        page_context(
            tenant,
            complaint=complaint,
            timeline=timeline_rows(selectors.public_timeline(complaint), complaint),
            photos=complaint.photos.published().filter(response__isnull=True),
            parts=parts_of(complaint),
            nearest=place_of(complaint),
            badge=STATUS_BADGE.get(complaint.status, ""),
            map_config=complaint_map([complaint], tenant),
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
        page_context(
            tenant,
            complaint=complaint,
            timeline=timeline_rows(selectors.public_timeline(complaint), complaint),
            photos=complaint.photos.published().filter(response__isnull=True),
            badge=STATUS_BADGE.get(complaint.status, ""),
            parts=parts_of(complaint),
            nearest=place_of(complaint),
            map_config=complaint_map([complaint], tenant, link=False),
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
    page, next_after = selectors.keyset_page(
        qs, order=("-created_at", "-pk"), after=request.GET.get("setelah", ""), size=30
    )
    return render(
        request,
        "complaints/public_list.html",
        page_context(
            tenant,
            page=page,
            next_after=next_after,
            categories=Category.objects.filter(tenant=tenant, is_active=True),
            category=category,
            map_config=complaint_map(page, tenant),
            badges=STATUS_BADGE,
        ),
    )


@tenant_page
def photo(request: HttpRequest, tenant: Tenant, pk: int) -> HttpResponse:
    """A public (re-encoded, EXIF-free) photo (secret complaints: see ``access_photo``)."""
    item = access_photo(request.user, pk, tenant=tenant, tracking_token=request.GET.get("t", ""))
    with item.image.open("rb") as image:  # re-encoded copies are small (at most 1600 px)
        return HttpResponse(image.read(), content_type="image/jpeg")
