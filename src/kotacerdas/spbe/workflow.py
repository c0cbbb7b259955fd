from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from kotacerdas.core.lifecycle import Lifecycle
from kotacerdas.core.workflow import Workflow
from kotacerdas.spbe.models import AssessmentEvent, AssessmentStatus

# Lazy labels: the Workflow formats them into its messages in the request's language.
LABELS: dict[str, Any] = {
    "finalize": _("Tetapkan final"),
    "reopen": _("Buka kembali"),
    AssessmentStatus.DRAFT: _("Draf"),
    AssessmentStatus.FINAL: _("Final"),
}

ASSESSMENT_FLOW = Workflow.build(
    "spbe_assessment",
    [
        ("finalize", [AssessmentStatus.DRAFT], AssessmentStatus.FINAL),
        ("reopen", [AssessmentStatus.FINAL], AssessmentStatus.DRAFT),
    ],
    labels=LABELS,
)

ASSESSMENT_LIFECYCLE = Lifecycle(
    workflow=ASSESSMENT_FLOW, event_model=AssessmentEvent, subject_field="assessment"
)
