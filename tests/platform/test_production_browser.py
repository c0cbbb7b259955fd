"""In Chromium against the production server: the pages keep to the Content-Security-Policy
(no inline script or handler is blocked), and a citizen resets a forgotten password with the
link from the email (read from the file mail backend)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import CHROMIUM
from tests.conftest import DEMO_PASSWORD
from tests.platform.conftest import ProductionServer

pytestmark = pytest.mark.production

CSP_PAGES = [
    "/",
    "/kota-serang/",
    "/akun/masuk/",
    "/kota-serang/aduan/",
    "/kota-serang/aduan/lapor/",
    "/kota-serang/aduan/daftar/",
    "/kota-serang/layanan/",
]
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Browser, production: ProductionServer) -> Iterator[Page]:
    context = chromium.new_context(base_url=production.url, locale="id-ID")
    context.set_default_timeout(15_000)
    context.add_init_script(RECORD_VIOLATIONS)
    yield context.new_page()
    context.close()


def _violations(page: Page, console: list[str]) -> list[str]:
    recorded = page.evaluate("window.__cspViolations")
    return [*recorded, *(m for m in console if "Content Security Policy" in m)]


def test_pages_keep_to_the_content_security_policy(page: Page) -> None:
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    problems = []
    for url in CSP_PAGES:
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("load")
        problems += [f"{url}: {v}" for v in _violations(page, console)]
        console.clear()
    assert not problems, problems


def _mail_dir(production: ProductionServer) -> Path:
    return Path(production.env["EMAIL_URL"].removeprefix("filemail://"))


def test_citizen_resets_a_forgotten_password_by_email(
    page: Page, production: ProductionServer
) -> None:
    page.goto("/akun/masuk/")
    page.get_by_role("link", name="Lupa kata sandi?").click()
    page.get_by_label("Surel akun Anda").fill("warga@demo.kotacerdas.id")
    page.get_by_role("button", name="Kirim tautan").click()
    expect(page.get_by_role("heading", name="Periksa surel Anda")).to_be_visible()

    production.manage("deliver_notifications", "--once")
    mails = "\n".join(p.read_text() for p in sorted(_mail_dir(production).glob("*.log")))
    assert "Subject: Atur ulang kata sandi" in mails
    link = re.findall(r"https?://[^/\s]+(/akun/reset/\S+/)", mails)[-1]

    page.goto(link)
    expect(page.get_by_role("heading", name="Pilih kata sandi baru")).to_be_visible()
    page.locator("input[name=new_password1]").fill("sandi-pulih-dari-surel")
    page.locator("input[name=new_password2]").fill("sandi-pulih-dari-surel")
    page.get_by_role("button", name="Simpan kata sandi").click()
    expect(page.get_by_role("heading", name="Kata sandi sudah diganti")).to_be_visible()

    page.get_by_role("main").get_by_role("link", name="Masuk").click()
    page.get_by_label("Surel, nomor HP, atau nama pengguna").fill("warga-demo")
    page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    page.locator("form.form").get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("alert")).to_be_visible()  # the old password no longer works
    page.get_by_label("Kata sandi").fill("sandi-pulih-dari-surel")
    page.locator("form.form").get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("link", name="Laporan saya")).to_be_visible()
