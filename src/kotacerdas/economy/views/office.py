"""The back office: the request inbox of village managers and producers, and the ADWI self-assessment."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import User
from kotacerdas.core.errors import DomainError
from kotacerdas.economy import services
from kotacerdas.economy.access import (
    access_assessment,
    access_request,
    access_village,
    is_tourism_office,
    producers_managed_by,
    requests_visible_to,
    villages_managed_by,
)
from kotacerdas.economy.config import ADWI_CATEGORIES
from kotacerdas.economy.forms import (
    AssessmentForm,
    EvidenceForm,
    ReplyForm,
    ReviewForm,
)
from kotacerdas.economy.models import (
    Assessment,
    Product,
    RequestStatus,
    TourismVillage,
)
from kotacerdas.economy.views.common import _worker
from kotacerdas.tenants.access import tenant_page
from kotacerdas.tenants.models import Tenant


@tenant_page
def inbox(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    user = _worker(request, tenant)
    if isinstance(user, HttpResponse):
        return user
    qs = requests_visible_to(user, tenant).select_related(
        "village", "producer", "homestay", "package", "product"
    )
    status = request.GET.get("status", "")
    if status in RequestStatus.values:
        qs = qs.filter(status=status)
    before = request.GET.get("sebelum", "")
    if before.isascii() and before.isdigit() and len(before) < 12:
        qs = qs.filter(pk__lt=int(before))
    rows = list(qs.order_by("-pk")[:51])
    return render(
        request,
        "economy/inbox.html",
        {
            "tenant": tenant,
            "rows": rows[:50],
            "next": rows[49].pk if len(rows) > 50 else None,
            "status": status,
            "statuses": RequestStatus.choices,
            "villages": villages_managed_by(user, tenant).order_by("name")[:100],
            "products": Product.objects.filter(
                producer__in=producers_managed_by(user, tenant).values("pk")
            )
            .select_related("producer")
            .order_by("producer__name", "name")[:100],
            "today": timezone.localdate(),
        },
    )


@tenant_page
def request_detail(request: HttpRequest, tenant: Tenant, pk: int) -> HttpResponse:
    user = _worker(request, tenant)
    if isinstance(user, HttpResponse):
        return user
    req = access_request(user, pk, tenant=tenant)
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_act(
                req=req,
                action=form.cleaned_data["action"],
                actor=user,
                reply=form.cleaned_data["reply"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Tersimpan; pengunjung diberi kabar lewat surel."))
            return redirect("economy:request", tenant.slug, req.pk)
    return render(
        request,
        "economy/request_detail.html",
        {
            "tenant": tenant,
            "req": req,
            "form": form,
            "events": [
                (e, services.event_label(e))
                for e in req.events.select_related("actor").order_by("created_at", "pk")[:100]
            ],
            "actions": services.REQUEST_WORKFLOW.actions_from(req.status),
        },
        status=400 if request.method == "POST" else 200,
    )


def _evidence_post(
    request: HttpRequest, current: Assessment, evidence_form: EvidenceForm, user: User
) -> None:
    """Attaches an uploaded evidence file, or detaches one (``remove_evidence=<pk>``)."""
    raw = request.POST.get("remove_evidence", "")
    if raw:
        if not (raw.isascii() and raw.isdigit() and len(raw) < 12):
            raise DomainError(_("Berkas tidak ditemukan."), code="invalid")
        services.evidence_remove(assessment=current, evidence_pk=int(raw))
        return
    if not evidence_form.is_valid():
        raise DomainError(_("Pilih kategori dan berkasnya."), code="invalid")
    services.evidence_add(
        assessment=current,
        category=evidence_form.cleaned_data["category"],
        upload=evidence_form.cleaned_data["file"],
        actor=user,
    )


def _assessment_of(
    request: HttpRequest, user: User, village: TourismVillage, year: int, *, tenant: Tenant
) -> Assessment:
    """The year's assessment, stored on a POST; on a GET the unsaved copy it would start as (a
    GET stores nothing; the village is the user's: access_village)."""
    if request.method != "POST":
        return services.assessment_current(village=village, year=year)
    current = services.assessment_start(village=village, year=year)
    return access_assessment(user, current.pk, tenant=tenant)


def _evidence_by_category(current: Assessment) -> dict[str, list[Any]]:
    """The assessment's evidence by ADWI category; when it is not stored yet (a GET), the
    latest earlier year's files, which it will start with."""
    source: Assessment | None = current
    if current.pk is None:
        source = current.village.assessments.filter(year__lt=current.year).order_by("-year").first()
    files: dict[str, list[Any]] = defaultdict(list)
    for item in source.evidence_files.order_by("created_at", "pk")[:100] if source else []:
        files[item.category].append(item)
    return files


@tenant_page
def assessment(request: HttpRequest, tenant: Tenant, village_pk: int, year: int) -> HttpResponse:
    user = _worker(request, tenant)
    if isinstance(user, HttpResponse):
        return user
    v = access_village(user, village_pk, tenant=tenant)
    if not 2015 <= year <= timezone.localdate().year + 1:
        raise Http404("year")
    current = _assessment_of(request, user, v, year, tenant=tenant)
    form = AssessmentForm(request.POST or None, answers=current.answers)
    review = ReviewForm(request.POST or None, initial={"village_class": v.village_class})
    evidence_form = EvidenceForm(
        request.POST if "evidence" in request.POST else None, request.FILES or None
    )
    status = 200
    if request.method == "POST":
        try:
            if "remove_evidence" in request.POST or "evidence" in request.POST:
                _evidence_post(request, current, evidence_form, user)
            elif "review" in request.POST:
                if not is_tourism_office(user, tenant) or not review.is_valid():
                    raise DomainError(_("Telaah oleh dinas pariwisata."), code="not_office")
                services.assessment_review(
                    assessment=current,
                    village_class=review.cleaned_data["village_class"],
                    note=review.cleaned_data["note"],
                )
            elif form.is_valid():
                services.assessment_save(assessment=current, answers=form.answers())
                if "submit" in request.POST:
                    services.assessment_submit(assessment=current)
            else:
                raise DomainError(_("Periksa isian."), code="invalid")
        except DomainError as exc:
            messages.error(request, exc.message)
            status = exc.status
        else:
            messages.success(request, _("Penilaian tersimpan."))
            return redirect("economy:assessment", tenant.slug, v.pk, year)
    history = [
        (a.year, services.category_scores(a), a.get_status_display(), a.reviewed_class)
        for a in v.assessments.order_by("-year")[:10]
    ]
    files = _evidence_by_category(current)
    return render(
        request,
        "economy/assessment.html",
        {
            "tenant": tenant,
            "v": v,
            "a": current,
            "form": form,
            "review": review,
            "office": is_tourism_office(user, tenant),
            "categories": ADWI_CATEGORIES,
            "history": history,
            "evidence_form": evidence_form,
            "evidence": [(label, files.get(code, [])) for code, label in ADWI_CATEGORIES.items()],
        },
        status=status,
    )
