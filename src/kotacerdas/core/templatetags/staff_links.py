"""``{% offered user tenant "app:view" as flag %}``: whether an app's staff entry (``staff_entries``
on its AppConfig) is offered to this user in this tenant. A page links a staff tool only to those
the tool admits, so that no role follows a link to a 404."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import template

from kotacerdas.core.views import staff_entries

if TYPE_CHECKING:
    from kotacerdas.tenants.models import Tenant

register = template.Library()


@register.simple_tag
def offered(user: object, tenant: Tenant, url_name: str) -> bool:
    return any(entry["url"] == url_name for entry in staff_entries(user, tenant))
