"""The public catalogue of services."""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from kotacerdas.services import selectors
from kotacerdas.services.models import (
    Notice,
)
from kotacerdas.tenants.access import tenant_page
from kotacerdas.tenants.models import Tenant


@tenant_page
def home(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    unread = 0
    if request.user.is_authenticated:
        unread = Notice.objects.filter(
            user=request.user, read_at__isnull=True, application__tenant=tenant
        ).count()
    return render(
        request,
        "services/home.html",
        {"services": selectors.service_catalogue(tenant), "unread": unread},
    )


@tenant_page
def service_detail(request: HttpRequest, tenant: Tenant, code: str) -> HttpResponse:
    service = get_object_or_404(
        selectors.service_catalogue(tenant).prefetch_related("fields"), code=code
    )
    return render(
        request,
        "services/service_detail.html",
        {
            "service": service,
            "token": uuid.uuid4(),
            "booking_rule": selectors.booking_rule_text(service)
            if service.needs_visit or service.offers_pickup
            else "",
        },
    )
