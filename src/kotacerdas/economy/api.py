"""``/api/v1/economy``: villages, attractions, events and products, public and read-only, paged
by id (``after`` = the last id seen); and villages as Smart Data Models TouristDestination."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from kotacerdas.core.api_errors import ErrorOut
from kotacerdas.core.errors import DomainError
from kotacerdas.economy import jsonld
from kotacerdas.economy.models import Event, Product, TourismVillage
from kotacerdas.tenants.access import tenant_from_slug

router = Router(tags=["economy"])
ERRORS = {400: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class Page(Schema):
    after: int = 0
    limit: int = 50


def _page(query: Page) -> tuple[int, int]:
    if not 1 <= query.limit <= 200 or not 0 <= query.after < 2**62:
        raise DomainError(_("limit 1–200, after ≥ 0."), code="invalid_paging")
    return query.after, query.limit


class VillageOut(Schema):
    id: int
    slug: str
    name: str
    village_code: str
    village_class: str
    lat: Decimal
    lng: Decimal
    attractions: list[dict[str, str]]
    homestays: int
    url: str


class EventOut(Schema):
    id: int
    name: str
    starts_on: dt.date
    ends_on: dt.date
    village: str


class ProductOut(Schema):
    id: int
    name: str
    producer: str
    group: str
    price_min: Decimal
    price_max: Decimal
    unit: str
    stars: int | None
    permits: list[dict[str, Any]]
    url: str


@router.get("/{tenant_slug}/villages", auth=None, response={200: list[VillageOut], **ERRORS})
def villages(request: HttpRequest, tenant_slug: str, query: Query[Page]) -> list[VillageOut]:
    tenant = tenant_from_slug(tenant_slug)
    after, limit = _page(query)
    rows = (
        TourismVillage.objects.filter(tenant=tenant, published=True, pk__gt=after)
        .prefetch_related("attractions", "homestays")
        .order_by("pk")[:limit]
    )
    return [
        VillageOut(
            id=v.pk,
            slug=v.slug,
            name=v.name,
            village_code=v.village_id,
            village_class=v.village_class,
            lat=v.lat,
            lng=v.lng,
            attractions=[{"name": a.name, "kind": a.kind} for a in v.attractions.all()],
            homestays=len(v.homestays.all()),
            url=request.build_absolute_uri(reverse("economy:village", args=[tenant.slug, v.slug])),
        )
        for v in rows
    ]


@router.get(
    "/{tenant_slug}/villages/{village_id}/smart-data",
    auth=None,
    response={200: dict[str, Any], **ERRORS},
)
def village_smart_data(request: HttpRequest, tenant_slug: str, village_id: int) -> dict[str, Any]:
    """The village as a Smart Data Models ``TouristDestination`` entity."""
    tenant = tenant_from_slug(tenant_slug)
    v = (
        TourismVillage.objects.filter(tenant=tenant, published=True, pk=village_id)
        .select_related("village", "tenant")
        .prefetch_related("attractions")
        .first()
    )
    if v is None:
        raise DomainError(_("Desa wisata tidak ditemukan."), code="not_found", status=404)
    url = request.build_absolute_uri(reverse("economy:village", args=[tenant.slug, v.slug]))
    return jsonld.smart_data_destination(v, url)


@router.get("/{tenant_slug}/events", auth=None, response={200: list[EventOut], **ERRORS})
def events(request: HttpRequest, tenant_slug: str, query: Query[Page]) -> list[EventOut]:
    tenant = tenant_from_slug(tenant_slug)
    after, limit = _page(query)
    rows = (
        Event.objects.filter(village__tenant=tenant, village__published=True, pk__gt=after)
        .select_related("village")
        .order_by("pk")[:limit]
    )
    return [
        EventOut(
            id=e.pk, name=e.name, starts_on=e.starts_on, ends_on=e.ends_on, village=e.village.name
        )
        for e in rows
    ]


@router.get("/{tenant_slug}/products", auth=None, response={200: list[ProductOut], **ERRORS})
def products(request: HttpRequest, tenant_slug: str, query: Query[Page]) -> list[ProductOut]:
    tenant = tenant_from_slug(tenant_slug)
    after, limit = _page(query)
    rows = (
        Product.objects.filter(producer__tenant=tenant, pk__gt=after)
        .select_related("producer")
        .prefetch_related("permits")
        .order_by("pk")[:limit]
    )
    return [
        ProductOut(
            id=p.pk,
            name=p.name,
            producer=p.producer.name,
            group=p.group,
            price_min=p.price_min,
            price_max=p.price_max,
            unit=p.unit,
            stars=p.stars,
            permits=[
                {"kind": x.kind, "number": x.number, "expires_on": x.expires_on}
                for x in p.permits.all()
            ],
            url=request.build_absolute_uri(
                reverse("economy:product", args=[tenant.slug, p.producer.slug, p.slug])
            ),
        )
        for p in rows
    ]
