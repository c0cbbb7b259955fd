"""``/api/v1/wifi``: the registry for the tenant's staff tokens, and the public points."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from kotacerdas.accounts.models import User
from kotacerdas.core.api_errors import ErrorOut
from kotacerdas.core.errors import DomainError
from kotacerdas.tenants.access import tenant_from_slug
from kotacerdas.wifi import selectors, services
from kotacerdas.wifi.access import access_hotspot, can_manage, hotspots_visible_to
from kotacerdas.wifi.models import Hotspot, SiteType
from kotacerdas.wifi.schemas import HotspotIn, HotspotOut, PublicHotspotOut

router = Router(tags=["wifi"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - both authenticators return a User
    return user


def _out(h: Hotspot) -> HotspotOut:
    return HotspotOut(
        id=h.pk,
        name=h.name,
        site_type=h.site_type,
        lat=h.lat,
        long=h.lng,
        ssid=h.ssid,
        status=h.status,
        health=h.health,
        health_since=h.health_since,
        last_checked_at=h.last_checked_at,
        check_url=h.check_url,
        check_interval_s=h.check_interval_s,
    )


@router.post("/hotspots", response={201: HotspotOut, **ERRORS})
def hotspot_create(request: HttpRequest, payload: HotspotIn) -> Status[HotspotOut]:
    """Registers a point (a staff token of the tenant's managing OPD or administrator)."""
    user = _user(request)
    tenant = user.tenant
    if tenant is None or not can_manage(user, tenant):
        raise Http404("wifi")
    if payload.site_type not in SiteType.values:
        raise DomainError(_("Jenis lokasi tidak dikenal."), code="invalid_site_type")
    try:
        hotspot = services.hotspot_create(
            tenant=tenant,
            actor=user,
            name=payload.name,
            lat=Decimal(str(payload.lat)).quantize(Decimal("0.000001")),
            lng=Decimal(str(payload.long)).quantize(Decimal("0.000001")),
            check_url=str(payload.check_url) if payload.check_url else "",
            check_host=payload.check_host,
            check_interval_s=payload.check_interval_s,
            ssid=payload.ssid,
            site_type=payload.site_type,
        )
    except ValidationError as exc:
        first = next(iter(exc.message_dict.items()))
        raise DomainError(f"{first[0]}: {first[1][0]}", code="invalid") from exc
    return Status(201, _out(hotspot))


@router.get("/hotspots/{hotspot_id}", response={200: HotspotOut, **ERRORS})
def hotspot_read(request: HttpRequest, hotspot_id: int) -> HotspotOut:
    user = _user(request)
    if user.tenant is None:
        raise Http404("wifi")
    return _out(access_hotspot(user, hotspot_id, tenant=user.tenant))


class ListQuery(Schema):
    after: int = 0
    limit: int = 100


@router.get("/hotspots", response={200: list[HotspotOut], **ERRORS})
def hotspot_list(request: HttpRequest, query: Query[ListQuery]) -> list[HotspotOut]:
    """The points the token's user may see, by id; page with ``after`` = the last id seen."""
    user = _user(request)
    if user.tenant is None:
        raise Http404("wifi")
    if not 1 <= query.limit <= 500 or not 0 <= query.after < 2**62:
        raise DomainError(_("limit 1–500, after ≥ 0."), code="invalid_paging")
    qs = hotspots_visible_to(user, user.tenant).filter(pk__gt=query.after).order_by("pk")
    return [_out(h) for h in qs[: query.limit]]


@router.get(
    "/public/{tenant_slug}/hotspots", auth=None, response={200: list[PublicHotspotOut], **ERRORS}
)
def public_hotspots(request: HttpRequest, tenant_slug: str) -> list[PublicHotspotOut]:
    """The citizens' map as data: name, place, SSID and health. No login."""
    tenant = tenant_from_slug(tenant_slug)
    return [
        PublicHotspotOut(
            id=p["id"],
            name=p["name"],
            site_type=p["site_type"],
            lat=p["lat"],
            long=p["lng"],
            ssid=p["ssid"],
            health=p["health"],
        )
        for p in selectors.public_points(tenant)
    ]
