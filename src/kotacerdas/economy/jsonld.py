"""schema.org JSON-LD for search engines, and the Smart Data Models ``TouristDestination``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.html import json_script
from django.utils.safestring import SafeString, mark_safe

from kotacerdas.economy.config import product_groups
from kotacerdas.economy.models import Product, TourismVillage


def _geo(lat: Any, lng: Any) -> dict[str, Any]:
    return {"@type": "GeoCoordinates", "latitude": float(lat), "longitude": float(lng)}


def _with_image(data: dict[str, Any], images: list[str]) -> dict[str, Any]:
    if images:
        data["image"] = images
    return data


def village(
    request: HttpRequest, v: TourismVillage, *, images: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    """``images``: absolute photo URLs under ``village``, ``a<pk>`` (an attraction) and
    ``h<pk>`` (a homestay)."""
    images = images or {}
    url = request.build_absolute_uri()
    places = [
        _with_image(
            {
                "@type": "TouristAttraction",
                "name": a.name,
                "description": a.description,
                "touristType": a.get_kind_display(),
            },
            images.get(f"a{a.pk}", []),
        )
        for a in v.attractions.all()
    ]
    lodging = [
        _with_image(
            {
                "@type": "LodgingBusiness",
                "name": h.name,
                "description": h.description,
                "numberOfRooms": h.rooms,
                "address": {
                    "@type": "PostalAddress",
                    "addressLocality": v.village.name,
                    "addressCountry": "ID",
                },
                "makesOffer": {
                    "@type": "Offer",
                    "price": str(h.price_per_night),
                    "priceCurrency": "IDR",
                    "description": "per malam",
                },
            },
            images.get(f"h{h.pk}", []),
        )
        for h in v.homestays.all()
    ]
    events = [
        {
            "@type": "Event",
            "name": e.name,
            "description": e.description,
            "startDate": e.starts_on.isoformat(),
            "endDate": e.ends_on.isoformat(),
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "location": {"@type": "Place", "name": v.name, "geo": _geo(v.lat, v.lng)},
        }
        for e in v.events.all()
    ]
    destination = {
        "@context": "https://schema.org",
        "@type": "TouristDestination",
        "@id": url,
        "url": url,
        "name": v.name,
        "description": v.story,
        "geo": _geo(v.lat, v.lng),
        "address": {
            "@type": "PostalAddress",
            "addressLocality": v.village.name,
            "addressCountry": "ID",
        },
        "includesAttraction": places + lodging,
        "subjectOf": events,
    }
    return _with_image(destination, images.get("village", []))


def product(request: HttpRequest, p: Product, *, images: list[str] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": p.name,
        "description": p.description,
        "category": str(product_groups().get(p.group, p.group)),
        "url": request.build_absolute_uri(),
        "brand": {"@type": "Organization", "name": p.producer.name},
        "offers": {
            "@type": "AggregateOffer",
            "lowPrice": str(p.price_min),
            "highPrice": str(p.price_max),
            "priceCurrency": "IDR",
            "offers": [
                {
                    "@type": "Offer",
                    "price": str(p.price_min),
                    "priceCurrency": "IDR",
                    "unitText": p.unit,
                }
            ],
        },
    }
    if p.stars:
        data["award"] = f"OVOP ★{p.stars}"
    return _with_image(data, images or [])


def smart_data_destination(v: TourismVillage, url: str) -> dict[str, Any]:
    """The FIWARE Smart Data Models ``TouristDestination`` entity (normalised keys)."""
    return {
        "id": f"urn:ngsi-ld:TouristDestination:{v.tenant.slug}:{v.slug}",
        "type": "TouristDestination",
        "name": v.name,
        "description": v.story,
        "location": {"type": "Point", "coordinates": [float(v.lng), float(v.lat)]},
        "address": {"addressLocality": v.village.name, "addressCountry": "ID"},
        "touristDestinationType": sorted({a.kind for a in v.attractions.all()}),
        "url": url,
        "@context": [
            "https://raw.githubusercontent.com/smart-data-models/dataModel.Tourism/master/context.jsonld"
        ],
    }


def script(data: dict[str, Any]) -> SafeString:
    """``<script type="application/ld+json">`` with the data escaped as Django's json_script
    does (no ``</script>`` can break out of it)."""
    html = json_script(data)
    return mark_safe(html.replace('type="application/json"', 'type="application/ld+json"', 1))  # noqa: S308 - escaped by json_script
