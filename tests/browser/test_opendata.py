"""Satu Data in a real browser, on a phone: a citizen searches the Kota Serang portal, narrows
by OPD, opens the population dataset (metadata, licence, table preview, ECharts chart, the
API call, a download); a Disdukcapil producer uploads an XLSX with a planted NIK and is
shown the offending cell."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import httpx
import openpyxl
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser


def test_citizen_searches_the_portal_and_reads_a_dataset(
    page: Page, server: LiveServer, shot: Callable[[Page, str], Path]
) -> None:
    page.goto("/kota-serang/data/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Satu Data")
    page.get_by_placeholder("Cari dataset, mis. penduduk").fill("penduduk")
    page.get_by_role("button", name="Cari").click()
    expect(page.locator(".dataset-item").first).to_be_visible()
    shot(page, "opendata-01-cari")
    page.locator('a[data-facet="organization"]', has_text="Dinas Kependudukan").click()
    expect(page.locator('a[data-facet="organization"][aria-current="true"]')).to_be_visible()
    # Both Disdukcapil datasets about "penduduk": the population table and the civil
    # registration services ("kependudukan") published by the platform.
    expect(page.locator("#result-count")).to_contain_text("2")
    page.get_by_role("link", name="Jumlah penduduk per kecamatan dan jenis kelamin").click()

    expect(page.locator("#metadata")).to_contain_text("Dinas Kependudukan dan Pencatatan Sipil")
    expect(page.locator("#license a")).to_have_attribute(
        "href", "https://creativecommons.org/licenses/by/4.0/"
    )
    expect(page.locator("table.preview tbody tr")).to_have_count(12)  # 6 kecamatan, 2 sexes each
    expect(page.locator(".resource [data-chart] svg")).to_be_visible()  # ECharts drew it
    api = page.locator("code.api-call").first.inner_text()
    assert "/kota-serang/api/3/action/datastore_search?resource_id=" in api
    shot(page, "opendata-02-dataset")
    body = httpx.get(api).json()
    assert body["success"] is True and body["result"]["total"] == 12
    href = page.locator("a.download").first.get_attribute("href")
    assert href
    download = httpx.get(server.url + href)
    assert download.status_code == 200 and download.text.startswith("kode_kecamatan,")
    page.goto("/kota-serang/data/statistik/")
    expect(page.locator("#portal-stats")).to_contain_text("Dataset terbit")


def _xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_producer_upload_with_a_planted_nik_is_blocked_with_the_cell(
    page: Page, login: Callable[..., None], shot: Callable[[Page, str], Path]
) -> None:
    login(page, "disdukcapil-kota")
    page.goto("/kota-serang/data/kelola/baru/")
    page.get_by_label("Judul").fill("Akta kelahiran per kecamatan")
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.locator("#dataset-status")).to_have_text("Draf")
    page.get_by_label("Nama sumber").fill("Akta 2026")
    page.get_by_label("Format", exact=True).select_option("XLSX")
    page.get_by_role("button", name="Tambah", exact=True).click()
    page.get_by_label("Berkas").set_input_files(
        {
            "name": "akta.xlsx",
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "buffer": _xlsx(
                [
                    ["kecamatan", "jumlah", "keterangan"],
                    ["Serang", 120, "-"],
                    ["Kasemen", 80, "3673011203900001"],
                ]
            ),
        }
    )
    page.get_by_role("button", name="Unggah versi baru").click()
    expect(page.locator("#upload-error")).to_contain_text("data pribadi")
    expect(page.locator("#upload-error table")).to_contain_text("keterangan")
    expect(page.locator("#upload-error table")).to_contain_text("nomor berbentuk NIK/KK")
    shot(page, "opendata-03-nik-diblokir")
