"""The SPBE self-assessment in a real browser: the region admin of Kabupaten Serang opens the
2025 draft (demo, 4.13 Sangat Baik), and in the simulator raises the three cheapest
indicators one level each (+0.03 each), which moves the simulated predicate to Memuaskan."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_admin_raises_the_three_cheapest_indicators_and_the_predicate_moves(
    page: Page, login: Callable[..., None], shot: Callable[[Page, str], Path]
) -> None:
    login(page, "admin-kab")
    page.goto("/kabupaten-serang/spbe/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Evaluasi mandiri SPBE")
    expect(page.locator("#comparison-table")).to_contain_text("3,74")
    expect(page.locator("[data-chart=spbe-history] svg")).to_be_visible()  # ECharts drew it
    shot(page, "spbe-01-daftar-penilaian")

    page.get_by_role("link", name="2025").click()
    expect(page.locator("#overall-index")).to_contain_text("4,13")
    expect(page.locator("#overall-predicate")).to_have_text("Sangat Baik")
    shot(page, "spbe-02-penilaian-2025")

    page.get_by_role("link", name="Layanan Pengaduan Pelayanan Publik").click()
    expect(page.get_by_label("4 - Kolaborasi")).to_be_visible()  # level names of domain 4
    shot(page, "spbe-03-indikator-42")
    page.go_back()

    page.get_by_role("link", name="Simulasi “bagaimana jika”").click()
    expect(page.locator("#simulated-predicate")).to_have_text("Sangat Baik")
    expect(page.locator("#route-summary")).to_contain_text(
        "3 kenaikan tingkat untuk mencapai Memuaskan"
    )
    cheapest = page.locator("#ranking tbody tr").evaluate_all(
        "rows => rows.slice(0, 3).map(r => r.dataset.number)"
    )
    shot(page, "spbe-04-simulasi-awal")

    for number, index, predicate in zip(
        cheapest, ["4,16", "4,19", "4,22"], ["Sangat Baik", "Sangat Baik", "Memuaskan"], strict=True
    ):
        page.locator(f'#ranking tr[data-number="{number}"]').get_by_role(
            "button", name="Naikkan"
        ).click()
        expect(page.locator("#simulated-index")).to_have_text(index)
        expect(page.locator("#simulated-predicate")).to_have_text(predicate)
    expect(page.locator("#original-predicate")).to_have_text("Sangat Baik")
    shot(page, "spbe-05-simulasi-memuaskan")
