"""Reads that more than one caller needs."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from kotacerdas.accounts.models import User
from kotacerdas.services.models import (
    Application,
    Appointment,
    Channel,
    Event,
    Fulfilment,
    Location,
    Requirement,
    Service,
    Slot,
    Status,
)
from kotacerdas.tenants.models import Tenant


def service_catalogue(tenant: Tenant) -> QuerySet[Service]:
    return (
        Service.objects.filter(tenant=tenant, is_active=True)
        .select_related("opd")
        .prefetch_related(
            Prefetch("requirements", queryset=Requirement.objects.order_by("order", "pk"))
        )
    )


def desk_queue(
    user: User,
    tenant: Tenant,
    *,
    status: str = "",
    service_id: int | None = None,
    overdue: bool = False,
) -> QuerySet[Application]:
    """Open applications of the operator's OPD, the nearest SLA deadline first."""
    qs = (
        Application.objects.filter(tenant=tenant, service__opd=user.opd)
        .exclude(status=Status.DRAFT)
        .select_related("service", "applicant")
    )
    qs = qs.filter(status=status) if status else qs.open()
    if service_id:
        qs = qs.filter(service_id=service_id)
    if overdue:
        qs = qs.filter(sla_deadline__lt=timezone.now())
    return qs.order_by("sla_deadline", "pk")


def open_slots(tenant: Tenant, *, location: Location | None = None, days: int = 21) -> list[Slot]:
    now = timezone.now()
    qs = Slot.objects.filter(
        tenant=tenant,
        location__is_active=True,
        starts_at__gt=now,
        starts_at__lt=now + dt.timedelta(days=days),
    ).select_related("location")
    if location is not None:
        qs = qs.filter(location=location)
    return list(qs.order_by("starts_at", "location__name"))


def active_appointment(application: Application) -> Appointment | None:
    return (
        application.appointments.filter(cancelled_at__isnull=True)
        .select_related("slot__location")
        .first()
    )


@dataclass
class MonthStats:
    service: str
    month: str  # YYYY-MM
    applications: int
    completed: int
    within_sla: float | None  # share of completed ones, 0..1
    median_hours: float | None
    revision_rate: float
    online_share: float

    def row(self) -> list[object]:
        def pct(v: float | None) -> float | None:
            return None if v is None else round(v * 100, 1)

        return [
            self.service,
            self.month,
            self.applications,
            self.completed,
            pct(self.within_sla),
            None if self.median_hours is None else round(self.median_hours, 1),
            pct(self.revision_rate),
            pct(self.online_share),
            pct(1 - self.online_share),
        ]


def service_statistics(tenant: Tenant, *, service_id: int | None = None) -> list[MonthStats]:
    """Per service and month of submission: volume, SLA compliance, median time to completion,
    revision rate and the share done fully online (online channel, no counter visit)."""
    qs = (
        Application.objects.filter(tenant=tenant, submitted_at__isnull=False)
        .select_related("service")
        .annotate(
            revised=Exists(
                Event.objects.filter(application=OuterRef("pk"), action="request_revision")
            ),
            visited=Exists(
                Appointment.objects.filter(application=OuterRef("pk"), cancelled_at__isnull=True)
            ),
        )
    )
    if service_id:
        qs = qs.filter(service_id=service_id)
    groups: dict[tuple[str, str], list[Application]] = defaultdict(list)
    for application in qs:
        assert application.submitted_at is not None  # noqa: S101 - filtered above
        month = timezone.localtime(application.submitted_at).strftime("%Y-%m")
        groups[(application.service.name, month)].append(application)
    result = []
    for (service, month), apps in sorted(groups.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        done = [
            a for a in apps if a.status == Status.COMPLETED and a.completed_at and a.submitted_at
        ]
        hours = [(a.completed_at - a.submitted_at).total_seconds() / 3600 for a in done]  # type: ignore[operator]
        within = [a for a in done if a.sla_deadline and a.completed_at <= a.sla_deadline]  # type: ignore[operator]
        online = [
            a
            for a in apps
            if a.channel == Channel.ONLINE and a.fulfilment != Fulfilment.PICKUP and not a.visited  # type: ignore[attr-defined]
        ]
        result.append(
            MonthStats(
                service=service,
                month=month,
                applications=len(apps),
                completed=len(done),
                within_sla=len(within) / len(done) if done else None,
                median_hours=statistics.median(hours) if hours else None,
                revision_rate=len([a for a in apps if a.revised]) / len(apps),  # type: ignore[attr-defined]
                online_share=len(online) / len(apps),
            )
        )
    return result
