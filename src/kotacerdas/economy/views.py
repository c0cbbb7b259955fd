"""Pages: the public portal (villages, products, events, requests with a private tracking link)
and the back office of village managers, producers and the offices."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django_ratelimit.decorators import ratelimit

from kotacerdas.accounts.models import User
from kotacerdas.core.errors import DomainError
from kotacerdas.economy import jsonld, services
from kotacerdas.economy.access import (
    access_assessment,
    access_request,
    access_village,
    can_work,
    is_tourism_office,
    requests_visible_to,
    villages_managed_by,
)
from kotacerdas.economy.config import ADWI_CATEGORIES, FACILITIES, product_groups
from kotacerdas.economy.forms import AssessmentForm, RatingForm, ReplyForm, RequestForm, ReviewForm
from kotacerdas.economy.models import (
    Attraction,
    Event,
    Homestay,
    Producer,
    Product,
    RequestKind,
    RequestStatus,
    TourismVillage,
    TourPackage,
    VillageClass,
    VisitorRequest,
)
from kotacerdas.regions.models import Region
from kotacerdas.tenants.access import tenant_page
from kotacerdas.tenants.maps import map_config
from kotacerdas.tenants.models import Tenant

CLASS_COLORS = {
    VillageClass.RINTISAN: "#8a8f98",
    VillageClass.BERKEMBANG: "#2f7ec1",
    VillageClass.MAJU: "#1a7f37",
    VillageClass.MANDIRI: "#7b3fb5",
}
PRODUCER_COLOR = "#b26b00"


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - the page checked a signed-in user
    return user


# --- public portal ----------------------------------------------------------------------------


@tenant_page
def portal(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    villages = TourismVillage.objects.filter(tenant=tenant, published=True).select_related(
        "village__parent"
    )
    producers = Producer.objects.filter(tenant=tenant).select_related("village__parent")
    kind = request.GET.get("daya_tarik", "")
    if kind in Attraction.Kind.values:
        villages = villages.filter(attractions__kind=kind).distinct()
    klass = request.GET.get("kelas", "")
    if klass in VillageClass.values:
        villages = villages.filter(village_class=klass)
    kecamatan = request.GET.get("kecamatan", "")[:13]
    if kecamatan:
        villages = villages.filter(village__parent_id=kecamatan)
        producers = producers.filter(village__parent_id=kecamatan)
    group = request.GET.get("kelompok", "")
    groups = product_groups()
    if group in groups:
        producers = producers.filter(products__group=group).distinct()
    villages_list = list(villages.order_by("name")[:500])
    producers_list = list(
        producers.prefetch_related(
            Prefetch("products", queryset=Product.objects.order_by("name"))
        ).order_by("name")[:500]
    )
    markers = [
        {
            "lat": float(v.lat),
            "lng": float(v.lng),
            "title": f"{v.name} · {v.get_village_class_display()}",
            "url": f"desa/{v.slug}/",
            "color": CLASS_COLORS[VillageClass(v.village_class)],
        }
        for v in villages_list
    ] + [
        {"lat": float(p.lat), "lng": float(p.lng), "title": p.name, "color": PRODUCER_COLOR}
        for p in producers_list
        if p.lat is not None and p.lng is not None
    ]
    today = timezone.localdate()
    events = (
        Event.objects.filter(village__tenant=tenant, village__published=True, ends_on__gte=today)
        .select_related("village")
        .order_by("starts_on")[:20]
    )
    return render(
        request,
        "economy/portal.html",
        {
            "tenant": tenant,
            "villages": villages_list,
            "producers": producers_list,
            "events": events,
            "map_conf": map_config(tenant, markers=markers),
            "kinds": Attraction.Kind.choices,
            "classes": VillageClass.choices,
            "groups": groups.items(),
            "kecamatans": Region.objects.districts_of(tenant.code).order_by("name"),
            "chosen": {"kind": kind, "klass": klass, "kecamatan": kecamatan, "group": group},
        },
    )


@tenant_page
def village(request: HttpRequest, tenant: Tenant, slug: str) -> HttpResponse:
    v = get_object_or_404(
        TourismVillage.objects.select_related("village__parent", "wifi_hotspot").prefetch_related(
            "attractions", "homestays", "packages", "events"
        ),
        tenant=tenant,
        slug=slug,
        published=True,
    )
    return render(
        request,
        "economy/village.html",
        {
            "tenant": tenant,
            "v": v,
            "jsonld": jsonld.script(jsonld.village(request, v)),
            "map_conf": map_config(
                tenant,
                center=[float(v.lat), float(v.lng)],
                zoom=14,
                markers=[{"lat": float(v.lat), "lng": float(v.lng), "title": v.name}],
            ),
            "facilities": [FACILITIES.get(f, f) for f in v.facilities],
        },
    )


@tenant_page
def product(request: HttpRequest, tenant: Tenant, producer_slug: str, slug: str) -> HttpResponse:
    p = get_object_or_404(
        Product.objects.select_related("producer__village__parent").prefetch_related("permits"),
        producer__tenant=tenant,
        producer__slug=producer_slug,
        slug=slug,
    )
    today = timezone.localdate()
    permits = [
        {"permit": permit, "expired": permit.expires_on is not None and permit.expires_on < today}
        for permit in p.permits.all()
    ]
    return render(
        request,
        "economy/product.html",
        {
            "tenant": tenant,
            "p": p,
            "group": product_groups().get(p.group, p.group),
            "permits": permits,
            "jsonld": jsonld.script(jsonld.product(request, p)),
        },
    )


def _target(tenant: Tenant, request: HttpRequest) -> dict[str, Any]:
    """What a request is about, from ``?homestay=ID``, ``?paket=ID``, ``?produk=ID`` or ``?desa=slug``."""

    def number(name: str) -> int | None:
        raw = request.GET.get(name, "")
        return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 12 else None

    if (pk := number("homestay")) is not None:
        h = get_object_or_404(
            Homestay.objects.select_related("village"),
            pk=pk,
            village__tenant=tenant,
            village__published=True,
        )
        return {"kind": RequestKind.HOMESTAY, "village": h.village, "homestay": h, "title": h.name}
    if (pk := number("paket")) is not None:
        t = get_object_or_404(
            TourPackage.objects.select_related("village"),
            pk=pk,
            village__tenant=tenant,
            village__published=True,
        )
        return {"kind": RequestKind.PACKAGE, "village": t.village, "package": t, "title": t.name}
    if (pk := number("produk")) is not None:
        p = get_object_or_404(
            Product.objects.select_related("producer"), pk=pk, producer__tenant=tenant
        )
        return {"kind": RequestKind.ORDER, "producer": p.producer, "product": p, "title": p.name}
    slug = request.GET.get("desa", "")[:80]
    v = get_object_or_404(TourismVillage, tenant=tenant, slug=slug, published=True)
    return {"kind": RequestKind.ENQUIRY, "village": v, "title": v.name}


@ratelimit(key="ip", rate="20/h", method="POST", block=True, group="economy-request")
@tenant_page
def request_new(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    target = _target(tenant, request)
    form = RequestForm(request.POST or None, kind=target["kind"])
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        try:
            req = services.request_submit(
                tenant=tenant,
                kind=target["kind"],
                village=target.get("village"),
                producer=target.get("producer"),
                homestay=target.get("homestay"),
                package=target.get("package"),
                product=target.get("product"),
                **data,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("economy:track", tenant.slug, req.token)
    return render(
        request,
        "economy/request_new.html",
        {"tenant": tenant, "form": form, "target": target},
        status=400 if request.method == "POST" else 200,
    )


@tenant_page
def track(request: HttpRequest, tenant: Tenant, token: str) -> HttpResponse:
    """The visitor's private page: status, the answer, cancel, and a rating after the visit."""
    req = get_object_or_404(
        VisitorRequest.objects.select_related(
            "village", "producer", "homestay", "package", "product"
        ),
        tenant=tenant,
        token=token[:40],
    )
    rating_form = (
        RatingForm(request.POST or None)
        if request.method == "POST" and "rating" in request.POST
        else RatingForm()
    )
    if request.method == "POST":
        try:
            if request.POST.get("cancel"):
                req = services.request_cancel(req=req)
            elif rating_form.is_valid():
                req = services.request_rate(req=req, rating=rating_form.cleaned_data["rating"])
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("economy:track", tenant.slug, req.token)
    return render(
        request,
        "economy/track.html",
        {
            "tenant": tenant,
            "req": req,
            "events": [
                (e, services.event_label(e))
                for e in req.events.filter(public=True).order_by("created_at", "pk")[:100]
            ],
            "rating_form": rating_form,
            "can_cancel": req.status in services.OPEN,
        },
    )


