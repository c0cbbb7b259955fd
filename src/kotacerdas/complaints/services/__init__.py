"""Every write on complaints, split by subtopic. Each function is keyword-only, runs in a
transaction, moves the complaint only through the lifecycle kit (``core.lifecycle``) and
records an ``Event`` (the audit trail that statistics, SLA clocks and the timeline read).
Messages go only through the notification outbox (``services.notices``).

- ``submission``: filing, extra questions, idempotent retries, ticket numbers
- ``handling``: the administrator's triage and each OPD's own part
- ``citizens``: confirm, reopen, rate, "saya juga"
- ``escalations``: overdue complaints to OPD heads and administrators
- ``keys``: Open311 api_keys
"""

from kotacerdas.complaints.services.citizens import (
    complaint_confirm,
    complaint_me_too,
    complaint_rate,
    complaint_reopen,
)
from kotacerdas.complaints.services.common import MAX_DESCRIPTION, photo_publish, policy_for
from kotacerdas.complaints.services.escalations import escalations_send
from kotacerdas.complaints.services.handling import (
    category_other_ensure,
    complaint_archive,
    complaint_classify,
    complaint_close,
    complaint_decline,
    complaint_dispose,
    complaint_forward,
    complaint_hold,
    complaint_resolve,
    complaint_send_back,
    own_disposition,
    response_add,
)
from kotacerdas.complaints.services.keys import (
    hash_key,
    open311_key_check,
    open311_key_create,
    open311_key_find,
)
from kotacerdas.complaints.services.submission import (
    attributes_clean,
    complaint_submit,
    expected_datetime,
    idempotent_replay,
    request_fingerprint,
)

__all__ = [
    "MAX_DESCRIPTION",
    "attributes_clean",
    "category_other_ensure",
    "complaint_archive",
    "complaint_classify",
    "complaint_close",
    "complaint_confirm",
    "complaint_decline",
    "complaint_dispose",
    "complaint_forward",
    "complaint_hold",
    "complaint_me_too",
    "complaint_rate",
    "complaint_reopen",
    "complaint_resolve",
    "complaint_send_back",
    "complaint_submit",
    "escalations_send",
    "expected_datetime",
    "hash_key",
    "idempotent_replay",
    "open311_key_check",
    "open311_key_create",
    "open311_key_find",
    "own_disposition",
    "photo_publish",
    "policy_for",
    "request_fingerprint",
    "response_add",
]
