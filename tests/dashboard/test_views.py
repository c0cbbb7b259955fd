"""The command centre through HTTP: who sees it, what it shows, its filters, its cache, its
map data and its exports."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pytest_django import DjangoAssertNumQueries, Settings

from kotacerdas.accounts.models import User
from kotacerdas.complaints.models import Complaint
from kotacerdas.dashboard import maps, selectors
from kotacerdas.tenants.models import Tenant
from tests.dashboard.fixtures import World

from .conftest import staff
from .fixtures import NOW, at

pytestmark = pytest.mark.django_db

JUNE = {"periode": "bulan", "acuan": "2026-06-01"}


def url(tenant: Tenant, name: str = "overview", **kw: object) -> str:
    return reverse(f"dashboard:{name}", kwargs={"tenant_slug": tenant.slug, **kw})


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@time_machine.travel(NOW, tick=False)
def test_leader_sees_every_module_grouped_by_dimension(
    world: tuple[Tenant, World], leader: User
) -> None:
    tenant, _w = world
    response = signed_in(leader).get(url(tenant), JUNE)
    assert response.status_code == 200
    figures = {f.kpi.key: f for f in response.context["overview"].figures}
    assert figures["complaints.received"].value == 4
    assert figures["services.received"].value == 3
    assert figures["emergency.calls"].value == 5
    assert figures["emergency.calls"].previous == 1  # one call on 30 May
    assert figures["planning.progress_governance"].value == pytest.approx(60)
    body = response.content.decode()
    assert "Smart Governance" in body and "Smart Living" in body
    # Every figure links to the rows behind it.
    inbox = reverse("complaints:staff_inbox", kwargs={"tenant_slug": tenant.slug})
    assert f'href="{inbox}?overdue=on"' in body
    # Traffic lights against targets: 1 overdue complaint against a target of 0.
    assert figures["complaints.overdue_now"].status == "bad"
    assert figures["emergency.prank_share"].status == "bad"  # 40 % against 20 %
    assert figures["complaints.average_rating"].status == "ok"  # 4 against 4


@time_machine.travel(NOW, tick=False)
def test_kecamatan_filter_narrows_every_kpi(world: tuple[Tenant, World], leader: User) -> None:
    tenant, w = world
    response = signed_in(leader).get(url(tenant), {**JUNE, "kecamatan": w.kecamatan_a})
    figures = {f.kpi.key: f for f in response.context["overview"].figures}
    assert figures["complaints.received"].value == 2
    assert figures["emergency.incidents"].value == 1
    assert figures["services.received"].value is None


@time_machine.travel(NOW, tick=False)
def test_periods_quarter_year_and_custom_compare_with_the_one_before(
    world: tuple[Tenant, World], leader: User
) -> None:
    tenant, _w = world
    client = signed_in(leader)
    quarter = client.get(url(tenant), {"periode": "triwulan", "acuan": "2026-06-15"})
    data = quarter.context["overview"]
    assert (data.period.label, data.previous.label) == ("Triwulan 2 2026", "Triwulan 1 2026")
    figures = {f.kpi.key: f for f in data.figures}
    assert figures["emergency.calls"].value == 6  # May and June
    year = client.get(url(tenant), {"periode": "tahun", "acuan": "2026-01-01"})
    assert year.context["overview"].previous.label == "2025"
    custom = client.get(
        url(tenant), {"periode": "kustom", "dari": "2026-06-02", "sampai": "2026-06-03"}
    )
    figures = {f.kpi.key: f for f in custom.context["overview"].figures}
    assert figures["emergency.calls"].value == 2
    assert custom.context["overview"].previous.first_day == dt.date(2026, 5, 31)


@pytest.mark.parametrize(
    "params",
    [
        {"periode": "minggu"},
        {"acuan": "kemarin"},
        {"periode": "kustom", "dari": "2026-06-05", "sampai": "2026-06-01"},
        {"periode": "kustom", "dari": "2026-06-05"},
        {"kecamatan": "36.73.01"},  # a kecamatan of another tenant
    ],
)
def test_bad_filters_get_a_400_not_a_500(world: tuple[Tenant, World], leader: User, params) -> None:  # type: ignore[no-untyped-def]
    tenant, _w = world
    client = signed_in(leader)
    assert client.get(url(tenant), params).status_code == 400
    response = client.get(url(tenant, "trend"), params)
    assert response.status_code == 400
    assert set(response.json()["error"]) == {"code", "message"}


def test_who_may_open_the_command_centre(  # noqa: PLR0917 - fixtures
    world: tuple[Tenant, World],
    leader: User,
    opd_operator: User,
    citra: User,
    dewi: User,
    pimpinan_kota: User,
) -> None:
    tenant, _w = world
    assert signed_in(leader).get(url(tenant)).status_code == 200
    assert signed_in(opd_operator).get(url(tenant)).status_code == 200
    admin = staff("admin-tgr", "admin_daerah", tenant)
    assert signed_in(admin).get(url(tenant)).status_code == 200
    superadmin = staff("super-tgr", "superadmin", None)
    assert signed_in(superadmin).get(url(tenant)).status_code == 200
    # Another tenant's leader and operator, a citizen: 404, whatever the page.
    for outsider in (pimpinan_kota, citra, dewi):
        client = signed_in(outsider)
        for name in ("overview", "trend", "map_data", "wall", "wall_fragment"):
            assert client.get(url(tenant, name), {"lapisan": "complaints.open"}).status_code == 404
        assert client.get(url(tenant, "export", fmt="xlsx")).status_code == 404
    anonymous = Client().get(url(tenant))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("accounts:login"))


@time_machine.travel(NOW, tick=False)
def test_opd_operator_sees_only_their_opd(world: tuple[Tenant, World], opd_operator: User) -> None:
    tenant, w = world
    response = signed_in(opd_operator).get(url(tenant), JUNE)
    data = response.context["overview"]
    assert data.scope.opd_id == w.opd_x.pk
    shown = {f.kpi.key: f for _c, _l, items in response.context["groups"] for f in items}
    assert shown["complaints.received"].value == 3  # c1, c2, c3 disposed to DPU
    assert shown["services.received"].value == 3
    assert "emergency.calls" not in shown  # no data for an OPD: not shown
    # The kecamatan filter cannot widen the OPD scope.
    response = signed_in(opd_operator).get(url(tenant), {**JUNE, "kecamatan": w.kecamatan_a})
    assert response.context["overview"].scope.opd_id == w.opd_x.pk


@time_machine.travel(NOW, tick=False)
def test_figures_are_cached_until_invalidated_or_expired(
    world: tuple[Tenant, World], leader: User, settings: Settings
) -> None:
    settings.DASHBOARD_LIVE_SECONDS = 60
    tenant, _w = world
    client = signed_in(leader)

    def received() -> float:
        response = client.get(url(tenant), JUNE)
        value: float = {f.kpi.key: f.value for f in response.context["overview"].figures}[
            "complaints.received"
        ]
        return value

    assert received() == 4
    c = Complaint.objects.filter(tenant=tenant).first()
    assert c is not None
    c.pk, c.ticket, c.tracking_token, c.created_at = None, "KPI-9", "t" * 40, at(6, 15)
    c.open311_token = __import__("uuid").uuid4()
    c.save()
    assert received() == 4  # cached
    response = client.post(url(tenant, "refresh"), {"next": url(tenant) + "?periode=bulan"})
    assert response.status_code == 302 and response["Location"] == url(tenant) + "?periode=bulan"
    assert received() == 5  # explicit invalidation
    c.pk, c.ticket, c.tracking_token = None, "KPI-10", "u" * 40
    c.open311_token = __import__("uuid").uuid4()
    c.save()
    assert received() == 5
    with time_machine.travel(NOW + dt.timedelta(seconds=61), tick=False):
        assert received() == 6  # expired


@time_machine.travel(NOW, tick=False)
def test_warm_overview_and_wall_fragment_make_no_kpi_queries(
    world: tuple[Tenant, World], leader: User, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    tenant, _w = world
    client = signed_in(leader)
    client.get(url(tenant), JUNE)
    # Session, user, tenant, kecamatan list, cache reads: never the apps' tables.
    with django_assert_max_num_queries(12):
        assert client.get(url(tenant), JUNE).status_code == 200
    client.get(url(tenant, "wall_fragment"), JUNE)
    with django_assert_max_num_queries(10):
        assert client.get(url(tenant, "wall_fragment"), JUNE).status_code == 200


@time_machine.travel(NOW, tick=False)
def test_trend_gives_twelve_months(world: tuple[Tenant, World], leader: User) -> None:
    tenant, _w = world
    data = signed_in(leader).get(url(tenant, "trend"), JUNE).json()
    assert data["months"][0] == "Jul 2025" and data["months"][-1] == "Jun 2026"
    assert data["series"]["emergency.calls"][-2:] == [1, 5]
    assert "complaints.overdue_now" not in data["series"]  # a snapshot has no history


@time_machine.travel(NOW, tick=False)
def test_map_layers_send_positions_and_status_only(
    world: tuple[Tenant, World], leader: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    tenant, _w = world
    Complaint.objects.filter(tenant=tenant).update(lat=-6.17, long=106.63)
    client = signed_in(leader)
    data = client.get(url(tenant, "map_data"), {"lapisan": "complaints.open", "zoom": "12"}).json()
    assert data["total"] == 2  # c3 and c4 are open
    assert set(data["points"][0]) == {"lat", "lng", "status", "color"}
    incidents = client.get(url(tenant, "map_data"), {"lapisan": "emergency.incidents_24h"}).json()
    assert incidents["total"] == 0  # none has a position
    monkeypatch.setattr(maps, "POINT_LIMIT", 1)
    data = client.get(url(tenant, "map_data"), {"lapisan": "complaints.open", "zoom": "12"}).json()
    assert data["clusters"] == [
        {
            "lat": pytest.approx(-6.17),
            "lng": pytest.approx(106.63),
            "count": 2,
            "by_status": {"diproses": 2},
            "color": "#1f6feb",
        }
    ]
    bad = client.get(url(tenant, "map_data"), {"lapisan": "nope"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "unknown_layer"
    assert (
        client.get(url(tenant, "map_data"), {"lapisan": "complaints.open", "zoom": "x"}).status_code
        == 400
    )


@time_machine.travel(NOW, tick=False)
def test_kpi_table_as_xlsx(world: tuple[Tenant, World], leader: User) -> None:
    tenant, _w = world
    response = signed_in(leader).get(url(tenant, "export", fmt="xlsx"), JUNE)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {(r[1], r[2]): r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows[("complaints", "received")][4] == 4
    assert rows[("emergency", "prank_share")][4] == 40


def test_status_thresholds() -> None:
    from kotacerdas.core import kpis

    rating = kpis.get("complaints.average_rating")
    overdue = kpis.get("complaints.overdue_now")
    assert rating is not None and overdue is not None
    assert [selectors.traffic_light(rating, v) for v in (4.5, 3.3, 3.1, None)] == [
        "ok",
        "warn",
        "bad",
        "none",
    ]
    assert [selectors.traffic_light(overdue, v) for v in (0, 1)] == ["ok", "bad"]


@time_machine.travel(NOW, tick=False)
def test_leader_report_pdf_is_a4_with_charts_and_renders(
    world: tuple[Tenant, World], leader: User, tmp_path: Path
) -> None:
    import shutil
    import subprocess

    tenant, _w = world
    response = signed_in(leader).get(url(tenant, "export", fmt="pdf"), JUNE)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "laporan.pdf"
    pdf.write_bytes(response.content)
    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in response.content  # A4 portrait
    pdftoppm = shutil.which("pdftoppm")  # `make test` installs poppler-utils
    assert pdftoppm is not None, "pdftoppm (poppler-utils) is missing: run `make test-tools`"
    subprocess.run(
        [pdftoppm, "-png", "-r", "60", str(pdf), str(tmp_path / "page")], check=True, timeout=60
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert pages, "no page rendered"
    # Keep the first page where a person can look at it.
    target = Path(__file__).resolve().parents[2] / "var" / "screenshots"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(pages[0], target / "dashboard-05-laporan-pimpinan-pdf.png")
    text = subprocess.run(
        [shutil.which("pdftotext") or "pdftotext", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    assert "Laporan pimpinan" in text and "Aduan diterima" in text and "Tren 12 bulan" in text


def test_the_leader_lands_on_the_command_centre_after_signing_in(pimpinan_kota: User) -> None:
    from kotacerdas.accounts.landing import landing_url

    assert landing_url(pimpinan_kota) == "/kota-serang/pusat-komando/"


@time_machine.travel(NOW, tick=False)
def test_links_only_to_pages_the_viewer_may_open(world: tuple[Tenant, World], leader: User) -> None:
    tenant, _w = world
    admin = staff("admin-tgr-2", "admin_daerah", tenant)

    def links(user) -> dict[str, str | None]:  # type: ignore[no-untyped-def]
        response = signed_in(user).get(url(tenant), JUNE)
        return {f.kpi.key: f.list_url for f in response.context["overview"].figures}

    incidents = reverse("emergency:incident_list", kwargs={"tenant_slug": tenant.slug})
    assert links(leader)["emergency.open_incidents"] == f"{incidents}?terbuka=1"
    # The 112 incident list and the services desk are not open to a region administrator.
    assert links(admin)["emergency.open_incidents"] is None
    assert links(admin)["services.documents_waiting"] is None
    assert links(admin)["complaints.received"] is not None


@time_machine.travel(NOW, tick=False)
def test_warm_command_fills_the_cache_the_overview_reads(
    world: tuple[Tenant, World], leader: User, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    from django.core.management import call_command

    tenant, _w = world
    out = io.StringIO()
    call_command("warm_dashboard", "--tenant", tenant.slug, "--trend", stdout=out)
    assert out.getvalue().startswith(f"{tenant.slug}: Jun 2026")
    client = signed_in(leader)
    with django_assert_max_num_queries(12):  # no KPI computation: served from the cache
        assert client.get(url(tenant)).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(url(tenant, "trend")).status_code == 200
