"""The read-only list of applications that leaders reach from the command centre's figures:
service, OPD, status and dates only, never the applicant, NIK, KK or address."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import Role, User
from kotacerdas.core.errors import DomainError
from kotacerdas.core.middleware import error_response
from kotacerdas.services import selectors
from kotacerdas.services.models import Service, Status
from kotacerdas.services.views.common import _pk, _user
from kotacerdas.tenants import list_filters
from kotacerdas.tenants.access import staff_page
from kotacerdas.tenants.models import Tenant

PAGE = 50
SLA_CHOICES = ("tepat", "lewat")


@dataclass(frozen=True)
class RegisterFilters:
    drill: list_filters.ListFilter
    by: str
    status: str
    sla: str
    opd_id: int | None
    service_id: int | None


def _one_of(data: QueryDict, name: str, allowed: Iterable[str], code: str, message: str) -> str:
    value = data.get(name, "")
    if value and value not in allowed:
        raise DomainError(message, code=code)
    return value


def _filters(tenant: Tenant, user: User, data: QueryDict) -> RegisterFilters:
    """The filters of the request; ``DomainError`` (400) on a bad one, 404 when an OPD
    operator asks for another OPD's applications."""
    drill = list_filters.parse(tenant, data)
    if drill.kecamatan:
        raise DomainError(
            _("Permohonan tidak mencatat kecamatan; saringan kecamatan tidak berlaku."),
            code="unsupported_filter",
        )
    by = _one_of(
        data,
        "tanggal",
        selectors.REGISTER_DATES,
        "invalid_date_field",
        _("Tanggal harus “diajukan” atau “selesai”."),
    )
    statuses = [s for s in Status.values if s != Status.DRAFT]
    status = _one_of(
        data, "status", statuses, "unknown_status", _("Status permohonan tidak dikenal.")
    )
    sla = _one_of(data, "sla", SLA_CHOICES, "invalid_sla", _("SLA harus “tepat” atau “lewat”."))
    opd_id = _pk(data.get("opd", "")) if data.get("opd") else None
    if data.get("opd") and (opd_id is None or not tenant.opds.filter(pk=opd_id).exists()):
        raise DomainError(_("OPD tidak dikenal."), code="unknown_opd")
    if user.role == Role.OPD_OPERATOR:
        if opd_id is not None and opd_id != user.opd_id:
            raise Http404("another OPD")
        opd_id = user.opd_id
    service_id = _pk(data.get("layanan", "")) if data.get("layanan") else None
    if data.get("layanan") and (
        service_id is None or not Service.objects.filter(tenant=tenant, pk=service_id).exists()
    ):
        raise DomainError(_("Layanan tidak dikenal."), code="unknown_service")
    return RegisterFilters(drill, by or "diajukan", status, sla, opd_id, service_id)


@staff_page(Role.LEADER, Role.REGION_ADMIN, Role.OPD_OPERATOR)
def application_register(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    """``dari``/``sampai`` (days, as the command centre passes them) of ``tanggal`` (diajukan,
    the default, or selesai), ``status``, ``sla`` (tepat/lewat), ``opd``, ``layanan``; keyset
    pages (``setelah``). An OPD operator sees their own OPD's applications only."""
    data = request.GET
    user = _user(request)
    try:
        chosen = _filters(tenant, user, data)
    except DomainError as error:
        return error_response(request, status=400, code=error.code, message=error.message)
    rows = selectors.application_register(
        tenant,
        by=chosen.by,
        start=chosen.drill.start,
        end=chosen.drill.end,
        status=chosen.status,
        sla=chosen.sla,
        opd_id=chosen.opd_id,
        service_id=chosen.service_id,
    )
    # One grouped query gives the total and the count of each status (at most nine rows).
    counts = dict(rows.order_by().values_list("status").annotate(n=Count("pk")))
    field = selectors.REGISTER_DATES[chosen.by]
    after = data.get("setelah", "")
    if after:
        cursor = _pk(after)
        anchor = rows.filter(pk=cursor).values_list(field, "pk").first() if cursor else None
        if anchor is None:
            return error_response(
                request,
                status=400,
                code="invalid_cursor",
                message=_("Halaman daftar tidak dikenal; mulai dari halaman pertama."),
            )
        rows = rows.filter(
            Q(**{f"{field}__lt": anchor[0]}) | Q(**{field: anchor[0]}, pk__lt=anchor[1])
        )
    page = list(rows[: PAGE + 1])
    next_url = ""
    if len(page) > PAGE:
        page = page[:PAGE]
        params = data.copy()
        params["setelah"] = str(page[-1].pk)
        next_url = f"?{params.urlencode()}"
    labels = dict(Status.choices)
    return render(
        request,
        "services/application_register.html",
        {
            "tenant": tenant,
            "page": page,
            "next_url": next_url,
            "list_filter": chosen.drill,
            "list_total": sum(counts.values()),
            "list_noun": _("permohonan"),
            "by_status": [(labels[s], counts[s]) for s in Status.values if s in counts],
            "filters": chosen,
            "services": Service.objects.filter(tenant=tenant)
            .order_by("name")
            .only("pk", "name", "name_en"),
            "statuses": [(v, label) for v, label in Status.choices if v != Status.DRAFT],
            "opds": tenant.opds.order_by("name").only("pk", "name")
            if user.role != Role.OPD_OPERATOR
            else [],
        },
    )
