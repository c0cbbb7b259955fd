"""A notice is its recipient's alone: anyone else gets a 404."""

from __future__ import annotations

from django.http import Http404

from kotacerdas.accounts.models import User
from kotacerdas.notifications.models import Channel, Notification
from kotacerdas.tenants.models import Tenant


def access_notification(user: User, pk: int) -> Notification:
    """The signed-in user's own in-app notice ``pk``; 404 for anything else."""
    if not user.is_authenticated:
        raise Http404("notification")
    try:
        return Notification.objects.get(pk=pk, user=user, channel=Channel.INAPP)
    except Notification.DoesNotExist:
        raise Http404("notification") from None


def access_email(user: User, pk: int, *, tenant: Tenant, for_write: bool = False) -> Notification:
    """An email of ``tenant`` for its region administrator (or the platform's); 404 otherwise."""
    if not user.is_authenticated or not (user.is_platform_admin or user.administers(tenant)):
        raise Http404("notification")
    try:
        return Notification.objects.get(pk=pk, tenant=tenant, channel=Channel.EMAIL)
    except Notification.DoesNotExist:
        raise Http404("notification") from None
