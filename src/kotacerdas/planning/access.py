"""Who may see and change planning data. Objects fetched by a user-supplied id come through
here; anyone not allowed gets a 404, so nobody learns what exists in another tenant."""

from __future__ import annotations

from django.http import Http404

from kotacerdas.accounts.models import Role, User
from kotacerdas.planning.models import (
    DimensionScore,
    Evaluation,
    Evidence,
    Programme,
    ProgressReport,
)
from kotacerdas.tenants.models import Tenant


def can_view(user: User, tenant: Tenant) -> bool:
    """Every staff member of the tenant may read its masterplan and programmes."""
    return user.is_authenticated and user.can_see_tenant(tenant)


def can_manage(user: User, tenant: Tenant) -> bool:
    """Region administrators shape the masterplan, review reports and enter evaluations."""
    return user.is_authenticated and user.administers(tenant)


def can_see_dashboard(user: User, tenant: Tenant) -> bool:
    return user.is_authenticated and (
        user.is_platform_admin or user.is_staff_of(tenant, Role.LEADER, Role.REGION_ADMIN)
    )


def can_report_on(user: User, programme: Programme) -> bool:
    """The lead OPD's operators file its reports; the region administrator may too."""
    if can_manage(user, programme.tenant):
        return True
    return (
        user.is_staff_of(programme.tenant, Role.OPD_OPERATOR)
        and user.opd_id == programme.lead_opd_id
    )


def access_programme(user: User, pk: int, *, tenant: Tenant, for_write: bool = False) -> Programme:
    try:
        programme = Programme.objects.select_related(
            "tenant", "dimension", "element", "lead_opd"
        ).get(pk=pk, tenant=tenant)
    except Programme.DoesNotExist:
        raise Http404("programme") from None
    allowed = can_manage(user, tenant) if for_write else can_view(user, tenant)
    if not allowed:
        raise Http404("programme")
    return programme


def access_report(
    user: User, pk: int, *, tenant: Tenant, for_write: bool = False, for_review: bool = False
) -> ProgressReport:
    """``for_write``: the reporter may edit it; ``for_review``: the region admin may decide."""
    try:
        report = ProgressReport.objects.select_related(
            "tenant",
            "programme",
            "programme__tenant",
            "programme__lead_opd",
            "programme__dimension",
        ).get(pk=pk, tenant=tenant)
    except ProgressReport.DoesNotExist:
        raise Http404("report") from None
    if for_review:
        allowed = can_manage(user, tenant)
    elif for_write:
        allowed = can_report_on(user, report.programme)
    else:
        allowed = can_view(user, tenant)
    if not allowed:
        raise Http404("report")
    return report


def access_evidence(user: User, pk: int, *, tenant: Tenant) -> Evidence:
    try:
        evidence = Evidence.objects.select_related("report").get(pk=pk, report__tenant=tenant)
    except Evidence.DoesNotExist:
        raise Http404("evidence") from None
    if not can_view(user, tenant):
        raise Http404("evidence")
    return evidence


def access_evaluation(
    user: User, year: int, *, tenant: Tenant, for_write: bool = False
) -> Evaluation | None:
    """The tenant's evaluation of ``year`` (None if not entered yet) for a user allowed to see it."""
    allowed = can_manage(user, tenant) if for_write else can_see_dashboard(user, tenant)
    if not allowed:
        raise Http404("evaluation")
    return Evaluation.objects.filter(tenant=tenant, year=year).first()


def access_score_evidence(user: User, pk: int, *, tenant: Tenant) -> DimensionScore:
    """A dimension score with an evidence file, for those who may see the evaluation."""
    score = (
        DimensionScore.objects.filter(pk=pk, evaluation__tenant=tenant).exclude(evidence="").first()
    )
    if score is None or not can_see_dashboard(user, tenant):
        raise Http404("evidence")
    return score
