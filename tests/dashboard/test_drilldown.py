"""Every number clicks through to its rows: a figure's link opens the list page filtered by
the period and kecamatan, and the list counts what the figure counts. Also: figures computed
by month in one grouped query equal the month-by-month figures; 112 incidents by kind; the
SPBE predicate; an OPD operator's links and map layers keep to their OPD."""

from __future__ import annotations

import datetime as dt
import re
import sys
from importlib import import_module
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.fixtures import Settings

from kotacerdas.accounts.models import Role, User
from kotacerdas.complaints.models import Complaint, Disposition
from kotacerdas.core import kpis
from kotacerdas.core.kpis import KpiQuery
from kotacerdas.emergency.models import Call, Incident, IncidentCategory
from kotacerdas.tenants.models import Opd, Tenant
from tests.dashboard.fixtures import World

from .fixtures import NOW, WIB, at

pytestmark = pytest.mark.django_db

JUNE = {"periode": "bulan", "acuan": "2026-06-01"}
# A cold overview of a month: every KPI of this month and the month before (one grouped query
# a KPI with ``per_month``), the parts and verdicts, the session, tenant and kecamatan list.
OVERVIEW_COLD_QUERIES = 108


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def overview(client: Client, tenant: Tenant, **params: str) -> dict:  # type: ignore[type-arg]
    url = reverse("dashboard:overview", kwargs={"tenant_slug": tenant.slug})
    response = client.get(url, {**JUNE, **params})
    assert response.status_code == 200
    return {f.kpi.key: f for f in response.context["overview"].figures}


def total(client: Client, link: str) -> int:
    """The count a list page shows for the filters of the link."""
    response = client.get(link)
    assert response.status_code == 200, link
    found = re.search(r'data-total="(\d+)"', response.content.decode())
    assert found, link
    return int(found.group(1))


def follow(client: Client, figure) -> int:  # type: ignore[no-untyped-def]
    assert figure.list_url, figure.kpi.key
    return total(client, figure.list_url)


# --- month by month in one grouped query -----------------------------------------------


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("narrow", ["tenant", "kecamatan", "opd"])
def test_figures_by_month_equal_the_figures_of_each_month(
    world: tuple[Tenant, World], narrow: str
) -> None:
    tenant, w = world
    extra: dict[str, Any] = {"kecamatan": w.kecamatan_a} if narrow == "kecamatan" else {}
    if narrow == "opd":
        extra = {"opd_id": w.opd_x.pk}
    months = [
        (dt.datetime(2026, m, 1, tzinfo=WIB), dt.datetime(2026, m + 1, 1, tzinfo=WIB))
        for m in range(3, 8)
    ]
    with_months = [k for k in kpis.registered() if k.per_month is not None]
    assert {"complaints.received", "services.received", "emergency.incidents"} <= {
        k.key for k in with_months
    }
    for kpi in with_months:
        assert kpi.per_month is not None
        grouped = kpi.per_month(KpiQuery(tenant, months[0][0], months[-1][1], **extra))
        for start, end in months:
            single = kpi.compute(KpiQuery(tenant, start, end, **extra))
            assert grouped.get(start.date()) == pytest.approx(single), (kpi.key, start)


BIG_TABLES = ("complaints_complaint", "complaints_disposition", "services_application")


@time_machine.travel(NOW, tick=False)
def test_trend_reads_the_big_tables_once_a_kpi_for_twelve_months(
    world: tuple[Tenant, World], leader: User
) -> None:
    tenant, _w = world
    client = signed_in(leader)
    trend = reverse("dashboard:trend", kwargs={"tenant_slug": tenant.slug})
    with CaptureQueriesContext(connection) as queries:
        data = client.get(trend, JUNE).json()
    assert data["series"]["complaints.received"][-1] == 4
    assert data["series"]["complaints.received"][-2] == 1  # c4, 20 May
    assert data["series"]["emergency.calls"][-2] == 1
    grouped = [k for k in kpis.registered() if k.per_month is not None and k.app != "emergency"]
    on_big_tables = [q for q in queries.captured_queries if any(t in q["sql"] for t in BIG_TABLES)]
    if connection.vendor == "postgresql":
        # One grouped query a KPI, where 12 months one by one took 12.
        assert len(on_big_tables) == len(grouped)
    else:  # SQLite has no median aggregate: a median is read month by month
        assert len(on_big_tables) < 12 * len(grouped) / 2


