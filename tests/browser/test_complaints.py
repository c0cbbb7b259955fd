"""Rabeg's done-criteria in a real browser: a citizen without an account reports a broken street
light in Kelurahan Cipare from a phone and follows it by ticket number; the administrator
disposes it to Dishub; Dishub answers; the citizen reopens it and the reopen reaches Dishub."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer
from tests.conftest import search

pytestmark = pytest.mark.browser


def test_street_light_report_disposition_answer_and_reopen(
    page: Page,
    new_page: Callable[..., Page],
    login: Callable[..., None],
    shot: Callable[[Page, str], Path],
) -> None:
    # A citizen, no account, phone-sized browser.
    page.goto("/kota-serang/aduan/")
    shot(page, "complaints-01-beranda-aduan")
    page.get_by_role("link", name="Buat laporan").click()
    page.get_by_label("Kategori").select_option(label="Lampu penerangan jalan (PJU) mati")
    page.get_by_label("Berapa lampu yang mati?").fill("2")
    page.get_by_label("Jalan gelap").check()
    page.get_by_label("Uraian").fill(
        "Dua lampu PJU di Jl. Cipare mati sejak tiga malam, jalan gelap sekali."
    )
    page.locator(".map").click()  # drop the pin
    expect(page.locator("#pin-status")).not_to_be_empty()
    page.get_by_label("Kelurahan/desa").select_option("36.73.01.1002")
    page.get_by_label("Alamat atau patokan").fill("Depan Masjid Al-Ikhlas, Cipare")
    page.get_by_label("Anonim").check()
    shot(page, "complaints-02-formulir-lapor")
    page.get_by_role("button", name=re.compile("Kirim laporan|Tetap kirim laporan baru")).click()
    expect(page.get_by_text("Laporan Anda diterima dengan nomor tiket")).to_be_visible()
    heading = page.get_by_role("heading", level=1)
    ticket = search(r"SRG-\d{4}-\d{6}", heading.inner_text()).group(0)
    follow_url = page.url
    shot(page, "complaints-03-tiket-terkirim")

    # Anyone can follow it by ticket number.
    visitor = new_page()
    visitor.goto("/kota-serang/aduan/lacak/")
    visitor.get_by_label("Nomor tiket").fill(ticket)
    visitor.get_by_role("button", name="Lacak").click()
    expect(visitor.get_by_role("heading", level=1)).to_contain_text(ticket)
    expect(visitor.get_by_text("Belum terverifikasi").first).to_be_visible()
    shot(visitor, "complaints-04-lacak-tiket")

    # The region administrator verifies it and disposes it to Dishub.
    admin = new_page({"width": 1366, "height": 900})
    login(admin, "admin-kota")
    admin.goto("/kota-serang/aduan/kelola/")
    admin.get_by_role("link", name=ticket).click()
    admin.get_by_role("checkbox", name=re.compile(r"\(Dishub\)$")).check()
    admin.get_by_role("button", name="Verifikasi dan disposisikan").click()
    expect(admin.get_by_text("Aduan diverifikasi dan didisposisikan.")).to_be_visible()
    shot(admin, "complaints-05-admin-disposisi")

    # The Dishub operator answers and marks it done.
    dishub = new_page({"width": 1366, "height": 900})
    login(dishub, "dishub-kota")
    dishub.goto("/kota-serang/aduan/kelola/")
    dishub.get_by_role("link", name=ticket).click()
    expect(dishub.get_by_text("Disembunyikan (anonim/rahasia)")).to_be_visible()
    dishub.get_by_label("Tanggapan").fill("Petugas Dishub sudah mengganti dua lampu PJU.")
    dishub.get_by_role("button", name="Kirim tanggapan").click()
    expect(dishub.get_by_text("Tanggapan disimpan.")).to_be_visible()
    dishub.locator("form").filter(has=dishub.locator("input[value=resolve]")).get_by_label(
        "Catatan atau alasan"
    ).fill("Lampu sudah menyala.")
    dishub.locator("form").filter(has=dishub.locator("input[value=resolve]")).get_by_role(
        "button"
    ).click()
    expect(dishub.get_by_text("Status aduan diperbarui.")).to_be_visible()
    shot(dishub, "complaints-06-dishub-menanggapi")

    # The citizen sees the answer, and reopens: the lamp is dark again.
    page.goto(follow_url)
    expect(page.get_by_text("Petugas Dishub sudah mengganti dua lampu PJU.")).to_be_visible()
    page.get_by_label("Alasan membuka kembali").fill("Satu lampu mati lagi tadi malam.")
    page.get_by_role("button", name="Belum, buka kembali").click()
    expect(page.get_by_text("Aduan dibuka kembali")).to_be_visible()
    shot(page, "complaints-07-warga-buka-kembali")

    # The reopen reaches Dishub.
    dishub.goto("/kota-serang/aduan/kelola/?status=didisposisi")
    dishub.get_by_role("link", name=ticket).click()
    expect(dishub.get_by_text("Satu lampu mati lagi tadi malam.")).to_be_visible()
    expect(dishub.get_by_text("Dibuka kembali").first).to_be_visible()
    expect(dishub.get_by_role("button", name="Kirim tanggapan")).to_be_visible()
    shot(dishub, "complaints-08-dishub-menerima-buka-kembali")


def _complaint_count(server: LiveServer) -> int:
    output = server.manage(
        "shell",
        "--no-imports",
        "-c",
        "from kotacerdas.complaints.models import Complaint; print(Complaint.objects.count())",
    )
    return int(output.strip().splitlines()[-1])


def test_me_too_supports_once_and_one_opd_finishing_leaves_the_other_open(
    page: Page,
    new_page: Callable[..., Page],
    login: Callable[..., None],
    server: LiveServer,
    shot: Callable[[Page, str], Path],
) -> None:
    # A citizen about to report a street light already reported nearby backs that report.
    before = _complaint_count(server)
    page.goto("/kota-serang/aduan/lapor/")
    page.get_by_label("Kategori").select_option(label="Lampu penerangan jalan (PJU) mati")
    page.get_by_label("Uraian").fill("Lampu PJU di depan masjid mati.")
    # The phone is at the reported street light: "use my location" drops the pin there.
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": -6.1235, "longitude": 106.1490})
    page.get_by_role("button", name="Gunakan lokasi saya").click()
    expect(page.locator("#id_lat")).to_have_value("-6.123500")
    nearby = page.locator("#nearby")
    expect(nearby.get_by_role("button", name="Saya juga").first).to_be_visible()
    shot(page, "complaints-09-laporan-serupa")
    nearby.get_by_role("button", name="Saya juga").first.click()
    expect(page.get_by_text("dukungan Anda dicatat")).to_be_visible()
    ticket = search(r"SRG-\d{4}-\d{6}", page.get_by_role("heading", level=1).inner_text())[0]
    support = page.locator("dt", has_text="Dukungan warga").locator(
        "xpath=following-sibling::dd[1]"
    )
    supporters = int(support.inner_text())
    # The same browser again: thanked, not counted twice.
    page.get_by_role("button", name="Saya juga mengalami ini").click()
    expect(page.get_by_text("sudah mendukung")).to_be_visible()
    expect(support).to_have_text(str(supporters))
    assert _complaint_count(server) == before  # no report was filed
    shot(page, "complaints-10-saya-juga")

    # The administrator sends it to DPUPR and Dishub.
    admin = new_page({"width": 1366, "height": 900})
    login(admin, "admin-kota")
    admin.goto("/kota-serang/aduan/kelola/")
    admin.get_by_role("link", name=ticket).click()
    # The OPD picker is searched by name; the options not matching are hidden.
    admin.get_by_role("searchbox", name="OPD tujuan").fill("pekerjaan umum")
    expect(admin.get_by_role("checkbox", name=re.compile(r"\(DLH\)$"))).to_be_hidden()
    admin.get_by_role("checkbox", name=re.compile(r"\(DPUPR\)$")).check()
    admin.get_by_role("searchbox", name="OPD tujuan").fill("")
    admin.get_by_role("checkbox", name=re.compile(r"\(Dishub\)$")).check()
    admin.get_by_role("button", name="Verifikasi dan disposisikan").click()
    expect(admin.get_by_text("Aduan diverifikasi dan didisposisikan.")).to_be_visible()

    # Dishub finishes its part.
    dishub = new_page({"width": 1366, "height": 900})
    login(dishub, "dishub-kota")
    dishub.goto("/kota-serang/aduan/kelola/")
    dishub.get_by_role("link", name=ticket).click()
    resolve = dishub.locator("form").filter(has=dishub.locator("input[value=resolve]"))
    resolve.get_by_label("Catatan atau alasan").fill("Lampu diganti oleh Dishub.")
    resolve.get_by_role("button").click()
    expect(dishub.get_by_text("Status aduan diperbarui.")).to_be_visible()
    expect(dishub.locator("input[value=resolve]")).to_have_count(0)  # its part is done
    shot(dishub, "complaints-11-dishub-selesai-bagiannya")

    # DPUPR's part stays open: the complaint is still being handled, for staff and public.
    admin.reload()
    parts = admin.locator("ul.dispositions")
    expect(parts.locator("li[data-opd=Dishub]")).to_contain_text("Bagian ini selesai")
    expect(parts.locator("li[data-opd=DPUPR]")).to_contain_text("Belum selesai")
    expect(admin.locator("p .badge").first).to_have_text("Ditindaklanjuti")
    shot(admin, "complaints-12-dpupr-masih-terbuka")
    page.goto(f"/kota-serang/aduan/tiket/{ticket}/")
    expect(page.locator("p .badge").first).to_have_text("Ditindaklanjuti")
    expect(page.locator("ul.parts")).to_contain_text("sedang ditangani")
