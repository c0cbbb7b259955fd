"""The dispatcher board, the wall screen, their fragment and map data."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import (
    HttpRequest,
    HttpResponse,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.utils import timezone

from kotacerdas.emergency import selectors
from kotacerdas.emergency.access import (
    BOARD_ROLES,
)
from kotacerdas.emergency.models import (
    Unit,
)
from kotacerdas.emergency.views._common import _user, desk_nav
from kotacerdas.tenants.access import staff_page
from kotacerdas.tenants.maps import map_config
from kotacerdas.tenants.models import Tenant


def _board_context(tenant: Tenant) -> dict[str, Any]:
    policy = selectors.policy_for(tenant)
    now = timezone.now()
    incidents = selectors.board_incidents(tenant)
    for incident in incidents:
        incident.breaches = selectors.incident_breaches(incident, policy, now)  # type: ignore[attr-defined]
    units = Unit.objects.filter(agency__tenant=tenant, agency__is_active=True).select_related(
        "agency"
    )
    return {
        "tenant": tenant,
        "incidents": incidents,
        "units": units.order_by("agency__short_name", "name"),
        "policy": policy,
        "last_event_id": selectors.last_event_id(tenant.pk),
    }


def _board_page(request: HttpRequest, tenant: Tenant, *, wall: bool) -> HttpResponse:
    context = _board_context(tenant)
    context["wall"] = wall
    context["nav"] = desk_nav(_user(request), tenant)
    context["map_conf"] = map_config(tenant)
    context["map_tile_url"] = settings.MAP_TILE_URL
    context["map_attribution"] = settings.MAP_TILE_ATTRIBUTION
    return render(request, "emergency/board.html", context)


@staff_page(*BOARD_ROLES)
def board(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    if request.GET.get("layar") == "dinding":  # the old address of the wall screen
        return redirect("emergency:wall", tenant.slug)
    return _board_page(request, tenant, wall=False)


@staff_page(*BOARD_ROLES)
def wall(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    """The board for the control room's wall: map, cards and every unit, no menu."""
    return _board_page(request, tenant, wall=True)


@staff_page(*BOARD_ROLES)
def board_fragment(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    context = _board_context(tenant)
    context["wall"] = request.GET.get("layar") == "dinding"
    return render(request, "emergency/_board.html", context)


@staff_page(*BOARD_ROLES)
def board_map(request: HttpRequest, tenant: Tenant) -> JsonResponse:
    """Open incidents with a map pin (no caller data)."""
    points = [
        {
            "id": i.pk,
            "number": i.number,
            "category": i.category.local_name,
            "state": i.get_state_display(),
            "lat": float(i.latitude),
            "lng": float(i.longitude),
            "place": i.landmark_text,
        }
        for i in selectors.board_incidents(tenant)
        if i.latitude is not None and i.longitude is not None
    ]
    return JsonResponse({"incidents": points})
