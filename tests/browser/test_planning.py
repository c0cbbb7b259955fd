"""The masterplan monitoring loop, end to end: an administrator plans a programme with KPIs
and budget, the lead OPD's operator files a quarterly report with a challenge and an
obstacle, the administrator approves it, and the leader's dashboard reflects it."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser

BASE = "/kota-serang/rencana/"
NAME = "Taman Cerdas Alun-Alun Serang"


def test_programme_planned_reported_approved_and_seen_by_the_leader(
    server: LiveServer,
    desktop_page: Page,
    new_page: Callable[..., Page],
    login: Callable[..., None],
    shot: Callable[[Page, str], Path],
) -> None:
    year = dt.datetime.now(tz=dt.UTC).year  # the server runs on the real clock

    # 1. The region administrator creates a quick win with a partner, budget lines and a KPI.
    admin = desktop_page
    login(admin, "admin-kota")
    admin.goto(BASE)
    expect(admin.get_by_role("heading", level=1)).to_contain_text(
        "Masterplan Smart City Kota Serang"
    )
    admin.get_by_role("link", name="Tambah program").click()
    admin.get_by_label("Nama program", exact=True).fill(NAME)
    admin.locator("#id_description").fill(
        "Wi-Fi publik, sensor kebersihan dan panel informasi di alun-alun."
    )
    admin.get_by_label("Dimensi").select_option(label="Smart Living")
    admin.get_by_label("Elemen").select_option(label="Smart Living: Harmonisasi tata ruang")
    admin.get_by_label("Jangka").select_option(label="Quick win")
    admin.get_by_label("Status").select_option(label="Berjalan")
    admin.get_by_label("OPD pengampu").select_option(label="Diskominfo")
    admin.get_by_label("Disperkim").check()
    admin.locator("#id_partner-0-kind").select_option(label="Komunitas")
    admin.locator("#id_partner-0-name").fill("Karang Taruna Kota Serang")
    admin.locator("#id_budget-0-year").fill(str(year))
    admin.locator("#id_budget-0-source").select_option(label="APBD")
    admin.locator("#id_budget-0-amount").fill("200000000")
    admin.locator("#id_budget-1-year").fill(str(year))
    admin.locator("#id_budget-1-source").select_option(label="CSR")
    admin.locator("#id_budget-1-amount").fill("50000000")
    admin.locator("#id_kpi-0-name").fill("Pengunjung memakai Wi-Fi publik per hari")
    admin.locator("#id_kpi-0-unit").fill("orang")
    admin.locator("#id_kpi-0-baseline").fill("150")
    admin.locator("#id_kpi-0-targets").fill(f"{year}: 500")
    shot(admin, "planning-01-admin-program-baru")
    admin.get_by_role("button", name="Simpan program").click()
    expect(admin.get_by_text(f"Program “{NAME}” tersimpan.")).to_be_visible()
    expect(admin.locator("table.budget")).to_contain_text("Rp 250.000.000")
    expect(admin.locator("table.kpis")).to_contain_text(f"{year}: 500")
    shot(admin, "planning-02-admin-program-tersimpan")

    # 2. Diskominfo's operator files last quarter's report on a phone and submits it.
    operator = new_page()
    login(operator, "diskominfo-kota")
    operator.goto(BASE + "laporan/")
    card = operator.locator("li.card", has_text=NAME)
    card.get_by_role("link", name="Isi laporan").click()
    expect(operator.get_by_role("heading", level=1)).to_contain_text(NAME)
    operator.get_by_label("Kemajuan fisik (%)").fill("60")
    operator.get_by_label("Realisasi anggaran (Rp)").fill("100000000")
    operator.get_by_label("Capaian").fill(
        "12 titik Wi-Fi publik menyala\nPanel informasi terpasang"
    )
    operator.get_by_label("Tantangan").fill("Warga belum tahu cara masuk ke Wi-Fi publik")
    operator.get_by_label("Hambatan").fill("Pasokan listrik taman sering padam")
    operator.get_by_label(re.compile("Realisasi IKU: Pengunjung")).fill("320")
    operator.get_by_label("Bukti dukung").set_input_files(
        {"name": "foto-alun-alun.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 bukti"}
    )
    shot(operator, "planning-03-operator-isi-laporan")
    operator.get_by_role("button", name="Simpan dan ajukan").click()
    expect(operator.get_by_text("Laporan diajukan untuk ditinjau.")).to_be_visible()
    expect(operator.locator(".badge", has_text="Diajukan")).to_be_visible()
    expect(operator.get_by_text("Pasokan listrik taman sering padam")).to_be_visible()
    shot(operator, "planning-04-operator-laporan-diajukan")

    # 3. The administrator reviews and approves it.
    admin.goto(BASE + "laporan/")
    admin.locator("section.card", has_text="Menunggu tinjauan").get_by_role(
        "link", name=re.compile(NAME)
    ).click()
    expect(admin.get_by_text("Warga belum tahu cara masuk ke Wi-Fi publik")).to_be_visible()
    expect(admin.get_by_role("link", name="foto-alun-alun.pdf")).to_be_visible()
    admin.get_by_role("button", name="Setujui").click()
    expect(admin.get_by_text("Laporan disetujui.")).to_be_visible()
    expect(admin.locator(".badge", has_text="Disetujui")).to_be_visible()
    shot(admin, "planning-05-admin-laporan-disetujui")

    # 4. The leader's dashboard shows the quick win's progress.
    leader = new_page(viewport={"width": 1366, "height": 900})
    login(leader, "pimpinan-kota")
    leader.goto(BASE + "dasbor/")
    row = leader.locator("table.quick-wins tr", has_text=NAME)
    expect(row).to_contain_text("60%")
    expect(leader.locator("[data-chart=chart-quickwins] svg")).to_be_visible()
    expect(leader.locator("[data-chart=chart-dimensions] svg")).to_be_visible()
    shot(leader, "planning-06-pimpinan-dasbor")

    # The masterplan export shows the new programme with its budget.
    cookies = {c["name"]: c["value"] for c in leader.context.cookies()}
    response = httpx.get(f"{server.url}{BASE}masterplan.xlsx", cookies=cookies)
    rows = list(load_workbook(io.BytesIO(response.content))["Program"].values)
    assert any(r[3] == NAME and r[-1] == 250_000_000 for r in rows)


def test_evaluation_score_api_answers_without_signing_in(server: LiveServer) -> None:
    response = httpx.post(
        f"{server.url}/api/v1/planning/evaluation/score",
        json={
            "components": {"baseline": 3, "output": 4, "outcome": 3, "impact": 2, "quick_win": 5}
        },
    )
    assert response.json()["index_display"] == "3.40"


def test_overdue_demo_reports_are_reminded_by_email_once(server: LiveServer) -> None:
    before = len(server.sent_mail())
    first = server.manage("send_planning_reminders", "--commit")
    server.manage("deliver_notifications", "--once")  # reminders leave through the outbox
    sent = server.sent_mail()[before:]
    assert sent, first
    assert all("terlambat" in message["Subject"] for message in sent)
    server.manage("send_planning_reminders", "--commit")
    server.manage("deliver_notifications", "--once")
    assert len(server.sent_mail()) == before + len(sent)


def test_kabupaten_leader_sees_quick_wins_and_the_spbe_trend(
    new_page: Callable[..., Page], login: Callable[..., None], shot: Callable[[Page, str], Path]
) -> None:
    leader = new_page(viewport={"width": 1366, "height": 900})
    login(leader, "pimpinan-kab")
    leader.goto("/kabupaten-serang/rencana/dasbor/")
    for quick_win in ("Serang Tatu", "Sikonde", "OVOP", "Transformer", "Pojok Dolan", "Pesan Ibu"):
        expect(leader.locator("table.quick-wins")).to_contain_text(quick_win)
    expect(leader.get_by_text("3,23 (Baik)")).to_be_visible()  # the published 2023 index, by locale
    expect(leader.locator("[data-chart=chart-spbe] svg")).to_be_visible()
    shot(leader, "planning-07-pimpinan-kab-dasbor-spbe")
