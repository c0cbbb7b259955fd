"""Photos (public once the village is published) and ADWI evidence files (private)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import User
from kotacerdas.core.errors import DomainError
from kotacerdas.economy import services
from kotacerdas.economy.access import (
    access_evidence,
    access_photo,
    access_product,
    access_village,
)
from kotacerdas.economy.forms import (
    PhotoForm,
)
from kotacerdas.economy.models import (
    Photo,
    Product,
    TourismVillage,
)
from kotacerdas.economy.views.common import _photo_urls, _user, _worker
from kotacerdas.tenants.access import tenant_page
from kotacerdas.tenants.models import Tenant

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
