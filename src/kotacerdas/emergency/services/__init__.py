"""Every write of the 112 desk, by subtopic. Each function runs in a transaction and writes
a ``DeskEvent``; incident state changes go through ``core.lifecycle.transition``.

- ``calls``: logging a call, the prank policy, number blocks
- ``incidents``: creating, dispatching and stepping incidents; unit status
- ``links``: the seams to the complaints app (escalation, follow-up complaint)
- ``alerts``: the seam for the sensors app (an alert opens or escalates one incident)
"""

from kotacerdas.emergency.services.alerts import (
    ALERT_CATEGORY_CODE,
    incident_close_from_alert,
    incident_open_from_alert,
)
from kotacerdas.emergency.services.calls import (
    MAX_NUMBER_LENGTH,
    CallResult,
    call_log,
    caller_number_normalize,
    number_unblock,
)
from kotacerdas.emergency.services.incidents import (
    IncidentData,
    incident_create,
    incident_dispatch,
    incident_step,
    unit_set_status,
)
from kotacerdas.emergency.services.links import (
    FollowupSubmit,
    incident_create_followup_complaint,
    incident_create_from_complaint,
)

__all__ = [
    "ALERT_CATEGORY_CODE",
    "MAX_NUMBER_LENGTH",
    "CallResult",
    "FollowupSubmit",
    "IncidentData",
    "call_log",
    "caller_number_normalize",
    "incident_close_from_alert",
    "incident_create",
    "incident_create_followup_complaint",
    "incident_create_from_complaint",
    "incident_dispatch",
    "incident_open_from_alert",
    "incident_step",
    "number_unblock",
    "unit_set_status",
]
