"""Programmes with their partners, budget lines and KPIs with yearly targets."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import User
from kotacerdas.core.errors import DomainError
from kotacerdas.core.lifecycle import lock, record
from kotacerdas.planning import metrics
from kotacerdas.planning.models import (
    BudgetLine,
    Dimension,
    Element,
    Kpi,
    KpiTarget,
    Partner,
    Programme,
)
from kotacerdas.planning.services.common import (
    REPORT_LIFECYCLE,
    require_admin,
)
from kotacerdas.tenants.models import Opd, Tenant


@dataclass(frozen=True)
class PartnerIn:
    kind: str
    name: str


@dataclass(frozen=True)
class BudgetIn:
    year: int
    source: str
    amount: Decimal


@dataclass(frozen=True)
class KpiIn:
    name: str
    unit: str
    baseline: Decimal
    direction: str = "higher"
    metric: str = ""
    targets: dict[int, Decimal] = field(default_factory=dict)
    pk: int | None = None
    name_en: str = ""
    unit_en: str = ""


def _check_programme(
    *,
    tenant: Tenant,
    dimension: Dimension,
    element: Element,
    opds: list[Opd],
    start_year: int,
    end_year: int,
    budget: list[BudgetIn],
    kpis: list[KpiIn],
) -> None:
    if element.dimension_id != dimension.pk:
        raise DomainError(
            _("Elemen “%(element)s” bukan bagian dari dimensi %(dimension)s.")
            % {"element": element.name, "dimension": dimension.name},
            code="element_mismatch",
        )
    if any(opd.tenant_id != tenant.pk for opd in opds):
        raise DomainError(_("OPD harus milik pemerintah daerah ini."), code="foreign_opd")
    if end_year < start_year:
        raise DomainError(
            _("Tahun selesai tidak boleh sebelum tahun mulai."), code="years_out_of_order"
        )
    if len({(line.year, line.source) for line in budget}) != len(budget):
        raise DomainError(
            _("Setiap pasangan tahun dan sumber dana hanya boleh muncul sekali."),
            code="duplicate_budget",
        )
    for line in budget:
        if not start_year <= line.year <= end_year:
            raise DomainError(
                _("Anggaran tahun %(year)s di luar masa program (%(start)s–%(end)s).")
                % {"year": line.year, "start": start_year, "end": end_year},
                code="budget_year_out_of_range",
            )
    for kpi in kpis:
        if kpi.metric and kpi.metric not in metrics.registry():
            raise DomainError(
                _("Metrik platform “%(name)s” tidak tersedia.") % {"name": kpi.metric},
                code="unknown_metric",
            )


def _replace_kpis(programme: Programme, kpis: list[KpiIn]) -> None:
    kept: list[int] = []
    for item in kpis:
        kpi = programme.kpis.filter(pk=item.pk).first() if item.pk else None
        kpi = kpi or Kpi(programme=programme)
        kpi.name, kpi.unit, kpi.baseline = item.name, item.unit, item.baseline
        kpi.name_en, kpi.unit_en = item.name_en, item.unit_en
        kpi.direction, kpi.metric = item.direction, item.metric
        kpi.save()
        kept.append(kpi.pk)
        kpi.targets.all().delete()
        KpiTarget.objects.bulk_create(
            KpiTarget(kpi=kpi, year=year, value=value)
            for year, value in sorted(item.targets.items())
        )
    programme.kpis.exclude(pk__in=kept).delete()


@transaction.atomic
def programme_save(
    *,
    tenant: Tenant,
    actor: User | None,
    name: str,
    dimension: Dimension,
    element: Element,
    term: str,
    lead_opd: Opd,
    start_year: int,
    end_year: int,
    status: str = "planned",
    description: str = "",
    name_en: str = "",
    description_en: str = "",
    rpjmd_programme: str = "",
    reporting_from: dt.date | None = None,
    supporting_opds: list[Opd] | None = None,
    partners: list[PartnerIn] | None = None,
    budget: list[BudgetIn] | None = None,
    kpis: list[KpiIn] | None = None,
    programme: Programme | None = None,
    is_demo: bool = False,
) -> Programme:
    """Create ``programme`` (None) or replace its fields, partners, budget lines and KPIs.

    KPIs carrying a ``pk`` of this programme are updated in place (their actuals stay);
    KPIs left out are deleted.
    """
    if actor is not None:
        require_admin(actor, tenant)
    _check_programme(
        tenant=tenant,
        dimension=dimension,
        element=element,
        opds=[lead_opd, *(supporting_opds or [])],
        start_year=start_year,
        end_year=end_year,
        budget=budget or [],
        kpis=kpis or [],
    )
    clash = Programme.objects.filter(tenant=tenant, name=name)
    if programme is not None:
        clash = clash.exclude(pk=programme.pk)
    if clash.exists():
        raise DomainError(_("Program dengan nama ini sudah ada."), code="duplicate_programme")

    created = programme is None
    if programme is None:
        programme = Programme(tenant=tenant)
    else:
        # Serialise concurrent edits of one programme.
        lock(programme)
    programme.name = name
    programme.name_en = name_en
    programme.description = description
    programme.description_en = description_en
    programme.dimension = dimension
    programme.element = element
    programme.term = term
    programme.status = status
    programme.lead_opd = lead_opd
    programme.rpjmd_programme = rpjmd_programme
    programme.start_year = start_year
    programme.end_year = end_year
    programme.is_demo = is_demo
    programme.reporting_from = (
        reporting_from or programme.reporting_from or timezone.localdate().replace(month=1, day=1)
    )
    programme.save()
    programme.supporting_opds.set([opd for opd in supporting_opds or [] if opd.pk != lead_opd.pk])

    programme.partners.all().delete()
    Partner.objects.bulk_create(
        Partner(programme=programme, kind=p.kind, name=p.name) for p in partners or []
    )
    programme.budget_lines.all().delete()
    BudgetLine.objects.bulk_create(
        BudgetLine(programme=programme, year=b.year, source=b.source, amount=b.amount)
        for b in budget or []
    )
    _replace_kpis(programme, kpis or [])
    record(
        programme,
        lifecycle=REPORT_LIFECYCLE,
        action="programme_create" if created else "programme_update",
        actor=actor,
    )
    return programme
