"""The leaders' command centre in a desktop browser: the overview with sparklines and the
layered map, then wall mode updating while a call-taker logs a call in another browser, and
its stale warning when updates stop."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

HOME = "/kota-serang/pusat-komando/"
DESKTOP = {"width": 1366, "height": 900}


def test_overview_map_and_wall_updating_while_a_call_is_logged(
    new_page: Callable[..., Page], login: Callable[..., None], shot: Callable[[Page, str], Path]
) -> None:
    leader = new_page(DESKTOP)
    login(leader, "pimpinan-kota")
    expect(leader).to_have_url(re.compile(HOME + "$"))  # the leader lands here after sign-in
    # The last 30 days, not this month: the demo's rows are hours old, which is last month in
    # the first hours of a month.
    today = dt.datetime.now(ZoneInfo("Asia/Jakarta")).date()
    recent = {"periode": "kustom", "dari": f"{today - dt.timedelta(days=29)}", "sampai": f"{today}"}
    leader.goto(f"{HOME}?{urlencode(recent)}")
    expect(leader.get_by_role("heading", name="Pusat komando pimpinan")).to_be_visible()
    for group in ("Smart Governance", "Smart Living"):
        expect(leader.get_by_role("heading", level=2, name=re.compile(group))).to_be_visible()
    calls = leader.locator("[data-kpi='emergency.calls']")
    expect(calls.get_by_role("link", name="Panggilan 112")).to_have_attribute(
        "href", re.compile(r"/kota-serang/112/panggilan/\?dari=")
    )
    expect(leader.locator("[data-spark='complaints.received'] svg")).to_be_visible()
    expect(leader.locator("#computed-at")).to_contain_text("Angka dihitung")

    # Every module's figures, including the apps that joined later.
    for app in ("complaints", "services", "emergency", "planning", "spbe"):
        expect(leader.locator(f"[data-kpi^='{app}.']").first).to_be_visible()
    for app in ("sensors", "opendata", "economy", "wifi"):
        expect(leader.locator(f"[data-kpi^='{app}.']").first).to_be_attached()
    # 112 incidents by kind: a bar chart, and each kind links to its incidents.
    kinds = leader.locator("[data-kpi='emergency.incidents']")
    expect(kinds.locator("[data-parts-chart] svg path[fill='#c0392b']").first).to_be_visible()
    expect(kinds.locator("a[data-part]").first).to_have_attribute("href", re.compile(r"jenis="))
    # The SPBE index with its predicate.
    expect(leader.locator("[data-kpi='spbe.index'] .verdict")).to_be_visible()

    # The map: open complaints are on by default; every other layer switches on and counts.
    expect(leader.locator("[data-count='complaints.open']")).to_have_text(re.compile(r"\(\d+\)"))
    boxes = leader.locator("input[name=layer]")
    keys = [boxes.nth(i).get_attribute("value") for i in range(boxes.count())]
    assert {
        "complaints.open",
        "emergency.incidents_24h",
        "sensors.devices",
        "wifi.hotspots",
        "economy.villages",
    } <= set(keys), keys
    for key in keys:
        box = leader.locator(f"input[name=layer][value='{key}']")
        box.check()
        expect(leader.locator(f"[data-count='{key}']")).to_have_text(re.compile(r"\(\d+\)"))
    expect(leader.locator("#map-legend li").first).to_be_visible()
    leader.locator(".dash-map").scroll_into_view_if_needed()
    shot(leader, "dashboard-01-pusat-komando")
    for key in keys[1:]:
        leader.locator(f"input[name=layer][value='{key}']").uncheck()

    # A figure clicks through to its rows: the list counts what the figure counts.
    received = leader.locator("[data-kpi='complaints.received']")
    value = received.locator(".num").inner_text().replace(".", "").replace(",", "")
    received.get_by_role("link").click()
    expect(leader.locator(".list-filter")).to_have_attribute("data-total", value)
    leader.go_back()

    # Another period and a kecamatan narrow every figure; the page says what it shows.
    leader.locator("select[name=periode]").select_option("tahun")
    leader.locator("select[name=kecamatan]").select_option(label="Taktakan")
    leader.get_by_role("button", name="Tampilkan").click()
    expect(leader.locator("#computed-at")).to_contain_text("kecamatan Taktakan")

    wall = new_page(DESKTOP)
    login(wall, "pimpinan-kota")
    wall.goto(HOME + "dinding/")
    expect(wall.locator("header.site-header")).to_have_count(0)  # no navigation
    figure = wall.locator("[data-kpi='emergency.calls'] .num")
    before = int(figure.inner_text().replace("—", "0").replace(".", "").replace(",", ""))
    first_update = wall.locator("#wall-updated").inner_text()
    shot(wall, "dashboard-02-layar-dinding-sebelum")

    desk = new_page(DESKTOP)
    login(desk, "calltaker-kota")
    desk.goto("/kota-serang/112/")
    desk.locator("#id_caller_number").fill("0812 3456 0099")
    desk.keyboard.press("Alt+4")  # informasi
    desk.keyboard.press("Control+Enter")
    expect(desk.get_by_text("tercatat")).to_be_visible()

    # The wall polls its cached fragment and shows the new call without a reload.
    expect(figure).to_have_text(str(before + 1), timeout=20_000)
    expect(wall.locator("#wall-updated")).not_to_have_text(first_update)
    expect(wall.locator("#wall-stale")).to_be_hidden()
    shot(wall, "dashboard-03-layar-dinding-panggilan-baru")

    # Updates stop (the server is unreachable): the wall says so.
    wall.route("**/dinding/isi/**", lambda route: route.abort())
    expect(wall.locator("#wall-stale")).to_be_visible(timeout=15_000)
    shot(wall, "dashboard-04-layar-dinding-usang")
