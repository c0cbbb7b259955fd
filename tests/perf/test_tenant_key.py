"""Every table with a tenant's data carries the tenant key (docs/scaling.md): a required foreign
key to ``Tenant``, or a chain of required foreign keys to a parent that has one. That is what
lets one tenant's rows be found, exported, deleted or moved (to a Citus shard keyed on the
tenant) without reading anyone else's.

A model without such a chain must be listed below with the reason; the lists are compared
exactly, so a model that gains a tenant key (or a new one that lacks it) fails until the list
is corrected.
"""

from __future__ import annotations

from django.apps import apps
from django.db import models

from kotacerdas.tenants.models import Tenant

# National reference data, the same for every tenant (a Citus "reference table").
NATIONAL = {
    "regions.Region": "the national region list (Kemendagri codes)",
    "tenants.Tenant": "the tenant itself",
    "planning.Dimension": "the six smart-city dimensions of the national guideline",
    "planning.Element": "the elements of each dimension (national guideline)",
    "spbe.Framework": "the SPBE evaluation framework (PermenPANRB), national",
    "spbe.Domain": "part of the national SPBE framework",
    "spbe.Aspect": "part of the national SPBE framework",
    "spbe.Indicator": "part of the national SPBE framework",
    "spbe.LevelName": "part of the national SPBE framework",
    "spbe.PredicateThreshold": "part of the national SPBE framework",
}
# Platform machinery that holds no tenant's data.
PLATFORM = {
    "complaints.ConfigVersion": "one platform-wide counter that tells every process to reload "
    "its cached complaint configuration",
}
# Rows that belong to a tenant or to no tenant at all: the tenant key is there but nullable.
TENANT_OR_NATIONAL = {
    "tenants.Holiday": "no tenant: a national holiday (SKB 3 Menteri) every tenant observes",
    "accounts.User": "no tenant: a citizen (one account for every region) or the superadmin",
    "accounts.ApiToken": "of a user; a tenant's machine token carries the tenant",
    "notifications.Notification": "no tenant: a citizen's account mail (password reset)",
    "notifications.Unsubscribe": "an address's opt-out, kept across tenants (the scope names it)",
    "wifi.HealthRule": "no tenant: the national default health rules",
}


def tenant_path(
    model: type[models.Model], seen: frozenset[type[models.Model]] = frozenset()
) -> list[str] | None:
    """The shortest chain of required foreign keys from ``model`` to ``Tenant``, or None."""
    best: list[str] | None = None
    for field in model._meta.concrete_fields:
        if not field.is_relation or field.null:
            continue
        target = field.related_model
        if target is Tenant:
            return [field.name]
        if not isinstance(target, type) or target in seen or target is model:
            continue
        rest = tenant_path(target, seen | {model})
        if rest is not None and (best is None or len(rest) + 1 < len(best)):
            best = [field.name, *rest]
    return best


def project_models() -> list[type[models.Model]]:
    return [
        m for m in apps.get_models() if m.__module__.startswith("kotacerdas.") and not m._meta.proxy
    ]


def test_every_tenant_owned_table_reaches_the_tenant_through_required_keys() -> None:
    without = {m._meta.label for m in project_models() if tenant_path(m) is None}
    assert without == set(NATIONAL) | set(PLATFORM) | set(TENANT_OR_NATIONAL)


def test_a_chain_is_found_through_a_required_parent() -> None:
    """The check itself: a disposition reaches the tenant through its complaint, a document
    through its application, a unit through its agency."""
    assert tenant_path(apps.get_model("complaints.Disposition")) == ["complaint", "tenant"]
    assert tenant_path(apps.get_model("services.Document")) == ["application", "tenant"]
    assert tenant_path(apps.get_model("emergency.Unit")) == ["agency", "tenant"]
    assert tenant_path(apps.get_model("accounts.User")) is None
