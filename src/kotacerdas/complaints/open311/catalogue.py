"""Discovery, the service list and a service's definition (its extra questions)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from kotacerdas.complaints.config import config_for
from kotacerdas.complaints.models import (
    Category,
)
from kotacerdas.complaints.open311.common import (
    CHANGESET,
    CONTENT_TYPES,
    SPECIFICATION,
    Open311Error,
    open311_view,
    render,
)
from kotacerdas.tenants.models import Tenant


def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    """Describes the endpoint itself; the one resource that needs no ``jurisdiction_id``."""
    if fmt not in CONTENT_TYPES:
        return render(
            "xml",
            "errors",
            [{"code": 400, "description": _("Format tidak didukung: gunakan .xml atau .json.")}],
            400,
        )
    code = request.GET.get("jurisdiction_id", "").strip()
    tenant = Tenant.objects.filter(jurisdiction_id=code, is_active=True).first() if code else None
    if code and tenant is None:
        return render(
            fmt,
            "errors",
            [
                {
                    "code": 404,
                    "description": _("jurisdiction_id “%(code)s” tidak dikenal.") % {"code": code},
                }
            ],
            404,
        )
    url = request.build_absolute_uri("/open311/v2/")
    contact = (tenant.email if tenant else "") or _("Hubungi Diskominfo pemerintah daerah Anda.")
    return render(
        fmt,
        "discovery",
        {
            "changeset": CHANGESET,
            "contact": contact,
            "key_service": _(
                "Minta api_key kepada administrator daerah (kotacerdas create_open311_key)."
            ),
            "endpoints": [
                {
                    "specification": SPECIFICATION,
                    "url": url,
                    "changeset": CHANGESET,
                    "type": "production",
                    "formats": ["text/xml", "application/json"],
                }
            ],
        },
    )


def _service(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description or category.name,
        "metadata": bool(getattr(category, "attribute_count", 0)),
        "type": "realtime",
        "keywords": ",".join(k.strip() for k in category.keywords.split(",") if k.strip()),
        "group": category.group,
    }


@open311_view
def service_list(request: HttpRequest, fmt: str, tenant: Tenant) -> HttpResponse:
    categories = Category.objects.filter(tenant=tenant, is_active=True).annotate(
        attribute_count=Count("attributes")
    )
    return render(fmt, "services", [_service(c) for c in categories])


def category_of(tenant: Tenant, code: str) -> Category:
    """The tenant's active category ``code`` with its extra questions (cached)."""
    category = config_for(tenant).by_code.get(code)
    if category is None:
        raise Open311Error(404, _("service_code “%(code)s” tidak dikenal.") % {"code": code})
    return category


@open311_view
def service_definition(
    request: HttpRequest, fmt: str, tenant: Tenant, service_code: str
) -> HttpResponse:
    category = category_of(tenant, service_code)
    attributes = [
        {
            "variable": True,
            "code": a.code,
            "datatype": a.datatype,
            "required": a.required,
            "datatype_description": a.datatype_description or a.get_datatype_display(),
            "order": a.order,
            "description": a.description,
            **(
                {"values": [{"key": str(v["key"]), "name": v["name"]} for v in a.values]}
                if a.datatype in ("singlevaluelist", "multivaluelist")
                else {}
            ),
        }
        for a in category.attributes.all()
    ]
    return render(
        fmt, "service_definition", {"service_code": category.code, "attributes": attributes}
    )