# --- every count clicks through to as many rows ------------------------------------------


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("narrow", [{}, {"kecamatan": "a"}, {"periode": "kustom"}])
def test_complaint_figures_open_the_inbox_with_as_many_rows(
    world: tuple[Tenant, World], leader: User, narrow: dict[str, str]
) -> None:
    tenant, w = world
    client = signed_in(leader)
    params = {}
    if "kecamatan" in narrow:
        params["kecamatan"] = w.kecamatan_a
    if "periode" in narrow:
        params = {"periode": "kustom", "dari": "2026-06-03", "sampai": "2026-06-10"}
    figures = overview(client, tenant, **params)
    received = figures["complaints.received"]
    assert received.value
    assert follow(client, received) == received.value
    overdue = figures["complaints.overdue_now"]
    assert follow(client, overdue) == overdue.value == 1


def also_dispose(ticket: str, opd: Opd, created: dt.datetime, **kw: Any) -> None:
    complaint = Complaint.objects.get(ticket=ticket)
    due = created + dt.timedelta(days=3)
    Disposition.objects.create(
        complaint=complaint, opd=opd, created_at=created, response_due=due, **kw
    )


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("narrow", ["tenant", "kecamatan"])
def test_response_figures_open_the_dispositions_they_count(
    world: tuple[Tenant, World], leader: User, narrow: str
) -> None:
    tenant, w = world
    # c1 also went to Dinkes in June, answered in time: two dispositions, one complaint.
    also_dispose("KPI-1", w.opd_y, at(6, 2, 11), first_response_at=at(6, 3))
    client = signed_in(leader)
    params = {"kecamatan": w.kecamatan_a} if narrow == "kecamatan" else {}
    figures = overview(client, tenant, **params)
    share, median = (
        figures["complaints.responded_within_sla"],
        figures["complaints.median_first_response"],
    )
    assert "tanggal=disposisi" in share.list_url and "dari=2026-06-01" in share.list_url
    # Counted for the share: c1 twice (DPU, Dinkes), c2 (late), c3 (no answer, deadline
    # passed) in the tenant; c1 twice and c3 in kecamatan a. c5's deadline is ahead.
    counted, within = (4, 2) if narrow == "tenant" else (3, 2)
    assert follow(client, share) == counted
    on_time = share.list_url.replace("tanggapan=dihitung", "tanggapan=tepat")
    assert total(client, on_time) == within
    assert 100 * within / counted == pytest.approx(share.value)
    # The median's rows: the answered dispositions (c1 twice and c2; c1 twice in a).
    assert follow(client, median) == (3 if narrow == "tenant" else 2)
    # The inbox's own filters narrow the dispositions too: those of resolved complaints.
    assert total(client, share.list_url + "&status=selesai") == counted - 1  # not c3
    body = client.get(share.list_url).content.decode()
    assert "KPI-1</a> · disposisi ke DPU, Dinkes" in body
    assert "KPI-5" not in body


@time_machine.travel(NOW, tick=False)
def test_response_figures_of_an_opd_open_its_own_dispositions(
    world: tuple[Tenant, World], leader: User, opd_operator: User
) -> None:
    tenant, w = world
    also_dispose("KPI-3", w.opd_y, at(6, 6))
    client = signed_in(opd_operator)  # DPU: c1 in time, c2 late, c3 unanswered
    figures = overview(client, tenant)
    share = figures["complaints.responded_within_sla"]
    assert f"opd={w.opd_x.pk}" in share.list_url
    assert follow(client, share) == 3
    assert share.value == pytest.approx(100 / 3)
    assert follow(client, figures["complaints.median_first_response"]) == 2
    # A leader following the same link sees DPU's dispositions only, not Dinkes' of c3.
    assert total(signed_in(leader), share.list_url) == 3
    inbox = reverse("complaints:staff_inbox", kwargs={"tenant_slug": tenant.slug})
    leaders = signed_in(leader)
    for bad in ({"tanggapan": "semua"}, {"opd": "x"}, {"opd": "999999"}, {"opd": "1" * 30}):
        response = leaders.get(inbox, {"tanggal": "disposisi", **bad})
        assert response.status_code == 400, bad
    other = Opd.objects.exclude(tenant=tenant).first()
    assert other is not None
    response = leaders.get(inbox, {"tanggal": "disposisi", "opd": str(other.pk)})
    assert response.status_code == 400


