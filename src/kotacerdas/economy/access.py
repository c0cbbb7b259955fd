"""Who may see and act on villages, producers and visitors' requests. Anyone else: 404.

A village manager (Pokdarwis) acts for their own villages, a producer for their own business;
the tourism office (``ECONOMY_TOURISM_OPDS``) for every village of the tenant and the OVOP
office (``ECONOMY_OVOP_OPDS``) for every producer; the region administrator for all."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404

from kotacerdas.accounts.models import Role, User
from kotacerdas.economy.models import (
    Assessment,
    EvidenceFile,
    Photo,
    Producer,
    Product,
    TourismVillage,
    VisitorRequest,
)
from kotacerdas.tenants.models import Tenant


def _office(user: User, tenant: Tenant, acronyms: list[str]) -> bool:
    return (
        user.is_staff_of(tenant, Role.OPD_OPERATOR)
        and user.opd is not None
        and user.opd.acronym in acronyms
    )


def is_tourism_office(user: User, tenant: Tenant) -> bool:
    return user.administers(tenant) or _office(user, tenant, settings.ECONOMY_TOURISM_OPDS)


def is_ovop_office(user: User, tenant: Tenant) -> bool:
    return user.administers(tenant) or _office(user, tenant, settings.ECONOMY_OVOP_OPDS)


def _partner(user: User, tenant: Tenant, role: str) -> bool:
    return user.is_active and user.role == role and user.tenant_id == tenant.pk


def villages_managed_by(user: User, tenant: Tenant) -> QuerySet[TourismVillage]:
    qs = TourismVillage.objects.filter(tenant=tenant)
    if not user.is_authenticated:
        return qs.none()
    if is_tourism_office(user, tenant):
        return qs
    if _partner(user, tenant, Role.VILLAGE_MANAGER):
        return qs.filter(managers=user)
    return qs.none()


def producers_managed_by(user: User, tenant: Tenant) -> QuerySet[Producer]:
    qs = Producer.objects.filter(tenant=tenant)
    if not user.is_authenticated:
        return qs.none()
    if is_ovop_office(user, tenant):
        return qs
    if _partner(user, tenant, Role.PRODUCER):
        return qs.filter(members=user)
    return qs.none()


def requests_visible_to(user: User, tenant: Tenant) -> QuerySet[VisitorRequest]:
    villages = villages_managed_by(user, tenant).values("pk")
    producers = producers_managed_by(user, tenant).values("pk")
    return VisitorRequest.objects.filter(tenant=tenant).filter(
        Q(village__in=villages) | Q(producer__in=producers)
    )


def requests_counted_for(user: User, tenant: Tenant) -> QuerySet[VisitorRequest]:
    """The requests the figures count for ``user``: counts, never contacts, so the tenant's
    staff (leaders included) count every request of the tenant; a village manager or producer
    only their own."""
    if user.can_see_tenant(tenant):
        return VisitorRequest.objects.filter(tenant=tenant)
    return requests_visible_to(user, tenant)


def can_work(user: User, tenant: Tenant) -> bool:
    """Opens the back office: the tenant's staff (each sees only the requests it may see), its
    village managers and producers. Visitors' contacts stay with the addressees."""
    return user.is_authenticated and (
        user.can_see_tenant(tenant)
        or _partner(user, tenant, Role.VILLAGE_MANAGER)
        or _partner(user, tenant, Role.PRODUCER)
    )


def access_request(
    user: User, pk: int, *, tenant: Tenant, for_write: bool = False
) -> VisitorRequest:
    req = (
        requests_visible_to(user, tenant)
        .select_related("tenant", "village", "producer", "homestay", "package", "product")
        .filter(pk=pk)
        .first()
    )
    if req is None:
        raise Http404("request")
    return req


def access_village(
    user: User, pk: int, *, tenant: Tenant, for_write: bool = False
) -> TourismVillage:
    village = villages_managed_by(user, tenant).filter(pk=pk).first()
    if village is None:
        raise Http404("village")
    return village


def access_assessment(
    user: User, pk: int, *, tenant: Tenant, for_write: bool = False
) -> Assessment:
    assessment = (
        Assessment.objects.filter(village__in=villages_managed_by(user, tenant).values("pk"))
        .select_related("village")
        .filter(pk=pk)
        .first()
    )
    if assessment is None:
        raise Http404("assessment")
    return assessment


def access_product(user: User, pk: int, *, tenant: Tenant, for_write: bool = False) -> Product:
    product = (
        Product.objects.filter(producer__in=producers_managed_by(user, tenant).values("pk"))
        .select_related("producer")
        .filter(pk=pk)
        .first()
    )
    if product is None:
        raise Http404("product")
    return product


def access_photo(user: User, pk: int, *, tenant: Tenant, for_write: bool = False) -> Photo:
    """A photo to remove: the village's managers or the producer's members (and the offices)."""
    photo = (
        Photo.objects.filter(tenant=tenant, pk=pk)
        .filter(
            Q(village__in=villages_managed_by(user, tenant).values("pk"))
            | Q(product__producer__in=producers_managed_by(user, tenant).values("pk"))
        )
        .first()
    )
    if photo is None:
        raise Http404("photo")
    return photo


def access_evidence(
    user: User, pk: int, *, tenant: Tenant, for_write: bool = False
) -> EvidenceFile:
    """An ADWI evidence file: the village's managers and the tourism office only (never public;
    anyone else, signed in or not, gets 404)."""
    evidence = (
        EvidenceFile.objects.filter(village__in=villages_managed_by(user, tenant).values("pk"))
        .filter(pk=pk)
        .first()
    )
    if evidence is None:
        raise Http404("evidence")
    return evidence
