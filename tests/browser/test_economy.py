"""Tourism villages in a real browser: a visitor on a phone finds a village in Kabupaten Serang,
books a homestay without an account, and reads the manager's answer, which the manager gives
from the platform in a second browser; the manager adds a photo that the visitor sees; the
events calendar is paged and downloaded on a phone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, LiveServer

pytestmark = pytest.mark.browser
PHONE_WIDTH = PHONE["width"]


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


def test_the_manager_adds_a_homestay_photo_that_visitors_see_small_on_a_phone(
    page: Page,
    new_page: Callable[..., Page],
    login: Callable[..., None],
    shot: Callable[[Page, str], Path],
    tmp_path: Path,
) -> None:
    photo = tmp_path / "saung.jpg"
    exif = Image.Exif()
    exif[0x8825] = {1: "S", 2: (6.0, 11.0, 34.8), 3: "E", 4: (105.0, 55.0, 58.8)}  # GPS
    Image.new("RGB", (2000, 1500), (40, 110, 70)).save(photo, format="JPEG", exif=exif)

    manager = new_page()
    login(manager, "pokdarwis-kab")
    manager.goto("/kabupaten-serang/wisata/kelola/")
    manager.get_by_role("link", name="Foto", exact=True).first.click()
    listed = manager.locator(".photo-list img").count()  # the demo's pictures
    manager.get_by_label("Foto", exact=True).set_input_files(str(photo))
    manager.get_by_label("Keterangan foto").fill("Saung bambu di pagi hari")
    manager.get_by_label("Foto dari").select_option(label="Homestay: Homestay Saung Bambu (contoh)")
    manager.get_by_role("button", name="Unggah foto").click()
    expect(manager.locator(".messages")).to_contain_text("Foto tersimpan")
    expect(manager.locator(".photo-list img")).to_have_count(listed + 1)
    expect(
        manager.locator(".photo-list").get_by_alt_text("Saung bambu di pagi hari")
    ).to_be_visible()
    assert manager.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    shot(manager, "economy-03-unggah-foto")

    page.goto("/kabupaten-serang/wisata/desa/cikolelet/")
    image = page.locator("#homestay .gallery").get_by_alt_text("Saung bambu di pagi hari")
    expect(image).to_have_count(1)
    assert image.get_attribute("loading") == "lazy"
    assert (image.get_attribute("width"), image.get_attribute("height")) == ("480", "360")
    image.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => { const i = document.querySelector('#homestay .gallery img[alt=\"Saung bambu di"
        " pagi hari\"]'); return i.complete && i.naturalWidth === 480; }"
    )
    og = page.locator("meta[property='og:image']").get_attribute("content")
    assert og is not None and og.endswith(".jpg")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    shot(page, "economy-04-foto-homestay")


def test_a_visitor_pages_the_events_calendar_on_a_phone_and_downloads_it(
    page: Page, shot: Callable[[Page, str], Path]
) -> None:
    today = dt.datetime.now(ZoneInfo("Asia/Jakarta")).date()
    festival = today + dt.timedelta(days=30)  # the demo's festival
    page.goto("/kabupaten-serang/wisata/")
    page.get_by_role("link", name="Kalender acara").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kalender acara")
    months_ahead = (festival.year - today.year) * 12 + festival.month - today.month
    for _i in range(months_ahead):
        page.get_by_role("link", name="Bulan berikutnya").click()
    expect(page.locator("#month-events")).to_contain_text("Festival durian Cikolelet (contoh)")
    busy = page.locator("table.calendar td.busy")
    expect(busy.first).to_be_visible()
    assert busy.count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    shot(page, "economy-05-kalender")
    page.get_by_role("link", name="Bulan sebelumnya").click()
    page.get_by_role("link", name="Bulan berikutnya").click()
    expect(page.locator("#month-events")).to_contain_text("Festival durian Cikolelet (contoh)")

    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh kalender (.ics)").click()
    assert download.value.suggested_filename == "acara-kabupaten-serang.ics"
    calendar = icalendar.Calendar.from_ical(Path(download.value.path()).read_bytes())
    [event] = [e for e in calendar.walk("VEVENT") if "Festival durian" in str(e["SUMMARY"])]
    assert event.decoded("DTSTART") == festival
