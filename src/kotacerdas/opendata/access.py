"""Who may see and change datasets.

- Anyone sees a published dataset of the tenant.
- Staff of the tenant see every dataset of the tenant (the catalogue is the walidata's work).
- The owning OPD's operators change their own datasets; the walidata (region administrators
  of the tenant, usually Diskominfo) change any dataset of the tenant.
Everyone else gets a 404, including staff of another tenant.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from kotacerdas.accounts.models import Role, User
from kotacerdas.opendata.models import Dataset, DatasetStatus, Resource, ResourceVersion
from kotacerdas.tenants.models import Tenant

AnyUser = User | AnonymousUser


def is_walidata(user: AnyUser, tenant: Tenant) -> bool:
    return isinstance(user, User) and user.administers(tenant)


def is_producer(user: AnyUser, dataset: Dataset) -> bool:
    return (
        isinstance(user, User)
        and user.is_staff_of(dataset.tenant, Role.OPD_OPERATOR)
        and user.opd_id == dataset.opd_id
    )


def can_read(user: AnyUser, dataset: Dataset) -> bool:
    if dataset.status == DatasetStatus.PUBLISHED:
        return True
    return isinstance(user, User) and user.can_see_tenant(dataset.tenant)


def can_write(user: AnyUser, dataset: Dataset) -> bool:
    return is_walidata(user, dataset.tenant) or is_producer(user, dataset)


def _parse(pk: str | uuid.UUID) -> uuid.UUID:
    try:
        return pk if isinstance(pk, uuid.UUID) else uuid.UUID(str(pk))
    except ValueError:
        raise Http404("dataset") from None


def access_dataset(
    user: AnyUser, pk: str | uuid.UUID, *, tenant: Tenant, for_write: bool = False
) -> Dataset:
    """A dataset of ``tenant`` the user may see (or change, ``for_write``); 404 otherwise."""
    try:
        dataset = Dataset.objects.select_related("tenant", "opd").get(pk=_parse(pk), tenant=tenant)
    except Dataset.DoesNotExist:
        raise Http404("dataset") from None
    allowed = can_write(user, dataset) if for_write else can_read(user, dataset)
    if not allowed:
        raise Http404("dataset")
    return dataset


def access_dataset_by_name(
    user: AnyUser, name: str, *, tenant: Tenant, for_write: bool = False
) -> Dataset:
    """Like ``access_dataset``, by the dataset's URL name (CKAN accepts either)."""
    try:
        dataset = Dataset.objects.select_related("tenant", "opd").get(name=name, tenant=tenant)
    except Dataset.DoesNotExist:
        raise Http404("dataset") from None
    allowed = can_write(user, dataset) if for_write else can_read(user, dataset)
    if not allowed:
        raise Http404("dataset")
    return dataset


def access_resource(
    user: AnyUser, pk: str | uuid.UUID, *, tenant: Tenant, for_write: bool = False
) -> Resource:
    """A resource of one of ``tenant``'s datasets the user may see; 404 otherwise."""
    try:
        resource = Resource.objects.select_related(
            "dataset__tenant", "dataset__opd", "current_version"
        ).get(pk=_parse(pk), dataset__tenant=tenant)
    except Resource.DoesNotExist:
        raise Http404("resource") from None
    dataset = resource.dataset
    allowed = can_write(user, dataset) if for_write else can_read(user, dataset)
    if not allowed:
        raise Http404("resource")
    return resource


def access_version(
    user: AnyUser, resource_pk: str | uuid.UUID, number: int, *, tenant: Tenant
) -> ResourceVersion:
    """A version of a resource the user may see. The public sees published versions only."""
    resource = access_resource(user, resource_pk, tenant=tenant)
    try:
        version = ResourceVersion.objects.select_related("resource__dataset").get(
            resource=resource, number=number
        )
    except ResourceVersion.DoesNotExist:
        raise Http404("version") from None
    if isinstance(user, User) and user.can_see_tenant(tenant):
        return version
    # The public gets the current version and every earlier one, never one still waiting.
    current = resource.current_version
    if not version.ready or current is None or version.number > current.number:
        raise Http404("version")
    return version
