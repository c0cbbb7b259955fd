"""Who may see and change the public Wi-Fi registry. Anyone else gets a 404.

The managing OPD's operators (Diskominfo by default) and the region administrator manage the
points; every staff member of the tenant (leaders, other OPDs) sees them; a provider's staff
see only their own provider's points, read-only."""

from __future__ import annotations

from django.http import Http404

from kotacerdas.accounts.models import Role, User
from kotacerdas.tenants.models import Tenant
from kotacerdas.wifi.models import Hotspot, HotspotQuerySet
from kotacerdas.wifi.services import settings_read


def can_manage(user: User, tenant: Tenant) -> bool:
    if not user.is_authenticated:
        return False
    if user.administers(tenant):
        return True
    managing = settings_read(tenant).managing_opd_id
    return (
        managing is not None
        and user.is_staff_of(tenant, Role.OPD_OPERATOR)
        and user.opd_id == managing
    )


def is_provider_of(user: User, tenant: Tenant) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and user.role == Role.PROVIDER
        and user.tenant_id == tenant.pk
    )


def hotspots_visible_to(user: User, tenant: Tenant) -> HotspotQuerySet:
    qs = Hotspot.objects.filter(tenant=tenant)
    if not user.is_authenticated:
        return qs.none()
    if user.can_see_tenant(tenant):
        return qs
    if is_provider_of(user, tenant):
        return qs.filter(provider__members=user)
    return qs.none()


def access_hotspot(user: User, pk: int, *, tenant: Tenant, for_write: bool = False) -> Hotspot:
    if for_write and not can_manage(user, tenant):
        raise Http404("hotspot")
    hotspot = (
        hotspots_visible_to(user, tenant)
        .select_related("tenant", "provider", "kelurahan", "opd")
        .filter(pk=pk)
        .first()
    )
    if hotspot is None:
        raise Http404("hotspot")
    return hotspot
