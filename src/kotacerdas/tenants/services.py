"""Every write to tenants, their calendars and their OPDs."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kotacerdas.core.errors import DomainError
from kotacerdas.regions.models import Level, Region
from kotacerdas.tenants.geo import validate_boundary
from kotacerdas.tenants.models import Opd, Tenant


@transaction.atomic
def tenant_create(
    *,
    code: str,
    jurisdiction_id: str,
    slug: str | None = None,
    name: str | None = None,
    **contact: str,
) -> tuple[Tenant, bool]:
    """Register the kabupaten/kota with Kemendagri ``code`` as a tenant (idempotent on the code)."""
    try:
        region = Region.objects.get(code=code, level=Level.REGENCY)
    except Region.DoesNotExist:
        raise DomainError(
            _(
                "Kode %(code)s bukan kabupaten/kota yang dikenal. Jalankan 'kotacerdas setup' dahulu."
            )
            % {"code": code},
            code="unknown_regency",
        ) from None
    official = name or f"Pemerintah {region.name}"
    slug = slug or slugify(region.name)
    clash = (
        Tenant.objects.exclude(region=region).filter(jurisdiction_id=jurisdiction_id).first()
        or Tenant.objects.exclude(region=region).filter(slug=slug).first()
    )
    if clash:
        raise DomainError(
            _("jurisdiction_id atau slug sudah dipakai oleh %(other)s.") % {"other": clash.name},
            code="tenant_clash",
        )
    tenant, created = Tenant.objects.get_or_create(
        region=region,
        defaults={
            "name": official,
            "short_name": region.name,
            "slug": slug,
            "jurisdiction_id": jurisdiction_id,
            **contact,
        },
    )
    if created:
        # What every tenant starts with in each app (``tenant_setup = "dotted.path"`` on its
        # AppConfig, a function taking ``tenant=``), e.g. the complaints' "Lainnya" category.
        for config in apps.get_app_configs():
            step = getattr(config, "tenant_setup", None)
            if step:
                import_string(step)(tenant=tenant)
    return tenant, created


@transaction.atomic
def opd_upsert(*, tenant: Tenant, acronym: str, name: str, kind: str, **details: str) -> Opd:
    """Create or update the OPD with this acronym in the tenant."""
    opd, _created = Opd.objects.update_or_create(
        tenant=tenant, acronym=acronym, defaults={"name": name, "kind": kind, **details}
    )
    return opd


@transaction.atomic
def tenant_set_map(
    *,
    tenant: Tenant,
    center_lat: Decimal | None,
    center_lng: Decimal | None,
    zoom: int,
    boundary: dict[str, Any] | None = None,
    clear_boundary: bool = False,
) -> Tenant:
    """Sets where the tenant's maps open and, when given, its boundary (validated GeoJSON);
    ``clear_boundary`` removes it. Bumps ``boundary_version`` so maps fetch the new one."""
    if (center_lat is None) != (center_lng is None):
        raise DomainError(_("Isi lintang dan bujur pusat peta, atau kosongkan keduanya."))
    fields = ["map_center_lat", "map_center_lng", "map_zoom"]
    tenant.map_center_lat, tenant.map_center_lng, tenant.map_zoom = center_lat, center_lng, zoom
    if boundary is not None or clear_boundary:
        if boundary is not None:
            try:
                validate_boundary(boundary)
            except ValidationError as error:
                raise DomainError(" ".join(error.messages), code="boundary_invalid") from None
        tenant.boundary = None if clear_boundary else boundary
        tenant.boundary_version = 0 if clear_boundary else tenant.boundary_version + 1
        fields += ["boundary", "boundary_version"]
    try:
        tenant.full_clean(exclude=["boundary", "region"], validate_unique=False)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages), code="map_invalid") from None
    tenant.save(update_fields=fields)
    return tenant
