"""Who may open the command centre of a tenant, and with what scope.

Leaders and region administrators see the whole tenant; an OPD operator sees only the
figures of their own OPD; the platform superadmin sees every tenant. Anyone else, including
staff of another tenant, gets a 404.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import Role, User
from kotacerdas.core.errors import DomainError
from kotacerdas.dashboard.selectors import Scope, kecamatan_choices
from kotacerdas.tenants.models import Tenant

VIEWER_ROLES = (Role.LEADER, Role.REGION_ADMIN, Role.OPD_OPERATOR)


def dashboard_scope(user: User, tenant: Tenant, *, kecamatan: str = "") -> Scope:
    """The scope ``user`` may see on ``tenant``'s dashboard, narrowed to ``kecamatan`` (a
    Kemendagri code of one of the tenant's kecamatan). Raises Http404 for anyone without
    access and ``DomainError`` for a kecamatan outside the tenant."""
    if not user.is_authenticated:
        raise Http404("dashboard")
    if not (user.is_platform_admin or user.is_staff_of(tenant, *VIEWER_ROLES)):
        raise Http404("dashboard")
    opd_id = None
    if not user.is_platform_admin and user.role == Role.OPD_OPERATOR:
        if user.opd_id is None:
            raise Http404("dashboard")
        opd_id = user.opd_id
    if kecamatan and kecamatan not in dict(kecamatan_choices(tenant)):
        raise DomainError(
            _("Kecamatan “%(code)s” tidak ada di wilayah ini.") % {"code": kecamatan[:20]},
            code="invalid_kecamatan",
        )
    return Scope(tenant, kecamatan or None, opd_id)
