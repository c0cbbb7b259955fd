from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

import time_machine
from django.db import connection
from django.test import Client
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader
from pytest_django import DjangoAssertNumQueries

from kotacerdas.accounts.models import User
from kotacerdas.emergency import reports, selectors, services
from kotacerdas.emergency.models import Call, Incident
from kotacerdas.tenants.models import Tenant
from tests.emergency.conftest import agency, fire_data, minutes

# 2026-04-10 09:00 WIB
T0 = dt.datetime(2026, 4, 10, 2, 0, tzinfo=dt.UTC)
BASE = "/kota-serang/112/laporan"


def scenario(kota: Tenant, calltaker: User, dispatcher: User, damkar_system: User):  # type: ignore[no-untyped-def]
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
        assert incident is not None
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
    kota: Tenant, calltaker: User, dispatcher: User, damkar_system: User
) -> None:
    scenario(kota, calltaker, dispatcher, damkar_system)
    with time_machine.travel(T0 + dt.timedelta(days=1), tick=False):
        report = reports.build(kota, reports.Period.month(kota, 2026, 4))
    day = next(r for r in report.calls_per_day if r["date"] == dt.date(2026, 4, 10))
    assert (day["prank"], day["ghost"], day["normal"], day["informasi"]) == (3, 1, 1, 1)
    assert (day["valid"], day["invalid"]) == (2, 4)
    assert report.by_category == [("Kebakaran", 1)]
    assert report.by_kecamatan == [("Taktakan", 1)]
    times = {row["agency"]: row for row in report.agency_times}
    damkar, psc = times["Damkar"], times["PSC 119"]
    assert (damkar["intake_dispatch"].count, damkar["intake_dispatch"].median) == (1, 1.5)
    assert (damkar["dispatch_moving"].median, damkar["dispatch_moving"].p90) == (5.5, 5.5)
    assert damkar["moving_scene"].maximum == 14.0
    assert (psc["intake_moving"].count, psc["intake_moving"].median) == (1, 16.0)
    assert psc["moving_scene"].count == 0 and psc["moving_scene"].median is None
    assert times["PSC 119"]["intake_moving"].buckets() == [0, 0, 0, 0, 1, 0, 0]
    assert report.within_target["dispatch_share"] == 100.0  # the incident was dispatched at 1.5 min
    assert report.within_target["moving_share"] == 100.0  # the first team moved at 7 min


def test_incident_from_a_prank_reclassified_call_is_not_counted(
    kota: Tenant, calltaker: User, dispatcher: User
) -> None:
    incident = services.call_log(
        tenant=kota,
        taker=calltaker,
        caller_number="081200000010",
        call_type="normal",
        incident=fire_data(kota),
    ).incident
    assert incident is not None
    incident.calls.update(call_type="prank")
    # The tenant's month, not UTC's: from 17:00 UTC on a month's last day it is the next in WIB.
    local = incident.received_at.astimezone(ZoneInfo(kota.time_zone))
    period = reports.Period.month(kota, local.year, local.month)
    before = sum(c for _n, c in reports.build(kota, period).by_category)
    assert Incident.objects.filter(pk=incident.pk).exists()
    assert before == sum(c for _n, c in reports.build(kota, period).by_category)
    incident.calls.update(call_type="normal")
    assert sum(c for _n, c in reports.build(kota, period).by_category) == before + 1


def test_supervisor_downloads_charts_exports_and_the_monthly_pdf(  # noqa: PLR0917 - fixtures
    client: Client,
    kota: Tenant,
    calltaker: User,
    dispatcher: User,
    damkar_system: User,
    supervisor: User,
) -> None:
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


def test_reports_are_for_supervisors_and_leaders_only(
    client: Client, calltaker: User, pimpinan_kota: User, citra: User
) -> None:
    client.force_login(pimpinan_kota)
    assert client.get(BASE + "/").status_code == 200
    for user in (calltaker, citra):
        client.force_login(user)
        assert client.get(BASE + "/").status_code == 404


def render_pages(content: bytes, tmp_path: Path) -> list[Image.Image]:
    """Every page of the PDF as an image (poppler's pdftoppm), as a reader would see it."""
    source = tmp_path / "report.pdf"
    source.write_bytes(content)
    subprocess.run(
        [
            shutil.which("pdftoppm") or "/usr/bin/pdftoppm",
            "-r",
            "60",
            "-png",
            str(source),
            str(tmp_path / "page"),
        ],
        check=True,
        timeout=60,
    )
    return [Image.open(p).convert("L") for p in sorted(tmp_path.glob("page*.png"))]


def margins_are_blank(page: Image.Image) -> bool:
    """Nothing is drawn in the outer 1.2 cm of either side of an A4 page (the layout keeps
    1.5 cm): a table wider than the page would run into them."""
    width, height = page.size
    strip = round(width * 1.2 / 21.0)
    for box in ((0, 0, strip, height), (width - strip, 0, width, height)):
        low, _high = cast(tuple[int, int], page.crop(box).getextrema())  # greyscale: one band
        if low < 250:
            return False
    return True


def test_monthly_pdf_fits_a4_and_prints_every_glyph(  # noqa: PLR0917 - fixtures
    client: Client,
    kota: Tenant,
    calltaker: User,
    dispatcher: User,
    damkar_system: User,
    supervisor: User,
    tmp_path: Path,
) -> None:
    scenario(kota, calltaker, dispatcher, damkar_system)
    client.force_login(supervisor)
    content = client.get(BASE + "/bulanan.pdf", {"bulan": "2026-04"}).content
    pages = render_pages(content, tmp_path)
    assert pages and all(p.size[0] < p.size[1] for p in pages)  # A4 upright
    assert all(margins_are_blank(p) for p in pages)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert "Diterima → diteruskan" in text
    assert "Damkar" in text and "PSC 119" in text  # the agency column is there
    fonts: set[str] = set()
    for page in PdfReader(io.BytesIO(content)).pages:
        resources: Any = page["/Resources"]  # pypdf types a dictionary's values as PdfObject
        fonts.update(str(f["/BaseFont"]) for f in resources["/Font"].values())
    assert all("DejaVu" in f for f in fonts), fonts


def test_monthly_pdf_of_an_empty_month_reads_well(
    client: Client, kota: Tenant, supervisor: User, tmp_path: Path
) -> None:
    Call.objects.filter(tenant=kota).delete()
    Incident.objects.filter(tenant=kota).delete()
    client.force_login(supervisor)
    content = client.get(BASE + "/bulanan.pdf").content
    assert all(margins_are_blank(p) for p in render_pages(content, tmp_path))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert "Belum ada insiden yang diteruskan pada bulan ini." in text
    assert "-%" not in text and "dari 0 insiden" not in text


def test_the_month_is_counted_in_a_fixed_number_of_queries(
    kota: Tenant,
    calltaker: User,
    dispatcher: User,
    damkar_system: User,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
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
    # The percentiles: one query on PostgreSQL, one per stage on SQLite.
    percentile_queries = 1 if connection.vendor == "postgresql" else len(reports.STAGES)
    with django_assert_max_num_queries(6 + percentile_queries):
        report = reports.build(kota, period)
    assert report.by_category == [("Kebakaran", 6)]


def test_statistics_per_kind_month_for_open_data(
    kota: Tenant, calltaker: User, dispatcher: User, damkar_system: User
) -> None:
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
