"""Who is told: the operators of the offices concerned."""

from __future__ import annotations

from collections.abc import Iterable

from kotacerdas.accounts.models import Role, User
from kotacerdas.tenants.models import Opd, Tenant


def office_operators(tenant: Tenant, acronyms: Iterable[str]) -> list[User]:
    opds = Opd.objects.filter(tenant=tenant, acronym__in=list(acronyms))
    return list(
        User.objects.filter(
            tenant=tenant, role=Role.OPD_OPERATOR, opd__in=opds, is_active=True
        ).order_by("pk")[:50]
    )