# --- back office ------------------------------------------------------------------------------


def _worker(request: HttpRequest, tenant: Tenant) -> User | HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    user = _user(request)
    if not can_work(user, tenant):
        raise Http404("economy")
    return user


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


@tenant_page
def assessment(request: HttpRequest, tenant: Tenant, village_pk: int, year: int) -> HttpResponse:
    user = _worker(request, tenant)
    if isinstance(user, HttpResponse):
        return user
    v = access_village(user, village_pk, tenant=tenant)
    if not 2015 <= year <= timezone.localdate().year + 1:
        raise Http404("year")
    if request.method == "POST":
        current = services.assessment_start(village=v, year=year)
        current = access_assessment(user, current.pk, tenant=tenant)
    else:  # the village is the user's (access_village); a GET stores nothing
        current = services.assessment_current(village=v, year=year)
    form = AssessmentForm(request.POST or None, answers=current.answers)
    review = ReviewForm(request.POST or None, initial={"village_class": v.village_class})
    if request.method == "POST":
        try:
            if "review" in request.POST:
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
        else:
            messages.success(request, _("Penilaian tersimpan."))
            return redirect("economy:assessment", tenant.slug, v.pk, year)
    history = [
        (a.year, services.category_scores(a), a.get_status_display(), a.reviewed_class)
        for a in v.assessments.order_by("-year")[:10]
    ]
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
        },
    )


@tenant_page
def figures(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    user = _worker(request, tenant)
    if isinstance(user, HttpResponse):
        return user
    since = timezone.now() - dt.timedelta(days=365)
    by_class = dict(
        TourismVillage.objects.filter(tenant=tenant)
        .values_list("village_class")
        .annotate(n=Count("id"))
    )
    months = list(
        requests_visible_to(user, tenant)
        .filter(created_at__gte=since)
        .values("kind")
        .annotate(n=Count("id"), answered=Count("id", filter=Q(answered_at__isnull=False)))
        .order_by("kind")
    )
    products = list(
        Product.objects.filter(producer__tenant=tenant)
        .values("group", "stars")
        .annotate(n=Count("id"))
        .order_by("group", "stars")
    )
    chart = {
        "tooltip": {},
        "xAxis": {"type": "category", "data": [str(label) for _v, label in VillageClass.choices]},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [{"type": "bar", "data": [by_class.get(v, 0) for v, _l in VillageClass.choices]}],
    }
    return render(
        request,
        "economy/figures.html",
        {
            "tenant": tenant,
            "chart": chart,
            "requests": months,
            "products": products,
            "groups": product_groups(),
            "kinds": dict(RequestKind.choices),
        },
    )
