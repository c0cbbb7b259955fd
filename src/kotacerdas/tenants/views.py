"""The portal (the list of tenants, a tenant's home page), the tenant's boundary (GeoJSON,
public) and the administrator's map settings page."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kotacerdas.core.errors import DomainError
from kotacerdas.core.views import public_entries, staff_entries
from kotacerdas.tenants.access import staff_page, tenant_page
from kotacerdas.tenants.forms import MapSettingsForm
from kotacerdas.tenants.maps import map_config
from kotacerdas.tenants.models import Tenant
from kotacerdas.tenants.roles import REGION_ADMIN
from kotacerdas.tenants.services import tenant_set_map


def home(request: HttpRequest) -> HttpResponse:
    tenants = (
        Tenant.objects.filter(is_active=True).select_related("region").order_by("-region__name")
    )
    return render(request, "core/home.html", {"tenants": tenants})


@tenant_page
def tenant_home(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    return render(
        request,
        "core/tenant_home.html",
        {"entries": public_entries(), "work": staff_entries(request.user, tenant)},
    )


@require_GET
@tenant_page
def boundary(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    """The boundary as GeoJSON. Maps ask with ``?v=<version>``, so it may be cached for long."""
    shape = Tenant.objects.filter(pk=tenant.pk).values_list("boundary", flat=True).get()
    if not shape:
        raise Http404("boundary")
    response = JsonResponse(shape, content_type="application/geo+json")
    patch_cache_control(response, public=True, max_age=86400)
    return response


@staff_page(REGION_ADMIN)
def map_settings(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    form = MapSettingsForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "center_lat": tenant.map_center_lat,
            "center_lng": tenant.map_center_lng,
            "zoom": tenant.map_zoom,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            tenant_set_map(
                tenant=tenant,
                center_lat=data["center_lat"],
                center_lng=data["center_lng"],
                zoom=data["zoom"],
                boundary=data["boundary_file"],
                clear_boundary=data["clear_boundary"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Pengaturan peta disimpan."))
            return redirect("tenants:map_settings", tenant.slug)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "tenants/map_settings.html",
        {
            "form": form,
            "map_config": map_config(tenant, pick={"lat": "id_center_lat", "lng": "id_center_lng"}),
        },
        status=status,
    )
