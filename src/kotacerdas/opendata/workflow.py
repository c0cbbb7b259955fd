"""The dataset lifecycle: the OPD's producer submits, the walidata (Diskominfo / the region
administrator) approves or returns it, publishes it, and may withdraw it with a reason."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from kotacerdas.core.workflow import Workflow
from kotacerdas.opendata.models import DatasetStatus as S


def cast_labels(labels: dict[str, Any]) -> dict[str, str]:
    """Lazy labels, translated when the error message is built."""
    return labels


# Actions a producer (the owning OPD's operator) takes; the rest belong to the walidata.
PRODUCER_ACTIONS = frozenset({"submit"})

DATASET_WORKFLOW = Workflow.build(
    "opendata.dataset",
    [
        ("submit", [S.DRAFT, S.RETURNED], S.SUBMITTED),
        ("approve", [S.SUBMITTED], S.APPROVED),
        ("return", [S.SUBMITTED, S.APPROVED], S.RETURNED),
        ("publish", [S.APPROVED, S.WITHDRAWN], S.PUBLISHED),
        ("withdraw", [S.PUBLISHED], S.WITHDRAWN),
    ],
    labels=cast_labels(
        {
            "submit": _("ajukan"),
            "approve": _("setujui"),
            "return": _("kembalikan"),
            "publish": _("terbitkan"),
            "withdraw": _("tarik"),
            **{state.value: state.label for state in S},
        }
    ),
)
