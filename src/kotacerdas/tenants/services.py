"""Every write to tenants, their calendars and their OPDs."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kotacerdas.core.errors import DomainError
from kotacerdas.regions.models import Level, Region
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
    return tenant, created


@transaction.atomic
def opd_upsert(*, tenant: Tenant, acronym: str, name: str, kind: str, **details: str) -> Opd:
    """Create or update the OPD with this acronym in the tenant."""
    opd, _created = Opd.objects.update_or_create(
        tenant=tenant, acronym=acronym, defaults={"name": name, "kind": kind, **details}
    )
    return opd
