"""Sensors in a real browser: the flood simulation runs through the real ingestion path, then a
citizen on a cheap phone sees the rising river and the warning on the public page, and a
region administrator sees the post coloured on the staff map."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser


def test_flood_reaches_the_public_page_on_a_phone_and_the_staff_map(
    new_page: Callable[..., Page],
    server: LiveServer,
    login: Callable[..., None],
    shot: Callable[[Page, str], Path],
) -> None:
    out = server.manage("simulate_sensors", "--tenant", "36.73", "--scenario", "flood", "--fast")
    assert "via MQTT" in out and "done" in out

    page = new_page({"width": 360, "height": 740})  # a cheap Android phone
    page.goto("/kota-serang/sensor/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Tinggi muka air dan kualitas udara"
    )
    expect(page.locator(".leaflet-container")).to_be_visible()
    expect(page.locator(".leaflet-interactive")).to_have_count(3)  # two posts and one monitor
    post = page.locator("article.post-card", has_text="Pos Cibanten – Kaujon")
    expect(post.locator(".level .value")).to_contain_text("cm")
    expect(post.locator(".status")).to_contain_text("Siaga")
    expect(page.locator(".warnings")).to_contain_text("Siaga")
    expect(page.locator("p.ispu").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "sensors-01-publik")

    desk = new_page({"width": 1280, "height": 800})
    login(desk, "admin-kota")
    desk.goto("/kota-serang/sensor/peta/")
    expect(desk.locator(".leaflet-interactive")).to_have_count(3)
    row = desk.locator("#devices tr", has_text="Pos Cibanten – Kaujon")
    expect(row).to_contain_text("Siaga")
    expect(row).to_contain_text("Daring")
    row.get_by_role("link", name="Pos Cibanten – Kaujon").click()
    expect(desk.locator("[data-chart] svg")).to_be_visible()  # ECharts drew from the rollups
    shot(desk, "sensors-02-perangkat")
