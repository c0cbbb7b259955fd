from __future__ import annotations

import datetime as dt
import io

import time_machine
from openpyxl import load_workbook
from pypdf import PdfReader

from kotacerdas.emergency import reports, selectors, services
from kotacerdas.emergency.models import Call, Incident
from tests.emergency.conftest import agency, fire_data, minutes
from tests.pdf_pages import margins_are_blank, render_pages

# 2026-04-10 09:00 WIB
T0 = dt.datetime(2026, 4, 10, 2, 0, tzinfo=dt.UTC)
BASE = "/kota-serang/112/laporan"


def scenario(kota, calltaker, dispatcher, damkar_system):  # type: ignore[no-untyped-def]
    """Three pranks, a ghost, an informasi call and one fire walked through under a frozen clock."""
    damkar, psc = agency(kota, "damkar"), agency(kota, "psc119")
    with time_machine.travel(T0, tick=False) as clock:
        for kind in ("prank", "prank", "prank", "ghost", "informasi"):
            services.call_log(
                tenant=kota, taker=calltaker, caller_number="081277776666", call_type=kind
            )
        incident = services.call_log(
            tenant=kota,
            taker=calltaker,
            caller_number="081200000009",
            call_type="normal",
            incident=fire_data(kota),
        ).incident
        clock.shift(minutes(1.5))
        services.incident_dispatch(
            incident=incident, actor=dispatcher, assignments=[(damkar, None)]
        )
        clock.shift(
            minutes(1)
        )  # psc 119 at 2.5 min: outside the 2-minute target for its own dispatch
        services.incident_dispatch(incident=incident, actor=dispatcher, assignments=[(psc, None)])
        clock.shift(minutes(4.5))  # damkar moving at 7 min
        services.incident_step(
            incident=incident, actor=damkar_system, action="depart", agency=damkar
        )
        clock.shift(minutes(9))  # psc moving at 16 min
        services.incident_step(incident=incident, actor=dispatcher, action="depart", agency=psc)
        clock.shift(minutes(5))  # damkar on scene at 21 min
        services.incident_step(
            incident=incident, actor=damkar_system, action="arrive", agency=damkar
        )
    return incident


def test_statistics_exclude_pranks_and_response_times_are_exact(
    kota, calltaker, dispatcher, damkar_system
):  # type: ignore[no-untyped-def]
    scenario(kota, calltaker, dispatcher, damkar_system)
    with time_machine.travel(T0 + dt.timedelta(days=1), tick=False):
        report = reports.build(kota, reports.Period.month(kota, 2026, 4))
    day = next(r for r in report.calls_per_day if r["date"] == dt.date(2026, 4, 10))
    assert (day["prank"], day["ghost"], day["normal"], day["informasi"]) == (3, 1, 1, 1)
    assert (day["valid"], day["invalid"]) == (2, 4)
    assert report.by_category == [("Kebakaran", 1)]
    assert report.by_kecamatan == [("Taktakan", 1)]
    times = {row["agency"]: row for row in report.agency_times}
    assert times["Damkar"]["intake_dispatch"].values == [1.5]
    assert times["Damkar"]["dispatch_moving"].values == [5.5]
    assert times["Damkar"]["moving_scene"].values == [14.0]
    assert times["PSC 119"]["intake_moving"].values == [16.0]
    assert times["PSC 119"]["intake_moving"].buckets() == [0, 0, 0, 0, 1, 0, 0]
    assert report.within_target["dispatch_share"] == 100.0  # the incident was dispatched at 1.5 min
    assert report.within_target["moving_share"] == 100.0  # the first team moved at 7 min


def test_incident_from_a_prank_reclassified_call_is_not_counted(kota, calltaker, dispatcher):  # type: ignore[no-untyped-def]
    incident = services.call_log(
        tenant=kota,
        taker=calltaker,
        caller_number="081200000010",
        call_type="normal",
        incident=fire_data(kota),
    ).incident
    incident.calls.update(call_type="prank")
    period = reports.Period.month(kota, incident.received_at.year, incident.received_at.month)
    before = sum(c for _n, c in reports.build(kota, period).by_category)
    assert Incident.objects.filter(pk=incident.pk).exists()
    assert before == sum(c for _n, c in reports.build(kota, period).by_category)
    incident.calls.update(call_type="normal")
    assert sum(c for _n, c in reports.build(kota, period).by_category) == before + 1