@time_machine.travel(NOW, tick=False)
def test_services_received_opens_the_statistics_of_those_days(
    world: tuple[Tenant, World], leader: User
) -> None:
    tenant, _w = world
    client = signed_in(leader)
    for params in ({}, {"periode": "kustom", "dari": "2026-06-03", "sampai": "2026-06-30"}):
        figure = overview(client, tenant, **params)["services.received"]
        assert "dari=2026-06-0" in figure.list_url
        assert follow(client, figure) == figure.value


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("narrow", ["tenant", "kecamatan"])
def test_resolution_figures_open_the_complaints_resolved_in_the_period(
    world: tuple[Tenant, World], leader: User, narrow: str
) -> None:
    tenant, w = world
    client = signed_in(leader)
    params = {"kecamatan": w.kecamatan_a} if narrow == "kecamatan" else {}
    figures = overview(client, tenant, **params)
    # Resolved in June: c1 (kecamatan a, rated), c2 (b, rated, reopened), c5 (b, not rated).
    resolved, rated = (3, 2) if narrow == "tenant" else (1, 1)
    for key in ("complaints.median_resolution", "complaints.reopen_rate"):
        figure = figures[key]
        assert figure.value is not None and "tanggal=selesai" in figure.list_url
        assert follow(client, figure) == resolved, key
    assert follow(client, figures["complaints.average_rating"]) == rated
    bad = figures["complaints.reopen_rate"].list_url.replace("tanggal=selesai", "tanggal=besok")
    assert client.get(bad).status_code == 400


@time_machine.travel(NOW, tick=False)
def test_every_services_figure_opens_the_applications_it_counts(
    world: tuple[Tenant, World], leader: User
) -> None:
    tenant, _w = world
    client = signed_in(leader)
    figures = overview(client, tenant)
    received = figures["services.received"]
    assert follow(client, received) == received.value == 3  # submitted 2, 4 and 10 June
    completed = figures["services.completed"]
    assert follow(client, completed) == completed.value == 3  # completed 1, 3 and 8 June
    for key in ("services.completed_within_sla", "services.median_completion"):
        assert figures[key].list_url == completed.list_url
    # The share within the SLA is the rows marked on time among them (two of three).
    within = total(client, completed.list_url + "&sla=tepat")
    assert 100 * within / 3 == pytest.approx(figures["services.completed_within_sla"].value)
    # A custom range: the same list, narrowed to its days.
    custom = overview(client, tenant, periode="kustom", dari="2026-06-03", sampai="2026-06-30")
    assert follow(client, custom["services.completed"]) == custom["services.completed"].value == 2


@time_machine.travel(NOW, tick=False)
def test_incidents_by_kind_add_up_and_each_kind_opens_its_incidents(
    world: tuple[Tenant, World], leader: User
) -> None:
    tenant, w = world
    flood = IncidentCategory.objects.create(
        tenant=tenant, code="kpi-banjir", name="Banjir", name_en="Flood"
    )
    Incident.objects.filter(tenant=tenant, received_at__gte=at(6, 3)).update(category=flood)
    client = signed_in(leader)
    for params in ({}, {"kecamatan": w.kecamatan_a}):
        figures = overview(client, tenant, **params)
        incidents = figures["emergency.incidents"]
        assert incidents.value
        assert follow(client, incidents) == incidents.value
        assert sum(p.value for p in incidents.parts) == incidents.value
        for part in incidents.parts:
            assert total(client, part.list_url) == part.value
        opened = figures["emergency.open_incidents"]
        assert follow(client, opened) == opened.value
        # The dispatch median and the moving-target share are over the period's incidents.
        for key in ("emergency.median_dispatch", "emergency.moving_within_target"):
            assert figures[key].list_url == incidents.list_url, key
    figures = overview(client, tenant)
    assert [(p.label, p.value) for p in figures["emergency.incidents"].parts] == [
        ("Banjir", 3),
        ("Kebakaran", 1),
    ]
    # The same cached figures read in English: each kind's English name where it has one.
    client.cookies["django_language"] = "en"
    figures = overview(client, tenant)
    assert [(p.label, p.value) for p in figures["emergency.incidents"].parts] == [
        ("Flood", 3),
        ("Kebakaran", 1),
    ]
    client.cookies["django_language"] = "id"
    # The chart and the links to each kind are on the page.
    body = client.get(
        reverse("dashboard:overview", kwargs={"tenant_slug": tenant.slug}), JUNE
    ).content.decode()
    assert 'data-parts-chart="emergency.incidents"' in body
    assert "jenis=kpi-banjir" in body


