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
# The list of calls (no caller data) behind the command centre's call figures.
CALL_LIST_ROLES = (*REPORT_ROLES, Role.REGION_ADMIN)
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


def _id(pk: object) -> int:
    """A user-supplied id as an int, or a 404 (``"12x"``, ``"²"``, out of range)."""
    raw = str(pk)
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 18):
        raise Http404("id")
    return int(raw)


def access_incident(user: User, pk: int, *, tenant: Tenant, for_write: bool = False) -> Incident:
    """Desk staff of the tenant may see it (leaders too; dispatchers and supervisors change
    it); an agency account only incidents its agency was dispatched to."""
    incident = (
        Incident.objects.select_related("tenant", "category", "kelurahan__parent")
        .filter(pk=_id(pk), tenant=tenant)
        .first()
    )
    if incident is None:
        raise Http404("incident")
    roles = DISPATCH_ROLES if for_write else BOARD_ROLES
    if is_desk(user, tenant, *roles):
        return incident
    agency = agency_of(user)
    if (
        agency is not None
        and agency.tenant_id == tenant.pk
        and incident.dispatches.filter(agency=agency).exists()
    ):
        return incident
    raise Http404("incident")


def access_unit(user: User, pk: int, *, tenant: Tenant, for_write: bool = False) -> Unit:
    """Desk staff of the tenant (dispatchers and supervisors to change it), or the unit's
    own agency."""
    unit = Unit.objects.select_related("agency").filter(pk=_id(pk), agency__tenant=tenant).first()
    if unit is None:
        raise Http404("unit")
    roles = DISPATCH_ROLES if for_write else DESK_ROLES
    if is_desk(user, tenant, *roles):
        return unit
    agency = agency_of(user)
    if agency is not None and agency.pk == unit.agency_id:
        return unit
    raise Http404("unit")


def access_agency(user: User, pk: int, *, tenant: Tenant, for_write: bool = False) -> Agency:
    """An active agency of the tenant, for its desk staff (dispatchers and supervisors to
    send it)."""
    roles = DISPATCH_ROLES if for_write else DESK_ROLES
    agency = Agency.objects.filter(pk=_id(pk), tenant=tenant, is_active=True).first()
    if agency is None or not is_desk(user, tenant, *roles):
        raise Http404("agency")
    return agency


def access_agency_unit(
    user: User, pk: int, *, tenant: Tenant, agency: Agency, for_write: bool = False
) -> Unit:
    """A unit that belongs to ``agency`` (a unit of another agency is a 404)."""
    unit = access_unit(user, pk, tenant=tenant, for_write=for_write)
    if unit.agency_id != agency.pk:
        raise Http404("unit")
    return unit


def access_block(user: User, pk: int, *, tenant: Tenant, for_write: bool = False) -> NumberBlock:
    """Only a supervisor of the tenant may see or lift a block."""
    block = NumberBlock.objects.filter(pk=_id(pk), tenant=tenant).first()
    if block is None or not is_desk(user, tenant, Role.SUPERVISOR):
        raise Http404("block")
    return block


def api_tenant(user: User, *roles: str) -> Tenant:
    """The tenant an API caller acts in: its own (desk staff in ``roles``), or its agency's."""
    agency = agency_of(user)
    if agency is not None:
        return agency.tenant
    tenant = user.tenant
    if tenant is None or not is_desk(user, tenant, *(roles or DESK_ROLES)):
        raise Http404("emergency")
    return tenant
