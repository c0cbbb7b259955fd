"""Helpers shared by the planning pages."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from kotacerdas.accounts.models import Role, User
from kotacerdas.planning.access import (
    can_manage,
)
from kotacerdas.tenants.models import Tenant

LEADERS = (Role.LEADER, Role.REGION_ADMIN)


def signed_in_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - staff_page lets only signed-in users through
    return user


def admin_only(request: HttpRequest, tenant: Tenant) -> None:
    if not can_manage(signed_in_user(request), tenant):
        raise Http404("admin")