@time_machine.travel(NOW, tick=False)
def test_call_figures_open_the_calls_of_the_period_without_callers(
    world: tuple[Tenant, World], leader: User
) -> None:
    tenant, w = world
    incident = Incident.objects.filter(tenant=tenant)[0]
    Call.objects.filter(tenant=tenant, call_type="normal").update(
        caller_name="Slamet Riyadi", incident=incident, note="Jl. Veteran 12"
    )
    client = signed_in(leader)
    figures = overview(client, tenant)
    calls, prank = figures["emergency.calls"], figures["emergency.prank_share"]
    assert "dari=2026-06-01" in calls.list_url and "sampai=2026-06-30" in calls.list_url
    assert follow(client, calls) == calls.value == 5  # 2-6 June, not the one of 30 May
    # The share is of the period's calls: the prank and ghost ones among them (two of five).
    assert prank.list_url == calls.list_url
    pranks = total(client, calls.list_url + "&iseng=1")
    assert 100 * pranks / 5 == pytest.approx(prank.value) == 40
    assert total(client, calls.list_url + "&jenis=ghost") == 1
    custom = overview(client, tenant, periode="kustom", dari="2026-06-03", sampai="2026-06-30")
    assert follow(client, custom["emergency.calls"]) == custom["emergency.calls"].value == 4
    # A kecamatan has no call figures; the link still opens the period's calls, not a 400.
    narrowed = overview(client, tenant, kecamatan=w.kecamatan_a)["emergency.calls"]
    assert narrowed.value is None and "kecamatan" not in narrowed.list_url
    body = client.get(calls.list_url).content.decode()
    for personal in ("+62811", "0811000", "Slamet", "Veteran"):
        assert personal not in body, personal
    assert f"/insiden/{incident.pk}/" in body  # a leader watches the board: the incident opens


@time_machine.travel(NOW, tick=False)
def test_call_list_is_for_the_supervisor_leaders_and_region_admins_of_the_tenant(
    world: tuple[Tenant, World], leader: User, admin_kab: User
) -> None:
    from .conftest import staff

    tenant, _w = world
    page = reverse("emergency:call_list", kwargs={"tenant_slug": tenant.slug})
    admin = staff("admin-tgr", Role.REGION_ADMIN, tenant)
    supervisor = staff("supervisor-tgr", Role.SUPERVISOR, tenant)
    for user in (leader, admin, supervisor):
        assert total(signed_in(user), page) == 6, user.username
    # A region administrator does not watch the desk: incidents are named, not linked.
    Call.objects.filter(tenant=tenant).update(incident=Incident.objects.filter(tenant=tenant)[0])
    assert "/insiden/" not in signed_in(admin).get(page).content.decode()
    assert overview(signed_in(admin), tenant)["emergency.calls"].list_url
    for outsider in (admin_kab, staff("calltaker-tgr", Role.CALLTAKER, tenant)):
        assert signed_in(outsider).get(page).status_code == 404, outsider.username


@time_machine.travel(NOW, tick=False)
def test_call_list_pages_by_keyset_and_rejects_bad_filters(
    world: tuple[Tenant, World], leader: User
) -> None:
    tenant, w = world
    view: Any = sys.modules["kotacerdas.emergency.views.call_list"]
    client = signed_in(leader)
    page = reverse("emergency:call_list", kwargs={"tenant_slug": tenant.slug})
    original = view.PAGE
    view.PAGE = 4
    try:
        first = client.get(page, {"dari": "2026-05-01", "sampai": "2026-06-30"})
        assert len(first.context["page"]) == 4 and first.context["next_url"]
        second = client.get(page + first.context["next_url"])
        assert not second.context["next_url"]
        seen = [c["pk"] for c in first.context["page"]] + [c["pk"] for c in second.context["page"]]
        assert len(set(seen)) == len(seen) == first.context["total"] == 6
    finally:
        view.PAGE = original
    for params in (
        {"jenis": "tidak-ada"},
        {"iseng": "ya"},
        {"kecamatan": w.kecamatan_a},
        {"dari": "2026-13-01"},
        {"dari": "2026-06-30", "sampai": "2026-06-01"},
        {"setelah": "x"},
        {"setelah": "999999999"},
    ):
        response = client.get(page, params)
        assert response.status_code == 400, params


