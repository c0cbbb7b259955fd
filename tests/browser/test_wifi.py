"""Public Wi-Fi in a real browser, on a phone: a citizen opens the map of free Wi-Fi points,
sees which work, and reports the broken one at the bus terminal; the report arrives as a
complaint with a ticket."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser

ENSURE_CATEGORY = """
from kotacerdas.complaints.models import Category
from kotacerdas.tenants.models import Opd, Tenant
kota = Tenant.objects.get(slug="kota-serang")
Category.objects.get_or_create(tenant=kota, code="internet-publik", defaults={
    "name": "Gangguan internet publik / Wi-Fi",
    "opd": Opd.objects.get(tenant=kota, acronym="Diskominfo")})
"""


def test_citizen_finds_working_points_and_reports_a_broken_one(
    new_page: Callable[..., Page], server: LiveServer, shot: Callable[[Page, str], Path]
) -> None:
    server.manage("shell", "-c", ENSURE_CATEGORY)
    page = new_page({"width": 360, "height": 740})  # a cheap Android phone
    page.goto("/kota-serang/wifi/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Wi-Fi publik gratis")
    expect(page.locator(".leaflet-container")).to_be_visible()  # the map drew
    expect(page.locator(".leaflet-interactive")).to_have_count(5)  # one marker per point
    terminal = page.locator("li.point", has_text="Terminal Pakupatan")
    expect(terminal.locator(".state")).to_have_text("gangguan")
    expect(page.locator("li.point", has_text="Alun-alun").locator(".state")).to_have_text(
        "berfungsi"
    )
    # nothing needs sideways scrolling on a 360 px phone
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "wifi-01-peta")

    terminal.get_by_role("link", name="Laporkan gangguan").click()
    page.get_by_label("Apa yang terjadi?").fill("Tidak bisa tersambung sejak pagi.")
    page.get_by_role("button", name="Kirim laporan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("laporan terkirim")
    ticket = page.locator(".ticket strong").inner_text()
    assert ticket.startswith("SRG-")
    shot(page, "wifi-02-terkirim")
    page.get_by_role("link", name="Pantau aduan ini").click()
    expect(page.locator("body")).to_contain_text(ticket)
