"""Who may see and act on a complaint. Anyone else gets a 404, never a 403."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils.crypto import constant_time_compare

from kotacerdas.accounts.models import Role, User
from kotacerdas.complaints.models import Complaint, ComplaintQuerySet, Confidentiality, Photo
from kotacerdas.tenants.models import Tenant


def complaints_visible_to(user: User, tenant: Tenant) -> ComplaintQuerySet:
    """Region administrators and leaders see every complaint of their tenant; an OPD operator
    sees those ever disposed to their OPD; everyone else sees none."""
    qs = Complaint.objects.filter(tenant=tenant)
    if not user.is_authenticated or not user.can_see_tenant(tenant):
        return qs.none()
    if user.administers(tenant) or user.role == Role.LEADER:
        return qs
    if user.role == Role.OPD_OPERATOR and user.opd_id:
        return qs.filter(dispositions__opd_id=user.opd_id).distinct()
    return qs.none()


def access_complaint(user: User, pk: int, *, tenant: Tenant, for_write: bool = False) -> Complaint:
    """A complaint of ``tenant`` the user may see (``for_write``: may act on; leaders only read)."""
    qs = complaints_visible_to(user, tenant)
    if for_write and not user.administers(tenant) and user.role != Role.OPD_OPERATOR:
        qs = qs.none()
    complaint = qs.select_related("tenant", "category", "region").filter(pk=pk).first()
    if complaint is None:
        raise Http404("complaint")
    return complaint


def access_photo(
    user: User | AnonymousUser,
    pk: int,
    *,
    tenant: Tenant,
    for_write: bool = False,
    tracking_token: str = "",
) -> Photo:
    """A photo of a complaint of ``tenant``. Anyone may see photos of public complaints; a
    secret (rahasia) complaint's photos only its reporter (through the private link's
    ``tracking_token``) and the staff who may see the complaint. Photos are never written, and
    one without its public copy yet (the worker has not re-encoded it) does not exist here."""
    item = (
        Photo.objects.published()
        .select_related("complaint")
        .filter(pk=pk, complaint__tenant=tenant)
        .first()
    )
    if item is None or for_write:
        raise Http404("photo")
    complaint = item.complaint
    if complaint.confidentiality == Confidentiality.RAHASIA:
        reporter = bool(tracking_token) and constant_time_compare(
            tracking_token, complaint.tracking_token
        )
        staff = (
            isinstance(user, User)
            and complaints_visible_to(user, tenant).filter(pk=complaint.pk).exists()
        )
        if not (reporter or staff):
            raise Http404("photo")
    return item


def may_see_reporter(user: User, complaint: Complaint) -> bool:
    """The reporter's identity: the region administrator always; the OPD only for a biasa
    complaint (an anonymous or secret reporter stays hidden from the OPD)."""
    if user.administers(complaint.tenant):
        return True
    return complaint.confidentiality == Confidentiality.BIASA and user.is_staff_of(complaint.tenant)


def public_complaint_by_ticket(tenant: Tenant, ticket: str) -> Complaint:
    """The public view of a ticket; secret (rahasia) complaints do not exist for the public."""
    complaint = (
        Complaint.objects.public()
        .select_related("category", "region", "tenant")
        .filter(tenant=tenant, ticket__iexact=ticket.strip())
        .first()
    )
    if complaint is None:
        raise Http404("complaint")
    return complaint


def citizen_complaint_by_token(tenant: Tenant, token: str) -> Complaint:
    """The reporter's own view through the private tracking link (works for secret ones too)."""
    complaint = (
        Complaint.objects.select_related("category", "region", "tenant")
        .filter(tenant=tenant, tracking_token=token)
        .first()
    )
    if complaint is None:
        raise Http404("complaint")
    return complaint
