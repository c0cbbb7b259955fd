"""Call 112 end to end: pranks and a real fire at intake, dispatch, a live board in a second
browser, and the incident walked through to closed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

DESK = "/kota-serang/112/"


def log_prank(page: Page, number: str) -> None:
    page.locator("#id_caller_number").fill(number)
    page.keyboard.press("Alt+3")  # prank
    expect(page.locator("#incident-fields")).to_be_hidden()
    page.keyboard.press("Control+Enter")
    expect(
        page.get_by_text(f"Panggilan Prank (iseng) dari +62{number[1:]} tercatat.")
    ).to_be_visible()


def test_pranks_and_a_fire_in_taktakan_dispatched_and_closed_on_a_live_board(
    new_page: Callable[..., Page], login: Callable[..., None], shot: Callable[[Page, str], Path]
) -> None:
    board = new_page({"width": 1366, "height": 900})
    login(board, "supervisor-kota")
    board.goto(DESK + "papan/dinding/")
    expect(board.locator("#live")).to_have_text("langsung")
    board.evaluate("window.__sameDocument = true")

    intake = new_page({"width": 1366, "height": 900})
    login(intake, "calltaker-kota")
    intake.goto(DESK)
    expect(intake.locator("#id_caller_number")).to_be_focused()
    for _ in range(3):
        log_prank(intake, "081911110000")
    intake.locator("#id_caller_number").fill("0819 1111 0000")
    expect(intake.locator("#caller-history")).to_contain_text("Riwayat +6281911110000")
    expect(intake.locator("#caller-history li")).to_have_count(3)
    shot(intake, "emergency-01-riwayat-penelepon-prank")

    intake.locator("#id_caller_number").fill("0813 2222 7777")
    intake.locator("#id_caller_name").fill("Bu Rina")
    intake.keyboard.press("Alt+1")  # normal
    intake.locator("#id_category").select_option("kebakaran")
    intake.locator("#id_kelurahan").select_option("36.73.06.1001")
    intake.locator("#id_landmark").fill("Gang Mawar, belakang SDN Taktakan 1")
    intake.locator("#id_description").fill("Rumah terbakar, api sudah ke atap.")
    intake.locator("#id_people_involved").fill("1 lansia masih di dalam")
    intake.locator("#id_latitude").fill("-6.131")
    intake.locator("#id_longitude").fill("106.118")
    shot(intake, "emergency-02-intake-kebakaran")
    intake.keyboard.press("Control+Enter")
    expect(intake.get_by_text("diteruskan ke dispatcher")).to_be_visible()

    card = board.locator(".incident-card", has_text="Kebakaran")
    expect(card).to_contain_text("Taktakan")  # arrived by server-sent event, no reload
    expect(card.locator(".state")).to_have_text("Baru")
    # the live refresh keeps the wall's units panel open (it used to collapse)
    expect(board.locator("details.units")).to_have_attribute("open", "")
    expect(board.locator(".unit-list")).to_be_visible()
    shot(board, "emergency-03-layar-dinding-insiden-baru")

    dispatcher = new_page({"width": 1366, "height": 900})
    login(dispatcher, "dispatcher-kota")
    dispatcher.goto(DESK + "papan/")
    dispatcher.locator(".incident-card", has_text="Kebakaran").get_by_role("link").click()
    dispatcher.get_by_label("Damkar", exact=True).check()
    dispatcher.get_by_label("PSC 119", exact=True).check()
    dispatcher.get_by_role("combobox", name="Unit Damkar").select_option(label="Pos 1 Unit 01")
    shot(dispatcher, "emergency-04-teruskan-damkar-psc119")
    dispatcher.get_by_role("button", name="Teruskan", exact=True).click()
    expect(dispatcher.locator("#state")).to_have_text("Diteruskan")
    expect(card.locator(".state")).to_have_text("Diteruskan")
    expect(card).to_contain_text("Damkar (Pos 1 Unit 01)")
    expect(card).to_contain_text("PSC 119")

    for button, state in (
        ("Damkar: Diterima instansi", "Diterima instansi"),
        ("Damkar: Tim bergerak", "Tim bergerak"),
        ("Damkar: Tiba di lokasi", "Tiba di lokasi"),
    ):
        dispatcher.get_by_role("button", name=button).click()
        expect(dispatcher.locator("#state")).to_have_text(state)
        expect(card.locator(".state")).to_have_text(state)
    expect(board.locator(".unit-list")).to_contain_text("Pos 1 Unit 01")
    expect(board.locator(".unit-list li", has_text="Pos 1 Unit 01")).to_contain_text("Bertugas")
    shot(board, "emergency-05-layar-dinding-tiba")
    dispatcher.get_by_label("Laporan lapangan").fill("Api padam pukul 10.20, lansia selamat.")
    dispatcher.get_by_role("button", name="Tertangani").click()
    expect(dispatcher.locator("#state")).to_have_text("Tertangani")
    dispatcher.get_by_label("Catatan penutupan").fill("Selesai, tidak ada korban.")
    dispatcher.get_by_role("button", name="Tutup").click()
    expect(dispatcher.locator("#state")).to_have_text("Ditutup")
    shot(dispatcher, "emergency-06-insiden-ditutup")
    expect(card).to_have_count(0)
    assert board.evaluate("window.__sameDocument") is True


def test_stale_page_of_a_second_dispatcher_gets_a_clear_message(
    new_page: Callable[..., Page], login: Callable[..., None]
) -> None:
    first = new_page({"width": 1366, "height": 900})
    second = new_page({"width": 1366, "height": 900})
    login(first, "dispatcher-kota")
    login(second, "supervisor-kota")
    first.goto(DESK + "papan/")
    link = first.locator(".incident-card", has_text="Pohon tumbang").get_by_role("link")
    href = link.get_attribute("href")
    assert href
    first.goto(href)
    second.goto(href)
    first.get_by_role("button", name="DLH: Diterima instansi").click()
    expect(first.locator("#state")).to_have_text("Diterima instansi")
    expect(second.get_by_text("Insiden ini baru saja diubah orang lain.")).to_be_visible()
    second.get_by_label("Polres", exact=True).check()
    second.get_by_role("button", name="Teruskan", exact=True).click()
    expect(second.get_by_text("baru saja diubah oleh Dispatcher 112")).to_be_visible()


def test_sixth_prank_blocks_the_number_and_a_supervisor_lifts_it(
    new_page: Callable[..., Page], login: Callable[..., None], shot: Callable[[Page, str], Path]
) -> None:
    intake = new_page({"width": 1366, "height": 900})
    login(intake, "calltaker-kota")
    intake.goto(DESK)
    for _ in range(6):
        log_prank(intake, "085700001111")
    expect(intake.get_by_text("Nomor +6285700001111 sekarang diblokir")).to_be_visible()
    intake.locator("#id_caller_number").fill("085700001111")
    expect(intake.locator(".blocked-warning")).to_contain_text("sedang diblokir")
    shot(intake, "emergency-07-nomor-diblokir")

    supervisor = new_page({"width": 1366, "height": 900})
    login(supervisor, "supervisor-kota")
    supervisor.goto(DESK + "blokir/")
    row = supervisor.get_by_role("row", name="+6285700001111")
    row.get_by_placeholder("Alasan").fill("Anak bermain telepon, orang tua sudah ditegur")
    shot(supervisor, "emergency-08-buka-blokir")
    row.get_by_role("button", name="Buka").click()
    expect(supervisor.get_by_text("Blokir nomor +6285700001111 dibuka.")).to_be_visible()

    supervisor.goto(DESK + "laporan/")
    expect(supervisor.locator("#chart-calls canvas")).to_have_count(1)
    expect(supervisor.locator("#invalid-total")).not_to_have_text("0")
    shot(supervisor, "emergency-09-laporan")
