"""Reads that more than one caller needs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import User
from kotacerdas.core.kpi_sql import SecondsBetween, percentiles
from kotacerdas.services.models import (
    CLOSED_STATUSES,
    Application,
    Appointment,
    Channel,
    Event,
    FieldKind,
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
    # The OPD's services as ids (one short query), not a join: with constants, PostgreSQL's
    # statistics on (tenant, service) (migration 0008) know that a service belongs to one
    # tenant and read the open applications in deadline order from application_open_sla_idx,
    # stopping after a page. Through the join it expected a few dozen rows and sorted them
    # all: 5,000 for a large city's Disdukcapil at national size (docs/benchmarks.md).
    services = list(
        Service.objects.filter(tenant=tenant, opd=user.opd).values_list("pk", flat=True)
    )
    qs = (
        Application.objects.filter(tenant=tenant, service_id__in=services)
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
    return list(qs.order_by("location__name", "location_id", "starts_at"))


def booking_blocker(application: Application) -> tuple[str, str] | None:
    """Why the applicant cannot choose a visit time now, as ``(code, message)``; None if they can.

    Each service decides (``booking_after_verification``) whether booking waits until the
    operator has found the documents complete, or opens as soon as the application is submitted.
    """
    service = application.service
    if not (service.needs_visit or application.fulfilment == Fulfilment.PICKUP):
        return "no_visit", str(_("Layanan ini tidak memerlukan kedatangan."))
    if application.status in CLOSED_STATUSES:
        return "closed", str(_("Permohonan ini sudah ditutup."))
    if application.status == Status.DRAFT:
        return "not_submitted", str(
            _("Ajukan permohonan terlebih dahulu, lalu pilih jadwal datang.")
        )
    if service.booking_after_verification and application.status not in (
        Status.IN_PROCESS,
        Status.READY,
    ):
        return "not_verified", str(booking_rule_text(service))
    return None


def booking_rule_text(service: Service) -> str:
    """The sentence that tells citizens when they can choose a visit time for this service."""
    if service.booking_after_verification:
        return str(
            _(
                "Jadwal datang dapat dipilih setelah petugas memeriksa berkas Anda dan "
                "menyatakannya lengkap. Kami memberi kabar lewat surel."
            )
        )
    return str(
        _(
            "Jadwal datang dapat dipilih segera setelah permohonan diajukan; berkas asli "
            "diperiksa saat Anda datang."
        )
    )


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


MAX_STAT_MONTHS = 36


def month_range(first: dt.date, last: dt.date, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """The instants from the start of ``first``'s month to the start of the month after
    ``last``'s, in ``zone``."""
    start = dt.datetime(first.year, first.month, 1, tzinfo=zone)
    year, month = (last.year + 1, 1) if last.month == 12 else (last.year, last.month + 1)
    return start, dt.datetime(year, month, 1, tzinfo=zone)


def service_statistics(
    tenant: Tenant,
    *,
    first: dt.date,
    last: dt.date,
    service_id: int | None = None,
    days: bool = False,
    opd_id: int | None = None,
) -> list[MonthStats]:
    """Per service and month of submission from ``first``'s month to ``last``'s (with ``days``:
    from the day ``first`` to the day ``last``; of one OPD's services with ``opd_id``) in the
    tenant's time zone, at most ``MAX_STAT_MONTHS``: volume, SLA compliance, median time to completion,
    revision rate and the share done fully online (online channel, no pick-up, no appointment).
    Counted in the database, the medians too (``core.kpi_sql.percentiles``)."""
    zone = ZoneInfo(tenant.time_zone)
    start, end = month_range(first, last, zone)
    if days:  # from the day ``first`` to the day ``last``, both included
        start = dt.datetime(first.year, first.month, first.day, tzinfo=zone)
        end = dt.datetime(last.year, last.month, last.day, tzinfo=zone) + dt.timedelta(days=1)
    qs = Application.objects.filter(tenant=tenant, submitted_at__gte=start, submitted_at__lt=end)
    if service_id:
        qs = qs.filter(service_id=service_id)
    if opd_id:
        qs = qs.filter(service__opd_id=opd_id)
    revised = Exists(Event.objects.filter(application=OuterRef("pk"), action="request_revision"))
    visited = Exists(
        Appointment.objects.filter(application=OuterRef("pk"), cancelled_at__isnull=True)
    )
    done = Q(status=Status.COMPLETED, completed_at__isnull=False)
    groups = (
        qs.annotate(month=TruncMonth("submitted_at", tzinfo=zone))
        .values("service__name", "month")
        .annotate(
            applications=Count("pk"),
            completed=Count("pk", filter=done),
            within=Count("pk", filter=done & Q(completed_at__lte=F("sla_deadline"))),
            revised=Count("pk", filter=Q(revised)),
            online=Count(
                "pk",
                filter=Q(channel=Channel.ONLINE) & ~Q(fulfilment=Fulfilment.PICKUP) & ~Q(visited),
            ),
        )
    )
    medians = percentiles(
        qs.filter(done).annotate(month=TruncMonth("submitted_at", tzinfo=zone)),
        {"seconds": SecondsBetween("submitted_at", "completed_at")},
        [0.5],
        group_by=["service__name", "month"],
    )
    result = []
    for row in groups:
        found = medians.get((row["service__name"], row["month"]), {})
        month = row["month"].strftime("%Y-%m")
        result.append(
            MonthStats(
                service=row["service__name"],
                month=month,
                applications=row["applications"],
                completed=row["completed"],
                within_sla=row["within"] / row["completed"] if row["completed"] else None,
                median_hours=found["seconds"][0] / 3600 if "seconds" in found else None,
                revision_rate=row["revised"] / row["applications"],
                online_share=row["online"] / row["applications"],
            )
        )
    return sorted(result, key=lambda r: (r.month, r.service))


