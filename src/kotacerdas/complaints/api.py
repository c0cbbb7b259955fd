"""``/api/v1/complaints``: anonymous submission (with ``Idempotency-Key``), public status by
ticket, and the staff inbox. Errors use the platform's ``{"error": {...}}`` shape."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django_ratelimit.core import is_ratelimited
from ninja import Query, Router, Schema, Status
from pydantic import Field

from kotacerdas.accounts.models import User
from kotacerdas.complaints import selectors, services
from kotacerdas.complaints.access import (
    access_complaint,
    complaints_visible_to,
    public_complaint_by_ticket,
)
from kotacerdas.complaints.idempotency import client_of
from kotacerdas.complaints.models import Category, Complaint, Response
from kotacerdas.complaints.schemas import (
    CategoryOut,
    ComplaintCreatedOut,
    ComplaintIn,
    PublicComplaintOut,
    ResponseIn,
    ResponseOut,
    StaffComplaintOut,
)
from kotacerdas.core.api_errors import ErrorOut
from kotacerdas.core.errors import DomainError
from kotacerdas.regions.models import Region
from kotacerdas.tenants.access import tenant_from_code
from kotacerdas.tenants.models import Tenant

router = Router(tags=["complaints"])
SUBMIT_RATE = "20/h"


class InboxFilter(Schema):
    tenant: str
    status: str = ""
    severity: str = ""
    overdue: bool = False
    q: str = Field(default="", max_length=100, description="Nomor tiket atau kata dalam uraian")
    after: int | None = Field(
        default=None,
        ge=1,
        le=2**62,
        description="Halaman berikutnya: id aduan terakhir dari halaman sebelumnya",
    )
    limit: int = Field(default=100, ge=1, le=200)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - the router's auth guarantees it
    return user


@router.get("/categories", response=list[CategoryOut], auth=None)
def list_categories(request: HttpRequest, tenant: str) -> list[CategoryOut]:
    rows = Category.objects.filter(tenant=tenant_from_code(tenant), is_active=True).select_related(
        "opd"
    )
    return [
        CategoryOut(code=c.code, name=c.name, group=c.group, opd=c.opd.name if c.opd else "")
        for c in rows
    ]


@router.post(
    "/",
    response={
        200: ComplaintCreatedOut,
        201: ComplaintCreatedOut,
        400: ErrorOut,
        404: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
    },
    auth=None,
)
def submit(request: HttpRequest, payload: ComplaintIn) -> Status[ComplaintCreatedOut]:
    """No account needed. Send ``Idempotency-Key`` so that a retry creates nothing new: the key
    is bound to the client (the account, or the session cookie this answer sets) and to the
    body; the same key with a different body is a 422. A replay does not count against the
    rate limit."""
    tenant = tenant_from_code(payload.tenant)
    key = (request.headers.get("Idempotency-Key") or "").strip()
    client = client_of(request)
    fingerprint = services.request_fingerprint(payload.dict())
    earlier = (
        services.idempotent_replay(tenant=tenant, client=client, key=key, fingerprint=fingerprint)
        if key
        else None
    )
    if earlier is not None:
        return Status(200, _created_out(request, earlier, created=False))
    for group, key_kind in (("complaints.api.ip", "ip"), ("complaints.api.account", "user_or_ip")):
        if is_ratelimited(
            request, group=group, key=key_kind, rate=SUBMIT_RATE, method="POST", increment=True
        ):
            raise DomainError(
                "Terlalu banyak laporan. Tunggu sebentar, lalu coba lagi.",
                code="rate_limited",
                status=429,
            )
    category = Category.objects.filter(tenant=tenant, code=payload.category, is_active=True).first()
    if category is None:
        raise DomainError("Kategori tidak dikenal.", code="category_unknown")
    region = Region.objects.filter(code=payload.region).first() if payload.region else None
    if payload.region and region is None:
        raise DomainError("Kelurahan/desa tidak dikenal.", code="region_invalid")
    complaint, created = services.complaint_submit(
        tenant=tenant,
        category=category,
        description=payload.description,
        channel=payload.channel,
        lat=payload.lat,
        long=payload.long,
        region=region,
        address=payload.address,
        confidentiality=payload.confidentiality,
        reporter=request.user if isinstance(request.user, User) else None,
        reporter_name=payload.reporter_name,
        reporter_email=payload.reporter_email,
        reporter_phone=payload.reporter_phone,
        attributes=services.attributes_clean(category, payload.attributes),
        idempotency_key=key,
        client=client,
        fingerprint=fingerprint,
        language=translation.get_language() or "id",
    )
    return Status(201 if created else 200, _created_out(request, complaint, created=created))


def _created_out(
    request: HttpRequest, complaint: Complaint, *, created: bool
) -> ComplaintCreatedOut:
    url = request.build_absolute_uri(
        reverse("complaints:follow", args=[complaint.tenant.slug, complaint.tracking_token])
    )
    return ComplaintCreatedOut(
        ticket=complaint.ticket, status=complaint.status, tracking_url=url, created=created
    )


def _public_out(c: Complaint) -> PublicComplaintOut:
    return PublicComplaintOut(
        ticket=c.ticket,
        category=c.category.code,
        status=c.status,
        status_label=str(c.get_status_display()),
        description=c.description,
        address=c.address,
        lat=c.lat,
        long=c.long,
        created_at=c.created_at,
        updated_at=c.updated_at,
    )


@router.get("/public/{tenant}/{ticket}", response=PublicComplaintOut, auth=None)
def public_status(request: HttpRequest, tenant: str, ticket: str) -> PublicComplaintOut:
    return _public_out(public_complaint_by_ticket(tenant_from_code(tenant), ticket))


def _staff_out(c: Complaint) -> StaffComplaintOut:
    return StaffComplaintOut(
        id=c.pk,
        ticket=c.ticket,
        category=c.category.code,
        status=c.status,
        severity=c.severity,
        classification=c.classification,
        confidentiality=c.confidentiality,
        channel=c.channel,
        created_at=c.created_at,
        due_at=c.due_at,
        overdue=c.is_overdue,
    )


def _staff_tenant(user: User, code: str) -> Tenant:
    tenant = tenant_from_code(code)
    if not user.can_see_tenant(tenant):
        raise DomainError("Tidak ditemukan.", code="not_found", status=404)
    return tenant


@router.get("/inbox", response=list[StaffComplaintOut])
def inbox(request: HttpRequest, filters: Query[InboxFilter]) -> list[StaffComplaintOut]:
    """The caller's complaints, most urgent deadline first: all of the tenant for its
    administrator, its OPD's for an operator. Paged by keyset: ask again with ``after`` set
    to the last ``id`` received until fewer than ``limit`` come back."""
    user = _user(request)
    tenant = _staff_tenant(user, filters.tenant)
    rows = selectors.inbox_for_opd(
        qs=complaints_visible_to(user, tenant),
        status=filters.status,
        severity=filters.severity,
        overdue=filters.overdue,
        text=filters.q.strip(),
    )
    page, _next = selectors.keyset_page(
        rows, order=("due_key", "pk"), after=str(filters.after or ""), size=filters.limit
    )
    return [_staff_out(c) for c in page]


@router.get("/{tenant}/{complaint_id}", response=StaffComplaintOut)
def detail(request: HttpRequest, tenant: str, complaint_id: int) -> StaffComplaintOut:
    user = _user(request)
    return _staff_out(access_complaint(user, complaint_id, tenant=_staff_tenant(user, tenant)))


@router.post("/{tenant}/{complaint_id}/responses", response={201: ResponseOut})
def respond(
    request: HttpRequest, tenant: str, complaint_id: int, payload: ResponseIn
) -> Status[ResponseOut]:
    user = _user(request)
    complaint = access_complaint(
        user, complaint_id, tenant=_staff_tenant(user, tenant), for_write=True
    )
    response: Response = services.response_add(
        complaint=complaint, actor=user, body=payload.body, is_public=payload.is_public
    )
    return Status(
        201,
        ResponseOut(
            id=response.pk,
            body=response.body,
            is_public=response.is_public,
            created_at=response.created_at,
        ),
    )