@time_machine.travel(NOW, tick=False)
def test_list_pages_reject_bad_filters_with_a_400(
    world: tuple[Tenant, World], leader: User
) -> None:
    tenant, _w = world
    client = signed_in(leader)
    pages = [
        reverse("complaints:staff_inbox", kwargs={"tenant_slug": tenant.slug}),
        reverse("emergency:incident_list", kwargs={"tenant_slug": tenant.slug}),
        reverse("services:statistics", kwargs={"tenant_slug": tenant.slug}),
        reverse("services:application_register", kwargs={"tenant_slug": tenant.slug}),
    ]
    for page in pages:
        for params in (
            {"dari": "2026-13-01", "sampai": "2026-06-30"},
            {"dari": "2026-06-30", "sampai": "2026-06-01"},
            {"dari": "2026-06-01", "sampai": "2026-06-30", "kecamatan": "36.73.01"},
        ):
            assert client.get(page, params).status_code == 400, (page, params)
    incidents = pages[1]
    assert client.get(incidents, {"jenis": "tidak-ada"}).status_code == 400
    assert client.get(incidents, {"setelah": "x"}).status_code == 400


@time_machine.travel(NOW, tick=False)
def test_incident_list_pages_by_keyset_and_shows_no_caller(
    world: tuple[Tenant, World], leader: User
) -> None:
    tenant, _w = world
    view: Any = sys.modules["kotacerdas.emergency.views.incident_list"]  # PAGE set below

    client = signed_in(leader)
    page = reverse("emergency:incident_list", kwargs={"tenant_slug": tenant.slug})
    original = view.PAGE
    view.PAGE = 2
    try:
        first = client.get(page)
        seen = re.findall(r"/insiden/(\d+)/", first.content.decode())
        assert len(seen) == 2 and first.context["next_url"]
        second = client.get(page + first.context["next_url"])
        more = re.findall(r"/insiden/(\d+)/", second.content.decode())
        assert more and not set(more) & set(seen)
        assert len(seen) + len(more) == first.context["total"]
    finally:
        view.PAGE = original
    assert "+62811" not in first.content.decode()


@pytest.fixture
def demo_city(pimpinan_kota: User):  # type: ignore[no-untyped-def]
    """Kota Serang with every app's demo data, as ``kotacerdas setup --demo`` loads it."""
    from django.apps import apps

    with time_machine.travel(NOW, tick=False):
        for config in apps.get_app_configs():
            if config.name.startswith("kotacerdas.") and config.name != "kotacerdas.accounts":
                try:
                    demo = import_module(f"{config.name}.demo")
                except ModuleNotFoundError:
                    continue
                demo.load_demo(password="rahasia-sekali-123")
    return pimpinan_kota


# --- sensors, open data, tourism and Wi-Fi: the period's rows --------------------------------

YEAR = {"periode": "tahun", "acuan": "2026-06-01"}
LAST_30_DAYS = {"periode": "kustom", "dari": "2026-05-22", "sampai": "2026-06-20"}


