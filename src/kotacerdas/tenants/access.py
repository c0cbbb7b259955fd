"""Resolving a tenant or an OPD from a user-supplied slug or id, with region scoping."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from kotacerdas.tenants.models import Opd, Tenant
from kotacerdas.tenants.roles import TenantUser


def tenant_from_slug(slug: str) -> Tenant:
    """The active tenant behind a URL slug; 404 otherwise."""
    try:
        return Tenant.objects.select_related("region").get(slug=slug, is_active=True)
    except Tenant.DoesNotExist:
        raise Http404("tenant") from None


def tenant_from_code(code: str) -> Tenant:
    """The active tenant with this Kemendagri code (e.g. ``36.73``); 404 otherwise."""
    try:
        return Tenant.objects.select_related("region").get(region_id=code, is_active=True)
    except Tenant.DoesNotExist:
        raise Http404("tenant") from None


def access_opd(user: TenantUser, pk: int, *, for_write: bool = False) -> Opd:
    """An OPD the user may see: staff of its own tenant (region admins to change it); 404 otherwise."""
    try:
        opd = Opd.objects.select_related("tenant").get(pk=pk)
    except Opd.DoesNotExist:
        raise Http404("opd") from None
    if not user.is_authenticated or not user.can_see_tenant(opd.tenant):
        raise Http404("opd")
    if for_write and not user.administers(opd.tenant):
        raise Http404("opd")
    return opd


def tenant_page(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Resolves ``tenant_slug`` from the URL into ``request.tenant`` and a ``tenant`` argument."""

    @wraps(view)
    def wrapper(
        request: HttpRequest, tenant_slug: str, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        tenant = tenant_from_slug(tenant_slug)
        request.tenant = tenant  # type: ignore[attr-defined]
        return view(request, tenant, *args, **kwargs)

    return wrapper


def staff_page(
    *roles: str,
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """A tenant page for its own staff in ``roles`` (any staff role if none given).

    Anonymous visitors are sent to log in; everyone else who does not qualify,
    including staff of another region, gets a 404, so nobody learns what exists.
    """

    def decorate(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @tenant_page
        @wraps(view)
        def wrapper(
            request: HttpRequest, tenant: Tenant, *args: Any, **kwargs: Any
        ) -> HttpResponseBase:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not isinstance(user, TenantUser):  # AUTH_USER_MODEL always is
                raise Http404("staff")
            allowed = user.is_platform_admin or user.is_staff_of(tenant, *roles)
            if not allowed:
                raise Http404("staff")
            return view(request, tenant, *args, **kwargs)

        return wrapper

    return decorate
