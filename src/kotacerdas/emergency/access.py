"""Who may see and change what on the 112 desk. Everything else gets a 404."""

from __future__ import annotations

from django.http import Http404

from kotacerdas.accounts.models import Role, User
from kotacerdas.emergency.models import Agency, AgencyAccount, Incident, NumberBlock, Unit
from kotacerdas.tenants.models import Tenant

DESK_ROLES = (Role.CALLTAKER, Role.DISPATCHER, Role.SUPERVISOR)
INTAKE_ROLES = (Role.CALLTAKER, Role.SUPERVISOR)
DISPATCH_ROLES = (Role.DISPATCHER, Role.SUPERVISOR)
REPORT_ROLES = (Role.SUPERVISOR, Role.LEADER)
# Leaders watch the board (read-only: no intake, dispatch or steps).
BOARD_ROLES = (*DESK_ROLES, Role.LEADER)


def agency_of(user: User) -> Agency | None:
    """The agency a user acts for (an agency account), or None."""
    if not user.is_authenticated or not user.is_active:
        return None
    try:
        return user.emergency_agency.agency
    except AgencyAccount.DoesNotExist:
        return None


def is_desk(user: User, tenant: Tenant, *roles: str) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_platform_admin or user.is_staff_of(tenant, *(roles or DESK_ROLES))


def require_desk(user: User, tenant: Tenant, *roles: str) -> None:
    if not is_desk(user, tenant, *roles):
        raise Http404("emergency")


def access_incident(user: User, pk: int, *, for_write: bool = False) -> Incident:
    """Desk staff of the incident's tenant may see it (dispatchers and supervisors change it);
    an agency account only incidents its agency was dispatched to."""
    try:
        incident = Incident.objects.select_related("tenant", "category", "kelurahan__parent").get(
            pk=pk
        )
    except Incident.DoesNotExist:
        raise Http404("incident") from None
    roles = DISPATCH_ROLES if for_write else BOARD_ROLES
    if is_desk(user, incident.tenant, *roles):
        return incident
    agency = agency_of(user)
    if agency is not None and incident.dispatches.filter(agency=agency).exists():
        return incident
    raise Http404("incident")


def access_unit(user: User, pk: int, *, for_write: bool = False) -> Unit:
    """Dispatchers and supervisors of the tenant, or the unit's own agency."""
    try:
        unit = Unit.objects.select_related("agency__tenant").get(pk=pk)
    except Unit.DoesNotExist:
        raise Http404("unit") from None
    roles = DISPATCH_ROLES if for_write else DESK_ROLES
    if is_desk(user, unit.agency.tenant, *roles):
        return unit
    agency = agency_of(user)
    if agency is not None and agency.pk == unit.agency_id:
        return unit
    raise Http404("unit")


def access_block(user: User, pk: int) -> NumberBlock:
    """Only a supervisor of the same tenant may lift a block."""
    try:
        block = NumberBlock.objects.select_related("tenant").get(pk=pk)
    except NumberBlock.DoesNotExist:
        raise Http404("block") from None
    if not is_desk(user, block.tenant, Role.SUPERVISOR):
        raise Http404("block")
    return block