def rows_in_and_out_of_the_period(tenant: Tenant) -> None:
    """Alerts, downloads and visitors' requests in June 2026 and before (the demo's Wi-Fi
    sessions and checks are of the last weeks already)."""
    from kotacerdas.economy.models import RequestKind, TourismVillage, VisitorRequest
    from kotacerdas.opendata.models import Dataset, DownloadCount
    from kotacerdas.regions.models import Region
    from kotacerdas.sensors.models import Alert, AlertRule, Device, Rollup

    rule = AlertRule.objects.filter(tenant=tenant).first()
    water = Device.objects.filter(tenant=tenant, kind="water_level").first()
    air = Device.objects.filter(tenant=tenant).exclude(kind="water_level").first()
    assert rule and water and air
    for device, opened, incident in (
        (water, at(6, 10), 1),
        (water, at(6, 12), None),
        (air, at(6, 15), 2),
        (water, at(1, 5), 3),  # January: in the year, not the last 30 days
        (water, dt.datetime(2025, 12, 1, tzinfo=WIB), 4),  # outside both
    ):
        Alert.objects.create(
            tenant=tenant,
            rule=rule,
            device=device,
            status="closed",
            level="siaga",
            level_name="Siaga",
            value=1.0,
            peak=1.0,
            opened_at=opened,
            closed_at=opened + dt.timedelta(hours=1),
            incident_id=incident,
        )
    for start, bucket, quantity, count, total in (
        (at(6, 3), "day", "water_level", 100, 100.0),
        (at(1, 3), "day", "water_level", 50, 50.0),
        (dt.datetime(2025, 12, 3, tzinfo=WIB), "day", "water_level", 30, 30.0),
        (at(6, 3, 10), "hour", "ispu", 2, 310.0),  # a mean of 155
        (at(1, 3, 10), "hour", "ispu", 1, 420.0),
    ):
        Rollup.objects.create(
            device=air,
            quantity=quantity,
            bucket=bucket,
            start=start,
            count=count,
            total=total,
            minimum=0.0,
            maximum=total,
        )
    datasets = list(Dataset.objects.filter(tenant=tenant).published()[:2])
    for dataset in datasets:
        for month, count in ((dt.date(2026, 6, 1), 5), (dt.date(2026, 3, 1), 7)):
            DownloadCount.objects.create(tenant=tenant, dataset=dataset, month=month, count=count)
    assert datasets
    kelurahan = Region.objects.villages_of_regency(tenant.code)[0]
    village = TourismVillage.objects.create(
        tenant=tenant, village=kelurahan, name="Desa Wisata Uji", slug="uji", lat=-6.1, lng=106.1
    )
    for kind, created, answered in (
        (RequestKind.ENQUIRY, at(6, 1, 8), at(6, 1, 20)),
        (RequestKind.HOMESTAY, at(6, 2), None),
        (RequestKind.HOMESTAY, at(6, 3), at(6, 3, 12)),
        (RequestKind.ENQUIRY, at(2, 3), at(2, 4)),
    ):
        VisitorRequest.objects.create(
            tenant=tenant,
            village=village,
            kind=kind,
            visitor_name="Rina Wati",
            visitor_email="rina@example.com",
            created_at=created,
            answered_at=answered,
        )


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("period", [YEAR, LAST_30_DAYS], ids=["year", "days"])
def test_sensor_open_data_tourism_and_wifi_figures_open_their_period_rows(
    demo_city: User, period: dict[str, str]
) -> None:
    assert demo_city.tenant is not None
    rows_in_and_out_of_the_period(demo_city.tenant)
    client = signed_in(demo_city)
    figures = overview(client, demo_city.tenant, **period)
    counted = {}
    for key in (
        "sensors.flood_alerts",
        "sensors.alerts_to_112",
        "sensors.readings_stored",
        "opendata.datasets_published",
        "opendata.datasets_updated",
        "opendata.downloads",
        "economy.requests",
        "economy.bookings",
        "wifi.sessions",
        "wifi.devices",
    ):
        figure = figures[key]
        assert "dari=" in figure.list_url or "tanggal=terbit" in figure.list_url, key
        counted[key] = follow(client, figure)
        assert counted[key] == (figure.value or 0), key
    assert all(counted.values()), counted  # there were rows to count
    # Shares and medians: the rows they are over, and the part the share counts.
    requests = figures["economy.requests"].list_url
    answered = total(client, requests + "&angka=dijawab")
    assert figures["economy.answered"].list_url == requests
    assert 100 * answered / counted["economy.requests"] == pytest.approx(
        figures["economy.answered"].value
    )
    assert follow(client, figures["economy.first_answer_hours"]) == answered
    ispu = figures["sensors.worst_ispu"]
    assert ispu.list_url == figures["sensors.readings_stored"].list_url
    found = re.search(r'data-worst-ispu="([\d.]+)"', client.get(ispu.list_url).content.decode())
    assert found and float(found.group(1)) == pytest.approx(ispu.value)
    checks = figures["wifi.uptime"]
    up = total(client, checks.list_url.replace("angka=pemeriksaan", "angka=menjawab"))
    assert 100 * up / follow(client, checks) == pytest.approx(checks.value)


