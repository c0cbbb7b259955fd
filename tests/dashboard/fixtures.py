"""Hand-counted data for the KPI tests: one month (June 2026, WIB) of complaints, service
applications, 112 calls and incidents, and masterplan programmes in Kota Serang.

The expected figures are written next to the rows in the tests; ``NOW`` is the frozen time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from kotacerdas.accounts.models import User
from kotacerdas.complaints.models import Category, Complaint, Disposition, Status
from kotacerdas.emergency.models import Call, CallType, DeskPolicy, Incident, IncidentCategory
from kotacerdas.emergency.models import State as IncidentState
from kotacerdas.planning.models import (
    BudgetLine,
    Dimension,
    Element,
    Programme,
    ProgrammeStatus,
    ProgressReport,
    ReportStatus,
    Term,
)
from kotacerdas.regions.models import Level, Region
from kotacerdas.services.models import (
    Application,
    Document,
    DocumentStatus,
    Requirement,
    Service,
)
from kotacerdas.services.models import Status as AppStatus
from kotacerdas.tenants.models import Opd, Tenant

WIB = dt.timezone(dt.timedelta(hours=7))
NOW = dt.datetime(2026, 6, 20, 3, 0, tzinfo=dt.UTC)
JUNE = (dt.datetime(2026, 6, 1, tzinfo=WIB), dt.datetime(2026, 7, 1, tzinfo=WIB))
JANUARY = (dt.datetime(2026, 1, 1, tzinfo=WIB), dt.datetime(2026, 2, 1, tzinfo=WIB))


def at(month: int, day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=WIB)


@dataclass
class World:
    kecamatan_a: str
    kecamatan_b: str
    opd_x: Opd
    opd_y: Opd


def villages(tenant: Tenant) -> tuple[Region, Region]:
    """A kelurahan in each of the tenant's first two kecamatan."""
    districts = list(
        Region.objects.filter(level=Level.DISTRICT, parent=tenant.region).order_by("code")[:2]
    )
    return tuple(  # type: ignore[return-value]
        Region.objects.filter(parent=d).order_by("code").first() for d in districts
    )


def fresh_tenant(region_code: str, slug: str) -> Tenant:
    """A tenant of its own for these tests: no other app's demo data ever lands in it."""
    region = Region.objects.get(code=region_code)
    tenant, _created = Tenant.objects.get_or_create(
        region=region,
        defaults={
            "name": f"Pemerintah {region.name}",
            "short_name": region.name,
            "slug": slug,
            "jurisdiction_id": f"{slug}.test",
        },
    )
    return tenant


