"""A notice is its recipient's alone: anyone else gets a 404."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from kotacerdas.notifications.models import Channel, Notification
from kotacerdas.tenants.models import Tenant
from kotacerdas.tenants.roles import TenantUser


def access_notification(user: AbstractBaseUser | AnonymousUser, pk: int) -> Notification:
    """The signed-in user's own in-app notice ``pk``; 404 for anything else."""
    if not user.is_authenticated:
        raise Http404("notification")
    try:
        return Notification.objects.get(pk=pk, user_id=user.pk, channel=Channel.INAPP)
    except Notification.DoesNotExist:
        raise Http404("notification") from None


def access_email(
    user: TenantUser, pk: int, *, tenant: Tenant, for_write: bool = False
) -> Notification:
    """An email of ``tenant`` for its region administrator (or the platform's); 404 otherwise."""
    if not user.is_authenticated or not (user.is_platform_admin or user.administers(tenant)):
        raise Http404("notification")
    try:
        return Notification.objects.get(pk=pk, tenant=tenant, channel=Channel.EMAIL)
    except Notification.DoesNotExist:
        raise Http404("notification") from None