@time_machine.travel(NOW, tick=False)
def test_an_opd_operators_sensor_alerts_open_their_own_devices_alerts(demo_city: User) -> None:
    from kotacerdas.sensors.models import Device

    from .conftest import staff

    tenant = demo_city.tenant
    assert tenant is not None
    rows_in_and_out_of_the_period(tenant)
    water = Device.objects.filter(tenant=tenant, kind="water_level").first()
    assert water is not None and water.opd is not None
    Device.objects.filter(tenant=tenant).exclude(opd=water.opd).update(opd=None)
    operator = staff("operator-sensor", Role.OPD_OPERATOR, tenant, opd=water.opd)
    client = signed_in(operator)
    figures = overview(client, tenant, **YEAR)
    flood = figures["sensors.flood_alerts"]
    assert f"opd={water.opd.pk}" in flood.list_url
    assert follow(client, flood) == flood.value == 3  # 10 and 12 June, 5 January
    assert total(signed_in(demo_city), flood.list_url) == 3
    to_112 = figures["sensors.alerts_to_112"]
    assert follow(client, to_112) == to_112.value == 2  # the air monitor's is not the OPD's


@time_machine.travel(NOW, tick=False)
def test_sensor_open_data_tourism_and_wifi_lists_reject_bad_filters(demo_city: User) -> None:
    assert demo_city.tenant is not None
    slug = demo_city.tenant.slug
    client = signed_in(demo_city)
    pages = {
        reverse("sensors:alerts", args=[slug]): {"jenis": "x", "ke112": "2", "status": "x"},
        reverse("sensors:staff_map", args=[slug]): {"kecamatan": "36.73.01"},
        reverse("opendata:portal", args=[slug]): {"tanggal": "kemarin", "kecamatan": "36.73.01"},
        reverse("opendata:statistics", args=[slug]): {"kecamatan": "36.73.01"},
        reverse("economy:figures", args=[slug]): {"angka": "semua"},
        reverse("wifi:figures", args=[slug]): {"angka": "x", "opd": "x"},
    }
    for page, own in pages.items():
        for params in (
            {"dari": "2026-13-01"},
            {"dari": "2026-06-30", "sampai": "2026-06-01"},
            {"kecamatan": "99.99.99"},
            *({name: value} for name, value in own.items()),
        ):
            assert client.get(page, params).status_code == 400, (page, params)
    alerts = reverse("sensors:alerts", args=[slug])
    assert client.get(alerts, {"sebelum": "kemarin_1"}).status_code == 400


# --- SPBE: the latest index with its predicate, and the index of every year -------------


