"""What ``tenants`` needs to know about a signed-in user, without importing ``accounts``
(which sits above it: a user belongs to a tenant, not the other way round).

``accounts.User`` satisfies ``TenantUser``; the role names are ``accounts.Role`` values
(``tests/foundation/test_layers.py`` checks that they agree).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from kotacerdas.tenants.models import Tenant

REGION_ADMIN = "admin_daerah"
SUPERADMIN = "superadmin"


@runtime_checkable
class TenantUser(Protocol):
    role: str

    @property
    def is_authenticated(self) -> bool: ...

    @property
    def is_platform_admin(self) -> bool: ...

    def is_staff_of(self, tenant: Tenant, *roles: str) -> bool: ...

    def can_see_tenant(self, tenant: Tenant) -> bool: ...

    def administers(self, tenant: Tenant) -> bool: ...
