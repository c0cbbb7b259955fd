"""Who may see and change devices, rules and alerts. Everything else gets a 404.

Every staff member of the tenant may see its devices and alerts; the owner OPD's staff and the
region administrator manage a device."""

from __future__ import annotations

from django.http import Http404

from kotacerdas.accounts.models import Role, User
from kotacerdas.sensors.models import Alert, AlertRule, Device
from kotacerdas.tenants.models import Tenant


def can_see(user: User, tenant: Tenant) -> bool:
    return user.is_authenticated and (user.is_platform_admin or user.is_staff_of(tenant))


def can_manage(user: User, tenant: Tenant, device: Device | None = None) -> bool:
    """Region administrators; with a device, also the staff of its owner OPD."""
    if not user.is_authenticated:
        return False
    if user.is_platform_admin or user.is_staff_of(tenant, Role.REGION_ADMIN):
        return True
    return (
        device is not None
        and device.opd_id is not None
        and user.is_staff_of(tenant)
        and user.opd_id == device.opd_id
    )


def access_device(user: User, pk: int, *, tenant: Tenant, for_write: bool = False) -> Device:
    try:
        device = Device.objects.select_related("tenant", "opd", "kelurahan").get(
            pk=pk, tenant=tenant
        )
    except Device.DoesNotExist:
        raise Http404("device") from None
    if not can_see(user, tenant):
        raise Http404("device")
    if for_write and not can_manage(user, tenant, device):
        raise Http404("device")
    return device


def access_alert(user: User, pk: int, *, tenant: Tenant, for_write: bool = False) -> Alert:
    try:
        alert = Alert.objects.select_related("device", "rule").get(pk=pk, tenant=tenant)
    except Alert.DoesNotExist:
        raise Http404("alert") from None
    if not can_see(user, tenant) or (for_write and not can_manage(user, tenant, alert.device)):
        raise Http404("alert")
    return alert


def access_rule(user: User, pk: int, *, tenant: Tenant, for_write: bool = False) -> AlertRule:
    try:
        rule = AlertRule.objects.select_related("device").get(pk=pk, tenant=tenant)
    except AlertRule.DoesNotExist:
        raise Http404("rule") from None
    if not can_see(user, tenant) or (for_write and not can_manage(user, tenant, rule.device)):
        raise Http404("rule")
    return rule
