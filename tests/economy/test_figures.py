"""The figures: requests per month with the median time to the first answer (in SQL), villages
by class and kecamatan, products by group and stars, permits expiring; the staff page, its
CSV/XLSX exports, the dashboard's KPIs and the open datasets (counts only)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.test import Client
from openpyxl import load_workbook
from time_machine import TimeMachineFixture

from kotacerdas.accounts.models import User
from kotacerdas.core.kpis import KpiQuery, get
from kotacerdas.economy.models import Producer, RequestKind, TourismVillage, VisitorRequest
from kotacerdas.opendata import pii, platform
from kotacerdas.tenants.models import Tenant

WIB = dt.timezone(dt.timedelta(hours=7))
BASE = "/kabupaten-serang/wisata"


def _request(tenant: Tenant, kind: str, created: dt.datetime, hours: float | None, **to) -> None:  # type: ignore[no-untyped-def]
    VisitorRequest.objects.create(
        tenant=tenant,
        kind=kind,
        visitor_name="Siti Rahasiawati",
        visitor_email="siti.rahasia@contoh.id",
        visitor_phone="081299887766",
        message="Nomor kamar saya rahasia",
        created_at=created,
        answered_at=None if hours is None else created + dt.timedelta(hours=hours),
        **to,
    )


@pytest.fixture
def requests(kab: Tenant, sikonde: TourismVillage, time_machine: TimeMachineFixture) -> None:
    """October: an enquiry answered in 2 h, bookings answered in 4 h and 10 h; November: an
    unanswered product order."""
    time_machine.move_to(dt.datetime(2026, 11, 15, 10, 0, tzinfo=WIB), tick=False)
    _request(kab, RequestKind.ENQUIRY, dt.datetime(2026, 10, 5, 9, tzinfo=WIB), 2, village=sikonde)
    _request(kab, RequestKind.HOMESTAY, dt.datetime(2026, 10, 6, 9, tzinfo=WIB), 4, village=sikonde)
    _request(
        kab, RequestKind.PACKAGE, dt.datetime(2026, 10, 31, 23, tzinfo=WIB), 10, village=sikonde
    )
    producer = Producer.objects.get(slug="pengolah-ikan-pontang")
    _request(
        kab, RequestKind.ORDER, dt.datetime(2026, 11, 3, 9, tzinfo=WIB), None, producer=producer
    )


def _row(html: str, month: str) -> str:
    start = html.index(f"<td>{month}</td>")
    return html[start : html.index("</tr>", start)]


def test_the_figures_page_counts_per_month_with_the_median_first_answer(
    client: Client, requests: None, pokdarwis: User, citra: User, ani: User
) -> None:
    client.force_login(pokdarwis)
    page = client.get(f"{BASE}/kelola/angka/")
    assert page.status_code == 200
    assert (
        _row(page.text, "2026-10") == "<td>2026-10</td><td>1</td><td>2</td><td>3</td><td>4,0</td>"
    )
    # The producer's order is not the village manager's to count.
    assert _row(page.text, "2026-11") == "<td>2026-11</td><td>0</td><td>0</td><td>0</td><td>-</td>"
    assert 'data-chart="requests-chart"' in page.text and "Ikan asin jambal (contoh)" in page.text
    # The regency's staff, of any office, count every request (counts, not contacts).
    client.force_login(citra)
    page = client.get(f"{BASE}/kelola/angka/")
    assert _row(page.text, "2026-11") == "<td>2026-11</td><td>0</td><td>1</td><td>0</td><td>-</td>"
    assert "Siti" not in page.text and "siti.rahasia" not in page.text
    client.force_login(ani)  # another region's staff
    assert client.get(f"{BASE}/kelola/angka/").status_code == 404


def test_the_figures_export_as_csv_and_one_xlsx_workbook(
    client: Client, requests: None, admin_kab: User
) -> None:
    client.force_login(admin_kab)
    response = client.get(f"{BASE}/kelola/angka/permintaan.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Bulan" and ["2026-10", "1", "2", "3", "4.0"] in rows
    villages = list(
        csv.reader(
            io.StringIO(client.get(f"{BASE}/kelola/angka/desa.csv").content.decode("utf-8-sig"))
        )
    )
    assert any(r[1:] == ["Berkembang", "1"] for r in villages[1:])
    book = load_workbook(io.BytesIO(client.get(f"{BASE}/kelola/angka/semua.xlsx").content))
    assert book.sheetnames == [
        "Permintaan per bulan",
        "Desa wisata",
        "Produk OVOP",
        "Izin berakhir 90 hari",
    ]
    permits = list(book["Izin berakhir 90 hari"].iter_rows(min_row=2, values_only=True))
    assert {row[1] for row in permits} == {"Sertifikat halal"} and len(permits) == 2
    assert client.get(f"{BASE}/kelola/angka/tidak-ada.csv").status_code == 404
    assert client.get(f"{BASE}/kelola/angka/permintaan.pdf").status_code == 404
    client.logout()
    assert client.get(f"{BASE}/kelola/angka/permintaan.csv").status_code == 302


def test_the_dashboard_kpis_read_the_same_figures(requests: None, kab: Tenant) -> None:
    october = KpiQuery(
        tenant=kab,
        start=dt.datetime(2026, 10, 1, tzinfo=WIB),
        end=dt.datetime(2026, 11, 1, tzinfo=WIB),
    )
    assert get("economy.first_answer_hours").compute(october) == pytest.approx(4.0)  # type: ignore[union-attr]
    assert get("economy.bookings").compute(october) == 2.0  # type: ignore[union-attr]
    assert get("economy.permits_expiring").compute(october) == 2.0  # type: ignore[union-attr]
    later = KpiQuery(
        tenant=kab,
        start=dt.datetime(2025, 1, 1, tzinfo=WIB),
        end=dt.datetime(2025, 2, 1, tzinfo=WIB),
    )
    assert get("economy.first_answer_hours").compute(later) is None  # type: ignore[union-attr]
    assert get("economy.bookings").compute(later) is None  # type: ignore[union-attr]


def test_the_open_datasets_are_counts_with_small_cells_suppressed_and_no_visitor_data(
    requests: None, kab: Tenant, sikonde: TourismVillage
) -> None:
    for day in range(1, 7):  # September: six enquiries, above the threshold of five
        _request(
            kab, RequestKind.ENQUIRY, dt.datetime(2026, 9, day, 9, tzinfo=WIB), 1, village=sikonde
        )
    tables = {t.key: t for t in platform.tables_for(kab, today=dt.date(2026, 11, 15))}
    monthly = tables["permintaan-pengunjung-desa-wisata-per-bulan"]
    names = [c.name for c in monthly.columns]
    rows = {r[0]: dict(zip(names, r, strict=True)) for r in monthly.rows}
    assert "2026-11" not in rows  # the month is not over
    assert rows["2026-09"] == {
        "bulan": "2026-09",
        "pertanyaan": 6,
        "pemesanan": 0,
        "dijawab": 6,
        "disamarkan": False,
    }
    assert rows["2026-10"]["disamarkan"] is True and rows["2026-10"]["pemesanan"] is None
    villages = tables["desa-wisata-per-kelas-kecamatan"]
    assert sum(r[4] for r in villages.rows) == TourismVillage.objects.filter(tenant=kab).count()
    products = tables["produk-ovop-per-kelompok-bintang"]
    assert {(r[0], r[2], r[3]) for r in products.rows} == {
        ("hasil_perikanan", 0, 1),
        ("hasil_perikanan", 3, 1),
        ("hasil_perikanan", 4, 1),
    }
    mine = [
        tables[k]
        for k in tables
        if k
        in {
            "permintaan-pengunjung-desa-wisata-per-bulan",
            "desa-wisata-per-kelas-kecamatan",
            "produk-ovop-per-kelompok-bintang",
        }
    ]
    dump = json.dumps([t.rows for t in mine], default=str).lower()
    for secret in ("siti", "rahasia", "081299887766", "contoh.id"):
        assert secret not in dump
    for table in mine:
        columns = [c.name for c in table.columns]
        findings, total = pii.scan_rows(
            columns, ((n + 1, dict(zip(columns, r, strict=True))) for n, r in enumerate(table.rows))
        )
        assert total == 0, findings
