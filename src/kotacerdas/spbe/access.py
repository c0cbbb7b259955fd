"""Who may see and change SPBE assessments: the tenant's region admins (read and write) and
its leaders (read). Everyone else, including staff of another tenant, gets a 404."""

from __future__ import annotations

from django.http import Http404

from kotacerdas.accounts.models import Role, User
from kotacerdas.spbe.models import Assessment, Evidence
from kotacerdas.tenants.models import Tenant

READ_ROLES = (Role.REGION_ADMIN, Role.LEADER)


def can_read(user: User, tenant: Tenant) -> bool:
    return user.is_authenticated and (
        user.is_platform_admin or user.is_staff_of(tenant, *READ_ROLES)
    )


def can_write(user: User, tenant: Tenant) -> bool:
    return user.is_authenticated and user.administers(tenant)


def access_assessment(
    user: User, pk: int, *, tenant: Tenant, for_write: bool = False
) -> Assessment:
    """An assessment of ``tenant`` the user may see (or change, ``for_write``); 404 otherwise."""
    try:
        assessment = Assessment.objects.select_related("framework", "tenant").get(
            pk=pk, tenant=tenant
        )
    except Assessment.DoesNotExist:
        raise Http404("assessment") from None
    allowed = can_write(user, tenant) if for_write else can_read(user, tenant)
    if not allowed:
        raise Http404("assessment")
    return assessment


def access_evidence(user: User, pk: int, *, tenant: Tenant, for_write: bool = False) -> Evidence:
    """An evidence file of one of ``tenant``'s assessments the user may see; 404 otherwise."""
    try:
        evidence = Evidence.objects.select_related(
            "score__indicator", "score__assessment__tenant", "score__assessment__framework"
        ).get(pk=pk, score__assessment__tenant=tenant)
    except Evidence.DoesNotExist:
        raise Http404("evidence") from None
    allowed = can_write(user, tenant) if for_write else can_read(user, tenant)
    if not allowed:
        raise Http404("evidence")
    return evidence