@time_machine.travel(NOW, tick=False)
def test_spbe_index_shows_its_predicate_in_both_languages_and_its_years(demo_city) -> None:  # type: ignore[no-untyped-def]
    from kotacerdas.spbe.selectors import spbe_index_trend

    pimpinan_kota = demo_city
    tenant = pimpinan_kota.tenant
    history = [row for row in spbe_index_trend(tenant) if row[0] <= NOW.year]
    assert history, "the demo data has final SPBE assessments"
    client = signed_in(pimpinan_kota)
    figure = overview(client, tenant)["spbe.index"]
    assert figure.value == pytest.approx(history[-1][1])
    assert figure.verdict is not None and figure.verdict.name == history[-1][2]
    assert figure.verdict.name_en and figure.verdict.name_en != figure.verdict.name
    assert [p.label for p in figure.parts] == [str(y) for y, _i, _p in history]
    page = reverse("dashboard:overview", kwargs={"tenant_slug": tenant.slug})
    indonesian = client.get(page, JUNE).content.decode()
    assert f'data-verdict="{figure.verdict.name}">{figure.verdict.name}<' in indonesian
    client.cookies["django_language"] = "en"
    english = client.get(page, JUNE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f">{figure.verdict.name_en}<" in english


@time_machine.travel(NOW, tick=False)
def test_cold_overview_scores_the_spbe_index_once_in_a_pinned_number_of_queries(
    demo_city: User, settings: Settings
) -> None:
    """The index, its change, its predicate and its years share one scoring of the tenant's
    final assessments (it read every assessment's scores four times)."""
    settings.DASHBOARD_WORKERS = 1  # every query on this connection, to be counted
    client = signed_in(demo_city)
    assert demo_city.tenant is not None
    page = reverse("dashboard:overview", kwargs={"tenant_slug": demo_city.tenant.slug})
    with CaptureQueriesContext(connection) as queries:
        assert client.get(page, JUNE).status_code == 200
    scorings = [q for q in queries.captured_queries if "spbe_indicatorscore" in q["sql"]]
    assert len(scorings) == 1
    assert len(queries) <= OVERVIEW_COLD_QUERIES, len(queries)


# --- an OPD operator: own figures, own rows, own map ---------------------------------------


@time_machine.travel(NOW, tick=False)
def test_opd_operator_links_and_map_keep_to_their_opd(
    world: tuple[Tenant, World], opd_operator: User
) -> None:
    tenant, w = world
    client = signed_in(opd_operator)
    figures = overview(client, tenant)
    received = figures["complaints.received"]
    assert received.value == 3  # c1, c2, c3 disposed to DPU
    assert follow(client, received) == 3
    assert follow(client, figures["services.received"]) == figures["services.received"].value
    assert follow(client, figures["services.completed"]) == figures["services.completed"].value
    # c1 and c2 resolved in June, both disposed to DPU.
    assert follow(client, figures["complaints.median_resolution"]) == 2
    # No link to a list that would show other OPDs' rows.
    assert figures["emergency.incidents"].list_url is None
    assert not figures["emergency.incidents"].parts
    # The map: only layers whose rows know their OPD, and only the OPD's rows.
    Complaint.objects.filter(tenant=tenant).update(lat=-6.17, long=106.63)
    response = client.get(reverse("dashboard:overview", kwargs={"tenant_slug": tenant.slug}))
    layers = [layer["key"] for layer in response.context["map_config"]["layers"]]
    assert "complaints.open" in layers and "emergency.incidents_24h" not in layers
    data_url = reverse("dashboard:map_data", kwargs={"tenant_slug": tenant.slug})
    mine = client.get(data_url, {"lapisan": "complaints.open"}).json()
    assert mine["total"] == 2  # c3 (DPU) and c4 (DPU, May), both open
    Disposition.objects.filter(complaint__ticket="KPI-4").update(opd=w.opd_y)
    assert client.get(data_url, {"lapisan": "complaints.open"}).json()["total"] == 1
    hidden = client.get(data_url, {"lapisan": "emergency.incidents_24h"})
    assert hidden.status_code == 400


@time_machine.travel(NOW, tick=False)
def test_every_kpi_keeps_to_the_opd_of_the_query(demo_city) -> None:  # type: ignore[no-untyped-def]
    """An OPD without any rows of its own has no figure at all, in a tenant full of data."""
    tenant = demo_city.tenant
    empty = Opd.objects.create(tenant=tenant, name="Dinas Tanpa Data", acronym="DTD")
    query = KpiQuery(
        tenant, dt.datetime(2020, 1, 1, tzinfo=WIB), dt.datetime(2027, 1, 1, tzinfo=WIB)
    )
    scoped = KpiQuery(tenant, query.start, query.end, opd_id=empty.pk)
    whole = {k.key: k.compute(query) for k in kpis.registered()}
    assert sum(1 for v in whole.values() if v) >= 15, whole  # the demo has data to leak
    leaks = {k.key: v for k in kpis.registered() if (v := k.compute(scoped))}
    assert leaks == {}


def test_sensors_opendata_tourism_and_wifi_register_their_kpis() -> None:
    apps = {k.app for k in kpis.registered()}
    assert {"sensors", "opendata", "economy", "wifi"} <= apps


# --- a cold overview on several connections -----------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_figures_computed_on_several_connections_equal_one_after_another(
    serang_after_flush: None, settings: Settings
) -> None:
    """Committed rows (a transaction's own rows are computed on its connection alone)."""
    from kotacerdas.dashboard import periods, selectors
    from tests.conftest import account

    from .fixtures import build, fresh_tenant

    tenant = fresh_tenant("36.71", "kpi-tangerang")
    build(tenant, account("warga-demo"), account("calltaker-kota"))
    scope = selectors.Scope(tenant)
    with time_machine.travel(NOW, tick=False):
        results = {}
        for kind in ("bulan", "triwulan"):
            period = periods.build(tenant, kind, dt.date(2026, 6, 1))
            before = periods.previous(tenant, period)
            settings.DASHBOARD_WORKERS = 1
            alone = selectors._compute(scope, period, before)
            settings.DASHBOARD_WORKERS = 4
            with CaptureQueriesContext(connection) as on_this_connection:
                results[kind] = selectors._compute(scope, period, before)
            assert results[kind] == alone
            if connection.vendor == "postgresql":  # the workers' connections did the work
                assert len(on_this_connection) < len(kpis.registered())
    assert results["bulan"][0]["complaints.received"] == 4