def build(tenant: Tenant, citizen: User, taker: User) -> World:
    village_a, village_b = villages(tenant)
    opd_x = Opd.objects.create(tenant=tenant, name="Dinas Pekerjaan Umum", acronym="DPU")
    opd_y = Opd.objects.create(tenant=tenant, name="Dinas Kesehatan", acronym="Dinkes")
    category = Category.objects.create(
        tenant=tenant, code="kpi-jalan", name="Jalan rusak", group="Jalan", opd=opd_x
    )

    def complaint(n: int, created: dt.datetime, village: Region, **kw: object) -> Complaint:
        return Complaint.objects.create(
            tenant=tenant,
            ticket=f"KPI-{n}",
            category=category,
            description="Jalan berlubang",
            region=village,
            created_at=created,
            verify_due=created + dt.timedelta(days=3),
            **kw,
        )

    c1 = complaint(
        1, at(6, 2), village_a, status=Status.SELESAI, resolved_at=at(6, 4), rating=5
    )  # 2 days
    c2 = complaint(
        2,
        at(6, 3),
        village_b,
        status=Status.SELESAI,
        resolved_at=at(6, 9),
        reopen_count=1,
        rating=3,
    )  # 6 days
    c3 = complaint(3, at(6, 5), village_a, status=Status.DIPROSES, due_at=at(6, 10))  # overdue
    c4 = complaint(4, at(5, 20), village_b, status=Status.DIPROSES, due_at=at(6, 25))
    c5 = complaint(5, at(6, 10), village_b, status=Status.SELESAI, resolved_at=at(6, 11))  # 1 day

    def dispose(
        c: Complaint, opd: Opd, created: dt.datetime, due: dt.datetime, **kw: object
    ) -> None:
        Disposition.objects.create(complaint=c, opd=opd, created_at=created, response_due=due, **kw)

    dispose(c1, opd_x, at(6, 2, 10), at(6, 5), first_response_at=at(6, 2, 16))  # 6 h, in time
    dispose(c2, opd_x, at(6, 3), at(6, 6), first_response_at=at(6, 7))  # 96 h, late
    dispose(c3, opd_x, at(6, 5), at(6, 8))  # no response, deadline passed
    dispose(c5, opd_y, at(6, 19), at(6, 22))  # no response yet, deadline ahead: not counted
    dispose(c4, opd_x, at(5, 20), at(5, 23))  # May: outside the period

    service = Service.objects.create(tenant=tenant, opd=opd_x, code="kpi-ktp", name="KTP-el")
    requirements = [
        Requirement.objects.create(service=service, name=f"Dokumen {i}") for i in range(3)
    ]

    def application(submitted: dt.datetime, **kw: object) -> Application:
        return Application.objects.create(
            tenant=tenant, service=service, applicant=citizen, submitted_at=submitted, **kw
        )

    done = AppStatus.COMPLETED
    application(at(6, 2), status=done, completed_at=at(6, 3), sla_deadline=at(6, 4))  # 24 h
    application(at(6, 4), status=done, completed_at=at(6, 8), sla_deadline=at(6, 5))  # 96 h late
    waiting = application(at(6, 10), status=AppStatus.SUBMITTED, sla_deadline=at(6, 12))
    application(
        at(5, 28, 0), status=done, completed_at=at(6, 1, 12), sla_deadline=at(6, 2)
    )  # 108 h
    for requirement, status in zip(
        requirements,
        [DocumentStatus.PENDING, DocumentStatus.PENDING, DocumentStatus.ACCEPTED],
        strict=True,
    ):
        Document.objects.create(
            application=waiting,
            requirement=requirement,
            file="services/documents/x.pdf",
            original_name="x.pdf",
            content_type="application/pdf",
            size=10,
            status=status,
            uploaded_at=at(6, 10),
        )

    for i, kind in enumerate(
        [CallType.NORMAL, CallType.NORMAL, CallType.NORMAL, CallType.PRANK, CallType.GHOST]
    ):
        Call.objects.create(
            tenant=tenant,
            caller_number=f"+62811000{i}",
            caller_number_raw=f"0811000{i}",
            call_type=kind,
            taker=taker,
            received_at=at(6, 2 + i),
        )
    Call.objects.create(
        tenant=tenant,
        caller_number="+628110009",
        caller_number_raw="08110009",
        call_type=CallType.NORMAL,
        taker=taker,
        received_at=at(5, 30),
    )
    DeskPolicy.objects.update_or_create(tenant=tenant, defaults={"moving_target_minutes": 15})
    incident_category = IncidentCategory.objects.create(
        tenant=tenant, code="kpi-api", name="Kebakaran"
    )

    def incident(received: dt.datetime, village: Region, **kw: object) -> None:
        Incident.objects.create(
            tenant=tenant,
            category=incident_category,
            kelurahan=village,
            landmark="Pasar",
            description="Api",
            received_at=received,
            created_by=taker,
            **kw,
        )

    minutes = dt.timedelta(minutes=1)
    t1, t2, t3 = at(6, 2, 10), at(6, 3), at(6, 19)
    incident(
        t1,
        village_a,
        state=IncidentState.CLOSED,
        dispatched_at=t1 + 2 * minutes,
        en_route_at=t1 + 10 * minutes,
    )  # within target
    incident(
        t2,
        village_b,
        state=IncidentState.RESOLVED,
        dispatched_at=t2 + 6 * minutes,
        en_route_at=t2 + 20 * minutes,
    )  # late
    incident(t3, village_b, state=IncidentState.DISPATCHED, dispatched_at=t3 + 4 * minutes)
    incident(NOW - 5 * minutes, village_b, state=IncidentState.NEW)  # too young to judge

    if not Dimension.objects.exists():  # a transactional test's flush removed the seeded rows
        from importlib import import_module

        from django.apps import apps

        import_module("kotacerdas.planning.migrations.0002_seed_national_dimensions").seed(
            apps, None
        )
    governance = Dimension.objects.get(code="governance")
    element = Element.objects.filter(dimension=governance).first()
    assert element is not None

    def programme(name: str, term: str, status: str, opd: Opd) -> Programme:
        return Programme.objects.create(
            tenant=tenant,
            name=name,
            dimension=governance,
            element=element,
            term=term,
            status=status,
            lead_opd=opd,
            start_year=2026,
            end_year=2026,
            reporting_from=dt.date(2026, 1, 1),
        )

    p1 = programme("KPI Satu Data", Term.QUICK_WIN, ProgrammeStatus.COMPLETED, opd_x)
    p2 = programme("KPI Aduan Terpadu", Term.QUICK_WIN, ProgrammeStatus.ONGOING, opd_y)
    BudgetLine.objects.create(programme=p1, year=2026, source="apbd", amount=Decimal(1000))
    BudgetLine.objects.create(programme=p2, year=2026, source="apbd", amount=Decimal(3000))

    def report(p: Programme, month: int, progress: int, realised: int, status: str) -> None:
        ProgressReport.objects.create(
            tenant=tenant,
            programme=p,
            period_start=dt.date(2026, month, 1),
            period_end=dt.date(2026, month + 1, 1) - dt.timedelta(days=1),
            status=status,
            physical_progress=Decimal(progress),
            budget_realised=Decimal(realised),
            achievements="-",
            created_by=taker,
        )

    report(p1, 3, 40, 200, ReportStatus.APPROVED)
    report(p1, 6, 100, 500, ReportStatus.APPROVED)
    report(p2, 3, 20, 300, ReportStatus.APPROVED)
    report(p2, 6, 50, 1000, ReportStatus.SUBMITTED)  # not approved: not counted
    return World(
        kecamatan_a=village_a.parent_id or "",
        kecamatan_b=village_b.parent_id or "",
        opd_x=opd_x,
        opd_y=opd_y,
    )
