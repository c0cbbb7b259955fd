"""The masterplan (vision, mission, terms) and the readiness analysis."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import User
from kotacerdas.core.errors import DomainError
from kotacerdas.core.lifecycle import record
from kotacerdas.planning.models import (
    Masterplan,
    ReadinessEntry,
)
from kotacerdas.planning.services.common import (
    REPORT_LIFECYCLE,
    require_admin,
)
from kotacerdas.tenants.models import Tenant


@transaction.atomic
def masterplan_save(
    *,
    tenant: Tenant,
    actor: User | None,
    title: str,
    vision: str,
    mission: str,
    strategy: str,
    start_year: int,
    short_term_end: int,
    medium_term_end: int,
    horizon_years: int = 10,
    rpjmd_reference: str = "",
    reporting_frequency: str = "quarterly",
    report_due_days: int = 10,
) -> Masterplan:
    """Create or update the tenant's masterplan. ``actor`` None means a set-up script."""
    if actor is not None:
        require_admin(actor, tenant)
    end_year = start_year + horizon_years - 1
    if not start_year <= short_term_end < medium_term_end < end_year:
        raise DomainError(
            _(
                "Rentang jangka tidak runtut: jangka pendek berakhir antara %(start)s dan akhir "
                "jangka menengah, yang berakhir sebelum %(end)s."
            )
            % {"start": start_year, "end": end_year},
            code="terms_out_of_order",
        )
    masterplan, created = Masterplan.objects.update_or_create(
        tenant=tenant,
        defaults={
            "title": title,
            "vision": vision,
            "mission": mission,
            "strategy": strategy,
            "start_year": start_year,
            "horizon_years": horizon_years,
            "short_term_end": short_term_end,
            "medium_term_end": medium_term_end,
            "rpjmd_reference": rpjmd_reference,
            "reporting_frequency": reporting_frequency,
            "report_due_days": report_due_days,
        },
    )
    record(
        masterplan,
        lifecycle=REPORT_LIFECYCLE,
        action="masterplan_create" if created else "masterplan_update",
        actor=actor,
    )
    return masterplan


@transaction.atomic
def readiness_entry_add(
    *, tenant: Tenant, actor: User | None, leg: str, kind: str, description: str, score: int
) -> ReadinessEntry:
    if actor is not None:
        require_admin(actor, tenant)
    if not 1 <= score <= 5:
        raise DomainError(_("Skor kesiapan harus antara 1 dan 5."), code="score_out_of_range")
    entry = ReadinessEntry.objects.create(
        tenant=tenant, leg=leg, kind=kind, description=description, score=score
    )
    record(entry, lifecycle=REPORT_LIFECYCLE, action="readiness_add", actor=actor)
    return entry
