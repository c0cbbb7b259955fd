"""The public portal: villages, products, and visitor requests with a private tracking link."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django_ratelimit.decorators import ratelimit

from kotacerdas.core.errors import DomainError
from kotacerdas.economy import jsonld, services
from kotacerdas.economy.config import FACILITIES, product_groups
from kotacerdas.economy.forms import (
    RatingForm,
    RequestForm,
)
from kotacerdas.economy.models import (
    Attraction,
    Event,
    Homestay,
    Producer,
    Product,
    RequestKind,
    TourismVillage,
    TourPackage,
    VillageClass,
    VisitorRequest,
)
from kotacerdas.economy.views.common import CLASS_COLORS, PRODUCER_COLOR, _photo_urls
from kotacerdas.regions.models import Region
from kotacerdas.tenants.access import tenant_page
from kotacerdas.tenants.maps import map_config
from kotacerdas.tenants.models import Tenant

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
    general: list[dict[str, Any]] = []
    by_part: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
    for photo in v.photos.order_by("created_at", "pk")[: services.MAX_PHOTOS]:
        item = _photo_urls(request, tenant, photo)
        if photo.attraction_id:
            by_part["a", photo.attraction_id].append(item)
        elif photo.homestay_id:
            by_part["h", photo.homestay_id].append(item)
        else:
            general.append(item)
    images = {
        "village": [i["absolute"] for i in general],
        **{f"{kind}{pk}": [i["absolute"] for i in items] for (kind, pk), items in by_part.items()},
    }
    cover = general[0] if general else next(iter(by_part.values()), [None])[0]
    return render(
        request,
        "economy/village.html",
        {
            "tenant": tenant,
            "v": v,
            "jsonld": jsonld.script(jsonld.village(request, v, images=images)),
            "map_conf": map_config(
                tenant,
                center=[float(v.lat), float(v.lng)],
                zoom=14,
                markers=[{"lat": float(v.lat), "lng": float(v.lng), "title": v.name}],
            ),
            "facilities": [FACILITIES.get(f, f) for f in v.facilities],
            "photos": general,
            "attractions": [(a, by_part.get(("a", a.pk), [])) for a in v.attractions.all()],
            "homestays": [(h, by_part.get(("h", h.pk), [])) for h in v.homestays.all()],
            "cover": cover,
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
    photos = [
        _photo_urls(request, tenant, photo)
        for photo in p.photos.order_by("created_at", "pk")[: services.MAX_PHOTOS]
    ]
    return render(
        request,
        "economy/product.html",
        {
            "tenant": tenant,
            "p": p,
            "group": product_groups().get(p.group, p.group),
            "permits": permits,
            "jsonld": jsonld.script(
                jsonld.product(request, p, images=[i["absolute"] for i in photos])
            ),
            "photos": photos,
            "cover": photos[0] if photos else None,
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
