"""A newcomer's first minutes: home page, registration, login and the language switch."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_citizen_registers_logs_out_and_logs_in_again_in_indonesian(
    page: Page, shot: Callable[[Page, str], Path]
) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", name="Layanan kota cerdas")).to_be_visible()
    shot(page, "foundation-01-beranda")
    page.get_by_role("link", name="Pemerintah Kota Serang").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Satu pintu layanan Pemerintah Kota Serang"
    )
    shot(page, "foundation-02-beranda-kota-serang")

    page.get_by_role("link", name="Buat akun", exact=True).click()
    page.get_by_label("Nama").fill("Siti Aminah")
    page.get_by_label("Surel atau nomor HP").fill("0812 7777 0001")
    page.get_by_label("Kata sandi").fill("rahasia-banget-123")
    shot(page, "foundation-03-daftar")
    page.get_by_role("button", name="Buat akun").click()
    expect(page.get_by_text("Selamat datang! Akun Anda sudah aktif.")).to_be_visible()
    expect(page.get_by_role("link", name="Siti Aminah")).to_be_visible()

    page.get_by_role("button", name="Keluar").click()
    page.get_by_role("link", name="Masuk").click()
    page.get_by_label("Surel, nomor HP, atau nama pengguna").fill("+62 812-7777-0001")
    page.get_by_label("Kata sandi").fill("rahasia-banget-123")
    page.locator("form.form").get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("link", name="Siti Aminah")).to_be_visible()
    shot(page, "foundation-04-masuk")


def test_visitor_switches_to_english_and_registers_and_logs_in(
    page: Page, shot: Callable[[Page, str], Path]
) -> None:
    page.goto("/kota-serang/")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "One-stop services of Pemerintah Kota Serang"
    )
    shot(page, "foundation-05-home-english")

    page.get_by_role("link", name="Create account", exact=True).click()
    page.get_by_label("Name").fill("John Visitor")
    page.get_by_label("Email or mobile number").fill("john@example.org")
    page.get_by_label("Password").fill("a-long-pass-phrase")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("Welcome! Your account is active.")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    page.get_by_role("link", name="Log in").click()
    page.get_by_label("Email, mobile number or username").fill("john@example.org")
    page.get_by_label("Password").fill("wrong-password")
    page.locator("form.form").get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("did not match")
    page.get_by_label("Password").fill("a-long-pass-phrase")
    page.locator("form.form").get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="John Visitor")).to_be_visible()
    shot(page, "foundation-06-logged-in-english")


def test_staff_of_one_region_gets_a_404_in_the_other(
    page: Page, login: Callable[..., None]
) -> None:
    login(page, "admin-kab")
    response = page.goto("/admin/tenants/opd/")
    assert response is not None and response.status == 200
    expect(page.get_by_text("Dinas Kelautan dan Perikanan")).to_be_visible()
    expect(page.get_by_text("Dinas Perpustakaan dan Kearsipan")).to_have_count(0)
