"""The dataset lifecycle, on the lifecycle kit: one transition table
(``workflow.DATASET_WORKFLOW``) and one event table (``DatasetEvent``)."""

from __future__ import annotations

from kotacerdas.core.lifecycle import Lifecycle, lock, record, transition
from kotacerdas.opendata.models import DatasetEvent
from kotacerdas.opendata.workflow import DATASET_WORKFLOW

DATASET_LIFECYCLE = Lifecycle(workflow=DATASET_WORKFLOW, event_model=DatasetEvent)

__all__ = ["DATASET_LIFECYCLE", "lock", "record", "transition"]