def test_supervisor_downloads_charts_exports_and_the_monthly_pdf(  # noqa: PLR0917 - fixtures
    client,
    kota,
    calltaker,
    dispatcher,
    damkar_system,
    supervisor,
):
    scenario(kota, calltaker, dispatcher, damkar_system)
    for _ in range(10):
        services.call_log(
            tenant=kota, taker=calltaker, caller_number="081277776666", call_type="prank"
        )
    client.force_login(supervisor)
    page = client.get(BASE + "/", {"bulan": "2026-04"})
    assert page.status_code == 200
    assert 'id="chart-data"' in page.content.decode()
    csv = client.get(BASE + "/unduh/panggilan.csv", {"bulan": "2026-04"}).content.decode(
        "utf-8-sig"
    )
    assert "2026-04-10,1,1,3,1,2,4" in csv.replace("\r", "")
    xlsx = client.get(BASE + "/unduh/waktu-respons.xlsx", {"bulan": "2026-04"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in sheet["A"]][1:] == ["Damkar", "PSC 119"]
    regulator = client.get(BASE + "/unduh/regulator.csv").content.decode("utf-8-sig")
    assert "+6281277776666" in regulator
    pdf = client.get(BASE + "/bulanan.pdf", {"bulan": "2026-04"})
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "Taktakan" in text
    assert "081277776666" not in text and "+6281277776666" not in text
    assert client.get(BASE + "/", {"bulan": "2026-13"}).status_code == 404


def test_reports_are_for_supervisors_and_leaders_only(client, calltaker, pimpinan_kota, citra):  # type: ignore[no-untyped-def]
    client.force_login(pimpinan_kota)
    assert client.get(BASE + "/").status_code == 200
    for user in (calltaker, citra):
        client.force_login(user)
        assert client.get(BASE + "/").status_code == 404


def test_monthly_pdf_fits_a4_and_prints_every_glyph(  # noqa: PLR0917 - fixtures
    client, kota, calltaker, dispatcher, damkar_system, supervisor
):
    scenario(kota, calltaker, dispatcher, damkar_system)
    client.force_login(supervisor)
    content = client.get(BASE + "/bulanan.pdf", {"bulan": "2026-04"}).content
    pages = render_pages(content)
    assert pages and all(p.size[0] < p.size[1] for p in pages)  # A4 upright
    assert all(margins_are_blank(p) for p in pages)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert "Diterima → diteruskan" in text
    assert "Damkar" in text and "PSC 119" in text  # the agency column is there
    fonts = {
        str(f["/BaseFont"])
        for page in PdfReader(io.BytesIO(content)).pages
        for f in page["/Resources"]["/Font"].values()
    }
    assert all("DejaVu" in f for f in fonts), fonts


def test_monthly_pdf_of_an_empty_month_reads_well(client, kota, supervisor):  # type: ignore[no-untyped-def]
    Call.objects.filter(tenant=kota).delete()
    Incident.objects.filter(tenant=kota).delete()
    client.force_login(supervisor)
    content = client.get(BASE + "/bulanan.pdf").content
    assert all(margins_are_blank(p) for p in render_pages(content))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert "Belum ada insiden yang diteruskan pada bulan ini." in text
    assert "-%" not in text and "dari 0 insiden" not in text


def test_the_month_is_counted_in_a_fixed_number_of_queries(
    kota, calltaker, dispatcher, damkar_system, django_assert_max_num_queries
):
    scenario(kota, calltaker, dispatcher, damkar_system)
    with time_machine.travel(T0 + dt.timedelta(days=1), tick=False):
        for i in range(5):
            services.call_log(
                tenant=kota,
                taker=calltaker,
                caller_number=f"08127777{i:04d}",
                call_type="normal",
                incident=fire_data(kota),
            )
    period = reports.Period.month(kota, 2026, 4)
    with django_assert_max_num_queries(6):
        report = reports.build(kota, period)
    assert report.by_category == [("Kebakaran", 6)]


def test_statistics_per_kind_month_for_open_data(kota, calltaker, dispatcher, damkar_system):  # type: ignore[no-untyped-def]
    scenario(kota, calltaker, dispatcher, damkar_system)
    rows = [
        r
        for r in selectors.statistics_per_kind_month(tenant=kota, year=2026)
        if r.month == dt.date(2026, 4, 1)
    ]
    assert rows == [
        selectors.KindMonth(dt.date(2026, 4, 1), "", "", 6, 4, 0),
        selectors.KindMonth(dt.date(2026, 4, 1), "kebakaran", "36.73.06", 1, 0, 1),
    ]
    assert not any(
        r.month.year != 2026 for r in selectors.statistics_per_kind_month(tenant=kota, year=2026)
    )
