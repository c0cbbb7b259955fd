"""Rabeg's done-criteria in a real browser: a citizen without an account reports a broken street
light in Kelurahan Cipare from a phone and follows it by ticket number; the administrator
disposes it to Dishub; Dishub answers; the citizen reopens it and the reopen reaches Dishub."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_street_light_report_disposition_answer_and_reopen(page, new_page, login, shot):
    # A citizen, no account, phone-sized browser.
    page.goto("/kota-serang/aduan/")
    shot(page, "complaints-01-beranda-aduan")
    page.get_by_role("link", name="Buat laporan").click()
    page.get_by_label("Kategori").select_option(label="Lampu penerangan jalan (PJU) mati")
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
    ticket = re.search(r"SRG-\d{4}-\d{6}", heading.inner_text()).group(0)
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
    admin.get_by_label("OPD tujuan").select_option(label="Dishub")
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
