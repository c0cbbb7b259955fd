"""Tourism villages in a real browser: a visitor on a phone finds a village in Kabupaten Serang,
books a homestay without an account, and reads the manager's answer, which the manager gives
from the platform in a second browser."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser


def test_visitor_books_a_homestay_and_the_manager_answers(
    page: Page,
    new_page: Callable[..., Page],
    server: LiveServer,
    login: Callable[..., None],
    shot: Callable[[Page, str], Path],
) -> None:
    page.goto("/kabupaten-serang/wisata/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Desa wisata")
    expect(page.locator(".leaflet-container")).to_be_visible()
    page.get_by_label("Klasifikasi").select_option("berkembang")
    page.get_by_role("button", name="Saring").click()
    page.locator(".card").get_by_role("link", name="Desa Wisata Cikolelet (contoh)").click()
    expect(page.locator("script[type='application/ld+json']")).to_have_count(1)
    assert page.viewport_size
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    shot(page, "economy-01-desa")

    page.get_by_role("link", name="Pesan Homestay Saung Bambu (contoh)").click()
    start = dt.datetime.now(ZoneInfo("Asia/Jakarta")).date() + dt.timedelta(days=14)
    page.get_by_label("Nama Anda").fill("Rina Wisatawan")
    page.get_by_label("Surel").fill("rina@contoh.id")
    page.get_by_label("Tanggal datang").fill(start.isoformat())
    page.get_by_label("Tanggal pulang").fill((start + dt.timedelta(days=2)).isoformat())
    page.get_by_label("Jumlah orang").fill("2")
    page.get_by_label("Pesan").fill("Apakah ada sarapan?")
    page.get_by_role("button", name="Kirim", exact=True).click()
    expect(page.locator("#request-status")).to_have_text("Baru")
    track_url = page.url

    manager = new_page()
    login(manager, "pokdarwis-kab")
    manager.goto("/kabupaten-serang/wisata/kelola/")
    manager.get_by_role("link", name="Pesan homestay").first.click()
    expect(manager.locator("body")).to_contain_text("rina@contoh.id")
    manager.get_by_label("Action").or_(manager.locator("select[name=action]")).select_option(
        "confirm"
    )
    manager.get_by_label("Jawaban untuk pengunjung").fill("Ada, sarapan nasi uduk. Sampai jumpa!")
    manager.get_by_role("button", name="Simpan").click()
    expect(manager.locator("body")).to_contain_text("Dikonfirmasi")

    page.goto(track_url)
    expect(page.locator("#request-status")).to_have_text("Dikonfirmasi")
    expect(page.locator("#request-reply")).to_contain_text("nasi uduk")
    shot(page, "economy-02-dijawab")
    server.manage("deliver_notifications", "--once")
    mails = [m for m in server.sent_mail() if m["To"] == "rina@contoh.id"]
    assert any("Dikonfirmasi" in m["Subject"] for m in mails)
