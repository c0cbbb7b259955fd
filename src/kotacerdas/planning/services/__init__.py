"""Every write of the planning app, by subtopic. Each function runs in a transaction and writes
an ``AuditEvent`` row through the lifecycle kit: a report moves with ``transition``, every other
write is ``record``ed.

- ``masterplan``: the masterplan and the readiness analysis
- ``programmes``: programmes with partners, budget and KPIs
- ``reports``: progress reports, their evidence and review, overdue reminders
- ``evaluation``: the yearly self-evaluation
"""

from kotacerdas.planning.services.common import REPORT_LIFECYCLE, REPORT_WORKFLOW, REVIEW_ACTIONS
from kotacerdas.planning.services.evaluation import dimension_score_save, evaluation_save
from kotacerdas.planning.services.masterplan import masterplan_save, readiness_entry_add
from kotacerdas.planning.services.programmes import BudgetIn, KpiIn, PartnerIn, programme_save
from kotacerdas.planning.services.reports import (
    evidence_add,
    reminder_send,
    report_save,
    report_transition,
)

__all__ = [
    "REPORT_LIFECYCLE",
    "REPORT_WORKFLOW",
    "REVIEW_ACTIONS",
    "BudgetIn",
    "KpiIn",
    "PartnerIn",
    "dimension_score_save",
    "evaluation_save",
    "evidence_add",
    "masterplan_save",
    "programme_save",
    "readiness_entry_add",
    "reminder_send",
    "report_save",
    "report_transition",
]
