"""Pages of the masterplan, one module per subtopic: ``masterplan`` (overview, editing,
readiness, export), ``programmes``, ``reports`` (progress reports and their evidence),
``evaluation`` (the yearly self-evaluation) and ``dashboard``."""

from kotacerdas.planning.views.dashboard import dashboard
from kotacerdas.planning.views.evaluation import (
    evaluation_edit,
    evaluation_export,
    evaluation_list,
    score_evidence_download,
)
from kotacerdas.planning.views.masterplan import (
    masterplan_edit,
    masterplan_export,
    overview,
    readiness_add,
)
from kotacerdas.planning.views.programmes import programme_create, programme_detail, programme_edit
from kotacerdas.planning.views.reports import (
    evidence_download,
    report_action,
    report_create,
    report_detail,
    report_edit,
    report_list,
)

__all__ = [
    "dashboard",
    "evaluation_edit",
    "evaluation_export",
    "evaluation_list",
    "evidence_download",
    "masterplan_edit",
    "masterplan_export",
    "overview",
    "programme_create",
    "programme_detail",
    "programme_edit",
    "readiness_add",
    "report_action",
    "report_create",
    "report_detail",
    "report_edit",
    "report_list",
    "score_evidence_download",
]
