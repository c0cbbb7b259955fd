"""What every desk page shares: the signed-in user and the role-aware menu."""

from __future__ import annotations

from django.http import (
    HttpRequest,
)

from kotacerdas.accounts.models import Role, User
from kotacerdas.emergency.access import (
    BOARD_ROLES,
    INTAKE_ROLES,
    REPORT_ROLES,
    is_desk,
)
from kotacerdas.tenants.models import Tenant


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # noqa: S101 - staff_page guarantees a signed-in user
    return request.user


def desk_nav(user: User, tenant: Tenant) -> dict[str, bool]:
    """Which desk pages the user's role opens (the menu links only those)."""
    return {
        "intake": is_desk(user, tenant, *INTAKE_ROLES),
        "board": is_desk(user, tenant, *BOARD_ROLES),
        "blocks": is_desk(user, tenant, Role.SUPERVISOR),
        "reports": is_desk(user, tenant, *REPORT_ROLES),
    }
