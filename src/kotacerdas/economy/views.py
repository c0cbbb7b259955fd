"""Pages: the public portal (villages, products, events, requests with a private tracking link)
and the back office of village managers, producers and the offices."""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
import re
from collections import defaultdict
from typing import Any

import icalendar
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django_ratelimit.decorators import ratelimit

from kotacerdas.accounts.models import User
from kotacerdas.core.errors import DomainError
from kotacerdas.core.exports import XLSX_CONTENT_TYPE, csv_response, download_response, xlsx_bytes
from kotacerdas.core.middleware import error_response
from kotacerdas.economy import jsonld, selectors, services
from kotacerdas.economy.access import (
    access_assessment,
    access_evidence,
    access_photo,
    access_product,
    access_request,
    access_village,
    can_work,
    is_tourism_office,
    producers_managed_by,
    requests_counted_for,
    requests_visible_to,
    villages_managed_by,
)
from kotacerdas.economy.config import ADWI_CATEGORIES, FACILITIES, product_groups
from kotacerdas.economy.forms import (
    AssessmentForm,
    EvidenceForm,
    PhotoForm,
    RatingForm,
    ReplyForm,
    RequestForm,
    ReviewForm,
)
from kotacerdas.economy.models import (
    Assessment,
    Attraction,
    Event,
    Homestay,
    Photo,
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


def _photo_urls(request: HttpRequest, tenant: Tenant, photo: Photo) -> dict[str, Any]:
    return {
        "photo": photo,
        "full": reverse("economy:photo", args=[tenant.slug, photo.pk]),
        "thumb": reverse("economy:photo_thumb", args=[tenant.slug, photo.pk]),
        "absolute": request.build_absolute_uri(
            reverse("economy:photo", args=[tenant.slug, photo.pk])
        ),
    }


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


# --- figures ----------------------------------------------------------------------------------

FIGURE_MONTHS = 12


def _figures(user: User, tenant: Tenant) -> dict[str, Any]:
    """The figures page's tables (requests: ``requests_counted_for``)."""
    today = timezone.localdate()
    months = selectors.last_months(tenant, FIGURE_MONTHS, today=today)
    groups = product_groups()
    classes = dict(VillageClass.choices)
    return {
        "requests": selectors.requests_per_month(requests_counted_for(user, tenant), months),
        "villages": [
            {**row, "class_label": classes.get(row["village_class"], row["village_class"])}
            for row in selectors.villages_by_class_and_kecamatan(tenant)
        ],
        "products": [
            {**row, "group_label": groups.get(row["group"], row["group"])}
            for row in selectors.products_by_group_and_stars(tenant)
        ],
        "permits": list(selectors.permits_expiring(tenant, today=today)[:200]),
    }


def _figure_tables(data: dict[str, Any]) -> dict[str, tuple[str, list[str], list[list[Any]]]]:
    """Each table of the figures page as (title, headers, rows), for CSV and XLSX."""
    return {
        "permintaan": (
            _("Permintaan per bulan"),
            [_("Bulan"), _("Pertanyaan"), _("Pemesanan"), _("Dijawab"), _("Median jawaban (jam)")],
            [
                [r.month, r.enquiries, r.bookings, r.answered, r.median_first_answer_hours]
                for r in data["requests"]
            ],
        ),
        "desa": (
            _("Desa wisata"),
            [_("Kecamatan"), _("Klasifikasi"), _("Desa wisata")],
            [[r["kecamatan_name"], str(r["class_label"]), r["n"]] for r in data["villages"]],
        ),
        "produk": (
            _("Produk OVOP"),
            [_("Kelompok"), _("Bintang"), _("Produk")],
            [[str(r["group_label"]), r["stars"], r["n"]] for r in data["products"]],
        ),
        "izin": (
            _("Izin berakhir 90 hari"),
            [_("Berakhir"), _("Izin"), _("Nomor"), _("Produk"), _("Produsen")],
            [
                [
                    p.expires_on,
                    p.get_kind_display(),
                    p.number,
                    p.product.name,
                    p.product.producer.name,
                ]
                for p in data["permits"]
            ],
        ),
    }


def _charts(data: dict[str, Any]) -> dict[str, Any]:
    months = [r.month for r in data["requests"]]
    by_class: dict[str, int] = defaultdict(int)
    for row in data["villages"]:
        by_class[row["village_class"]] += row["n"]
    groups = sorted({str(r["group_label"]) for r in data["products"]})
    star_levels: list[int | None] = [5, 4, 3, 2, 1, None]
    counts = {(str(r["group_label"]), r["stars"]): r["n"] for r in data["products"]}
    return {
        "requests": {
            "tooltip": {"trigger": "axis"},
            "legend": {"bottom": 0},
            "grid": {"left": 40, "right": 40, "top": 20, "bottom": 60},
            "xAxis": {"type": "category", "data": months},
            "yAxis": [
                {"type": "value", "minInterval": 1},
                {"type": "value", "name": _("jam")},
            ],
            "series": [
                {
                    "name": _("Pertanyaan"),
                    "type": "bar",
                    "stack": "n",
                    "data": [r.enquiries for r in data["requests"]],
                },
                {
                    "name": _("Pemesanan"),
                    "type": "bar",
                    "stack": "n",
                    "data": [r.bookings for r in data["requests"]],
                },
                {
                    "name": _("Median jawaban pertama (jam)"),
                    "type": "line",
                    "yAxisIndex": 1,
                    "connectNulls": True,
                    "data": [r.median_first_answer_hours for r in data["requests"]],
                },
            ],
        },
        "classes": {
            "tooltip": {},
            "xAxis": {
                "type": "category",
                "data": [str(label) for _v, label in VillageClass.choices],
            },
            "yAxis": {"type": "value", "minInterval": 1},
            "series": [
                {"type": "bar", "data": [by_class.get(v, 0) for v, _l in VillageClass.choices]}
            ],
        },
        "products": {
            "tooltip": {"trigger": "axis"},
            "legend": {"bottom": 0},
            "grid": {"left": 40, "right": 10, "top": 20, "bottom": 60},
            "xAxis": {"type": "category", "data": groups},
            "yAxis": {"type": "value", "minInterval": 1},
            "series": [
                {
                    "name": f"★{stars}" if stars else _("belum dinilai"),
                    "type": "bar",
                    "stack": "n",
                    "data": [counts.get((g, stars), 0) for g in groups],
                }
                for stars in star_levels
            ],
        },
    }


@tenant_page
def figures(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    user = _worker(request, tenant)
    if isinstance(user, HttpResponse):
        return user
    data = _figures(user, tenant)
    return render(
        request,
        "economy/figures.html",
        {
            "tenant": tenant,
            **data,
            "charts": _charts(data),
            "tables": [(key, title) for key, (title, _h, _r) in _figure_tables(data).items()],
        },
    )


@tenant_page
def figures_export(request: HttpRequest, tenant: Tenant, table: str, fmt: str) -> HttpResponse:
    """One table as CSV (``<table>.csv``) or every table as one workbook (``semua.xlsx``)."""
    user = _worker(request, tenant)
    if isinstance(user, HttpResponse):
        return user
    tables = _figure_tables(_figures(user, tenant))
    stamp = f"{timezone.localdate():%Y%m%d}"
    if fmt == "xlsx" and table == "semua":
        return download_response(
            f"angka-wisata-ovop-{tenant.slug}-{stamp}.xlsx",
            xlsx_bytes(list(tables.values())),
            XLSX_CONTENT_TYPE,
        )
    if fmt == "csv" and table in tables:
        _title, headers, rows = tables[table]
        return csv_response(f"{table}-{tenant.slug}-{stamp}", headers, rows)
    raise Http404("table")


# --- photos ----------------------------------------------------------------------------------


def _public_photo(tenant: Tenant, pk: int) -> Photo:
    photo = (
        Photo.objects.filter(tenant=tenant, pk=pk)
        .filter(Q(village__published=True) | Q(product__isnull=False))
        .first()
    )
    if photo is None:
        raise Http404("photo")
    return photo


def _jpeg_response(field: Any) -> HttpResponse:
    # Read whole (at most 1600 px, a few hundred KB): under ASGI a FileResponse's synchronous
    # iterator is read into memory anyway, with a warning.
    with field.open("rb") as fh:
        response = HttpResponse(fh.read(), content_type="image/jpeg")
    # A photo's bytes never change under its id (a new upload is a new photo).
    response["Cache-Control"] = "public, max-age=604800, immutable"
    return response


@tenant_page
def photo(request: HttpRequest, tenant: Tenant, pk: int) -> HttpResponse:
    return _jpeg_response(_public_photo(tenant, pk).image)


@tenant_page
def photo_thumb(request: HttpRequest, tenant: Tenant, pk: int) -> HttpResponse:
    return _jpeg_response(_public_photo(tenant, pk).thumb)


def _photo_page(
    request: HttpRequest,
    tenant: Tenant,
    user: User,
    *,
    village: TourismVillage | None = None,
    product: Product | None = None,
) -> HttpResponse:
    parts: list[tuple[str, str]] = []
    if village is not None:
        parts = [(f"a{a.pk}", a.name) for a in village.attractions.order_by("name")[:100]] + [
            (f"h{h.pk}", f"{_('Homestay')}: {h.name}")
            for h in village.homestays.order_by("name")[:100]
        ]
    form = PhotoForm(request.POST or None, request.FILES or None, parts=parts)
    if request.method == "POST":
        try:
            if remove := request.POST.get("remove", ""):
                if not (remove.isascii() and remove.isdigit() and len(remove) < 12):
                    raise DomainError(_("Foto tidak dikenal."), code="invalid")
                services.photo_remove(photo=access_photo(user, int(remove), tenant=tenant))
                messages.success(request, _("Foto dihapus."))
                return redirect(request.path)
            if form.is_valid():
                part = form.cleaned_data.get("part") or ""
                services.photo_add(
                    upload=form.cleaned_data["image"],
                    actor=user,
                    village=village,
                    product=product,
                    attraction=village.attractions.filter(pk=int(part[1:])).first()
                    if village and part.startswith("a")
                    else None,
                    homestay=village.homestays.filter(pk=int(part[1:])).first()
                    if village and part.startswith("h")
                    else None,
                    caption=form.cleaned_data["caption"],
                )
                messages.success(request, _("Foto tersimpan dan tampil di halaman publik."))
                return redirect(request.path)
        except DomainError as exc:
            form.add_error("image" if "image" in form.fields else None, exc.message)
    owner = (
        Photo.objects.filter(village=village) if village else Photo.objects.filter(product=product)
    )
    photos = [
        _photo_urls(request, tenant, p)
        for p in owner.select_related("attraction", "homestay").order_by("created_at", "pk")[
            : services.MAX_PHOTOS
        ]
    ]
    if village is not None:
        public_url = reverse("economy:village", args=[tenant.slug, village.slug])
    else:
        assert product is not None  # noqa: S101 - one of the two is given
        public_url = reverse(
            "economy:product", args=[tenant.slug, product.producer.slug, product.slug]
        )
    return render(
        request,
        "economy/photos.html",
        {
            "tenant": tenant,
            "owner": village or product,
            "public_url": public_url,
            "form": form,
            "photos": photos,
            "max_photos": services.MAX_PHOTOS,
        },
        status=400 if request.method == "POST" else 200,
    )


@tenant_page
def village_photos(request: HttpRequest, tenant: Tenant, village_pk: int) -> HttpResponse:
    user = _worker(request, tenant)
    if isinstance(user, HttpResponse):
        return user
    v = access_village(user, village_pk, tenant=tenant, for_write=True)
    return _photo_page(request, tenant, user, village=v)


@tenant_page
def product_photos(request: HttpRequest, tenant: Tenant, product_pk: int) -> HttpResponse:
    user = _worker(request, tenant)
    if isinstance(user, HttpResponse):
        return user
    p = access_product(user, product_pk, tenant=tenant, for_write=True)
    return _photo_page(request, tenant, user, product=p)


# --- ADWI evidence files ------------------------------------------------------------------------


@tenant_page
def evidence(request: HttpRequest, tenant: Tenant, pk: int) -> HttpResponse:
    """An evidence file: the village's managers and the tourism office only; everyone else,
    anonymous visitors included, gets 404 (no sign-in prompt tells that it exists)."""
    if not request.user.is_authenticated:
        raise Http404("evidence")
    item = access_evidence(_user(request), pk, tenant=tenant)
    with item.file.open("rb") as fh:  # at most 10 MB (core.uploads)
        response = HttpResponse(fh.read(), content_type=item.content_type)
    response["Content-Disposition"] = content_disposition_header(True, item.original_name) or ""
    response["Cache-Control"] = "private, no-store"
    return response


# --- events calendar ----------------------------------------------------------------------------

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@tenant_page
def calendar(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    """A month grid of the published villages' events (``?bulan=YYYY-MM``), with the same
    events as a list below it for small screens."""
    today = timezone.localdate()
    raw = request.GET.get("bulan", "")
    if not raw:
        year, month = today.year, today.month
    elif (match := MONTH.match(raw)) and 2000 <= int(match[1]) <= 2100 and 1 <= int(match[2]) <= 12:
        year, month = int(match[1]), int(match[2])
    else:
        return error_response(
            request, status=400, code="invalid_month", message=_("Bulan ditulis YYYY-MM.")
        )
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first, last = weeks[0][0], weeks[-1][-1]
    events = list(
        Event.objects.filter(
            village__tenant=tenant, village__published=True, starts_on__lte=last, ends_on__gte=first
        )
        .select_related("village")
        .order_by("starts_on", "name")[:300]
    )
    grid = [
        [
            {
                "date": day,
                "in_month": day.month == month,
                "today": day == today,
                "events": [e for e in events if e.starts_on <= day <= e.ends_on],
            }
            for day in week
        ]
        for week in weeks
    ]
    this = dt.date(year, month, 1)
    previous = (this - dt.timedelta(days=1)).replace(day=1)
    following = (this + dt.timedelta(days=32)).replace(day=1)
    return render(
        request,
        "economy/calendar.html",
        {
            "tenant": tenant,
            "month": this,
            "grid": grid,
            "weekdays": weeks[0],
            "events": [e for e in events if e.ends_on >= this and e.starts_on < following],
            "previous": f"{previous:%Y-%m}",
            "next": f"{following:%Y-%m}",
        },
    )


ICS_PAST_DAYS = 365


@tenant_page
def calendar_ics(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    """The tenant's village events as iCalendar (RFC 5545): from a year ago on, at most 1000."""
    since = timezone.localdate() - dt.timedelta(days=ICS_PAST_DAYS)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//kotacerdas//desa wisata//ID")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{_('Acara desa wisata')} · {tenant.short_name}")
    stamp = timezone.now()
    host = request.get_host()
    for e in (
        Event.objects.filter(village__tenant=tenant, village__published=True, ends_on__gte=since)
        .select_related("village")
        .order_by("starts_on", "pk")[:1000]
    ):
        item = icalendar.Event()
        item.add("uid", f"economy-event-{e.pk}@{host}")
        item.add("dtstamp", stamp)
        item.add("dtstart", e.starts_on)
        item.add("dtend", e.ends_on + dt.timedelta(days=1))  # all-day: the end is exclusive
        item.add("summary", e.name)
        if e.description:
            item.add("description", e.description)
        item.add("location", e.village.name)
        item.add(
            "url",
            request.build_absolute_uri(
                reverse("economy:village", args=[tenant.slug, e.village.slug])
            ),
        )
        cal.add_component(item)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="acara-{tenant.slug}.ics"'
    return response
