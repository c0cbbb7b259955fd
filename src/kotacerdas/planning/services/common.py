"""The progress report's lifecycle (whose event table also records the app's other writes)
and the check that only the region's administrator changes the plan."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kotacerdas.accounts.models import User
from kotacerdas.core.errors import PermissionDenied
from kotacerdas.core.lifecycle import Lifecycle
from kotacerdas.core.workflow import Workflow
from kotacerdas.planning.access import can_manage
from kotacerdas.planning.models import (
    AuditEvent,
    ReportStatus,
)
from kotacerdas.tenants.models import Tenant

REPORT_WORKFLOW = Workflow.build(
    "progress_report",
    [
        ("submit", [ReportStatus.DRAFT, ReportStatus.RETURNED], ReportStatus.SUBMITTED),
        ("approve", [ReportStatus.SUBMITTED], ReportStatus.APPROVED),
        ("return", [ReportStatus.SUBMITTED], ReportStatus.RETURNED),
    ],
    labels={
        "submit": "ajukan",
        "approve": "setujui",
        "return": "kembalikan",
        **{status.value: str(status.label) for status in ReportStatus},
    },
)
REVIEW_ACTIONS = frozenset({"approve", "return"})
# The report's lifecycle; the app's other writes are recorded in the same event table.
REPORT_LIFECYCLE = Lifecycle(workflow=REPORT_WORKFLOW, event_model=AuditEvent)


def require_admin(actor: User, tenant: Tenant) -> None:
    if not can_manage(actor, tenant):
        raise PermissionDenied(_("Hanya administrator daerah yang boleh melakukan ini."))