# What a leader's list of applications may show: no applicant, NIK, KK, address or form data.
REGISTER_FIELDS = (
    "id",
    "number",
    "status",
    "channel",
    "submitted_at",
    "sla_deadline",
    "completed_at",
    "service__name",
    "service__name_en",
    "service__opd__name",
    "service__opd__acronym",
)
REGISTER_DATES = {"diajukan": "submitted_at", "selesai": "completed_at"}


def application_register(
    tenant: Tenant,
    *,
    by: str = "diajukan",
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    status: str = "",
    sla: str = "",
    opd_id: int | None = None,
    service_id: int | None = None,
) -> QuerySet[Application]:
    """The tenant's submitted applications (drafts are nobody's business yet), newest first by
    ``by`` (``REGISTER_DATES``: submission or completion), inside ``[start, end)`` of that
    date, of one status, of one OPD's or one service's, and with ``sla`` "tepat" (completed by
    the deadline) or "lewat" (completed after it). Only ``REGISTER_FIELDS`` are loaded."""
    field = REGISTER_DATES[by]
    qs = Application.objects.filter(tenant=tenant, submitted_at__isnull=False)
    if start is not None:
        qs = qs.filter(**{f"{field}__gte": start})
    if end is not None:
        qs = qs.filter(**{f"{field}__lt": end})
    if by == "selesai":
        qs = qs.filter(completed_at__isnull=False)
    if status:
        qs = qs.filter(status=status)
    if sla == "tepat":
        qs = qs.filter(completed_at__lte=F("sla_deadline"))
    elif sla == "lewat":
        qs = qs.filter(completed_at__gt=F("sla_deadline"))
    if opd_id is not None:
        qs = qs.filter(service__opd_id=opd_id)
    if service_id is not None:
        qs = qs.filter(service_id=service_id)
    return qs.select_related("service__opd").only(*REGISTER_FIELDS).order_by(f"-{field}", "-pk")


def applicant_name(application: Application) -> str:
    """The name given in the form's "nama pemohon" field (the person the application is for)."""
    for field in application.service.fields.all():
        if field.kind == FieldKind.NAME:
            return str((application.form_data or {}).get(field.name, "")).strip()
    return ""


def citizen_applications(user: User, *, limit: int = 20) -> list[dict[str, Any]]:
    """The citizen's applications in every tenant, newest change first, for "Laporan saya"
    (one query; drafts count: they are the citizen's unfinished work)."""
    if not user.is_authenticated:
        return []
    applications = (
        Application.objects.filter(applicant=user)
        .exclude(status=Status.CANCELLED)
        .select_related("service", "tenant")
        .order_by("-updated_at", "-pk")[:limit]
    )
    return [
        {
            "title": f"{a.service.local_name}{f' · {a.number}' if a.number else ''}",
            "url": reverse("services:application_detail", args=[a.tenant.slug, a.pk]),
            "status": a.get_status_display(),
            "updated_at": a.updated_at,
            "tenant": a.tenant.name,
        }
        for a in applications
    ]
