"""The yearly self-evaluation: component weights and a score per dimension with evidence."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import User
from kotacerdas.core.errors import DomainError
from kotacerdas.core.lifecycle import record
from kotacerdas.core.uploads import evidence_check
from kotacerdas.planning.models import (
    Dimension,
    DimensionScore,
    Evaluation,
)
from kotacerdas.planning.scoring import COMPONENTS, validate_components, validate_weights
from kotacerdas.planning.services.common import (
    REPORT_LIFECYCLE,
    require_admin,
)
from kotacerdas.tenants.models import Tenant


@transaction.atomic
def evaluation_save(
    *, tenant: Tenant, actor: User | None, year: int, weights: dict[str, int]
) -> Evaluation:
    """Create or update the evaluation of ``year`` with its component weights (summing to 100)."""
    if actor is not None:
        require_admin(actor, tenant)
    validate_weights(weights)
    evaluation, created = Evaluation.objects.update_or_create(
        tenant=tenant,
        year=year,
        defaults={f"weight_{name}": int(weights[name]) for name in COMPONENTS},
    )
    record(
        evaluation,
        lifecycle=REPORT_LIFECYCLE,
        action="evaluation_create" if created else "evaluation_update",
        actor=actor,
    )
    return evaluation


@transaction.atomic
def dimension_score_save(
    *,
    evaluation: Evaluation,
    actor: User | None,
    dimension: Dimension,
    components: dict[str, int],
    justification: str,
    evidence: UploadedFile | None = None,
) -> DimensionScore:
    if actor is not None:
        require_admin(actor, evaluation.tenant)
    validate_components(components)
    if not justification.strip():
        raise DomainError(
            _("Justifikasi dimensi %(name)s wajib diisi.") % {"name": dimension.name},
            code="justification_required",
        )
    score, _created = DimensionScore.objects.update_or_create(
        evaluation=evaluation,
        dimension=dimension,
        defaults={
            **{name: int(components[name]) for name in COMPONENTS},
            "justification": justification.strip(),
        },
    )
    if evidence is not None:
        name = evidence_check(evidence).name
        score.evidence.save(name, evidence, save=True)
    record(
        evaluation,
        lifecycle=REPORT_LIFECYCLE,
        action="evaluation_score",
        actor=actor,
        note=dimension.code,
        data={"dimensionscore": score.pk},
    )
    return score
