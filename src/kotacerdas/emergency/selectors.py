"""Reads of the 112 desk shared by pages, the API and reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from kotacerdas.emergency.models import (
    Call,
    DeskEvent,
    DeskPolicy,
    Dispatch,
    Incident,
    NumberBlock,
)
from kotacerdas.tenants.models import Tenant


def policy_for(tenant: Tenant) -> DeskPolicy:
    """The tenant's policy, or Serang's defaults when none is configured."""
    return DeskPolicy.objects.filter(tenant=tenant).first() or DeskPolicy(tenant=tenant)


@dataclass(frozen=True)
class Breaches:
    dispatch: bool
    moving: bool

    @property
    def any(self) -> bool:
        return self.dispatch or self.moving


def incident_breaches(
    incident: Incident, policy: DeskPolicy, now: dt.datetime | None = None
) -> Breaches:
    """Targets are measured from the moment the call was received. An incident still
    waiting breaches as soon as its target time has passed."""
    now = now or timezone.now()
    dispatch_due = incident.received_at + dt.timedelta(minutes=policy.dispatch_target_minutes)
    moving_due = incident.received_at + dt.timedelta(minutes=policy.moving_target_minutes)
    return Breaches(
        dispatch=(incident.dispatched_at or now) > dispatch_due,
        moving=(incident.en_route_at or now) > moving_due,
    )


def board_incidents(tenant: Tenant) -> list[Incident]:
    """Open incidents for the board, oldest first, with their dispatches (three queries)."""
    return list(
        Incident.objects.open()
        .filter(tenant=tenant)
        .select_related("category", "kelurahan__parent")
        .prefetch_related(
            Prefetch(
                "dispatches",
                queryset=Dispatch.objects.select_related("agency", "unit").order_by("pk"),
            )
        )
        .order_by("received_at")
    )


def caller_history(tenant: Tenant, number: str, limit: int = 10) -> list[Call]:
    return list(
        Call.objects.filter(tenant=tenant, caller_number=number)
        .select_related("incident__category")
        .order_by("-received_at")[:limit]
    )


def active_block(tenant: Tenant, number: str) -> NumberBlock | None:
    return NumberBlock.objects.active().filter(tenant=tenant, number=number).first()


def events_after(tenant_id: int, last_id: int, limit: int = 100) -> QuerySet[DeskEvent]:
    return DeskEvent.objects.filter(tenant_id=tenant_id, pk__gt=last_id).order_by("pk")[:limit]


def last_event_id(tenant_id: int) -> int:
    return (
        DeskEvent.objects.filter(tenant_id=tenant_id)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
        or 0
    )
