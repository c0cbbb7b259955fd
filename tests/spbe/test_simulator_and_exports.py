"""The what-if simulator page and the XLSX/PDF exports, checked against what the pages show."""

from __future__ import annotations

import io

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from kotacerdas.accounts.models import User
from kotacerdas.spbe import services
from kotacerdas.spbe.models import Assessment
from kotacerdas.tenants.models import Tenant
from tests.pdf_pages import is_a4, margins_are_blank, render_pages
from tests.spbe.conftest import vector


def levels_form(levels: dict[int, int], **extra: str) -> dict[str, str]:
    return {**{f"level_{n}": str(level) for n, level in levels.items()}, **extra}


def test_simulator_starts_from_the_assessment_and_shows_the_route(
    client: Client, admin_kab: User, kab: Tenant, assessment_kab: Assessment
) -> None:
    client.force_login(admin_kab)
    page = client.get(
        reverse("spbe:simulator", args=[kab.slug, assessment_kab.pk])
    ).content.decode()
    assert 'id="simulated-predicate">Baik<' in page
    assert "3 kenaikan tingkat untuk mencapai Sangat Baik" in page
    assert '<tr data-number="42">' in page


def test_raising_the_three_cheapest_indicators_moves_the_simulated_predicate(
    client: Client, admin_kab: User, kab: Tenant, assessment_kab: Assessment
) -> None:
    # 3.41 Baik; 42, 43, 44 (weight 3 each) one level up: 341 + 9 = 350 -> 3.50 Sangat Baik.
    client.force_login(admin_kab)
    simulator = reverse("spbe:simulator", args=[kab.slug, assessment_kab.pk])
    levels = vector(3, i11_15=4, i21_29=5, i30=4)
    for number, expected in [(42, "3,44"), (43, "3,47")]:
        page = client.post(simulator, levels_form(levels) | {"raise": str(number)})
        levels[number] += 1
        assert f'id="simulated-index">{expected}<' in page.content.decode()
        assert 'id="simulated-predicate">Baik<' in page.content.decode()
    page = client.post(simulator, levels_form(levels) | {"raise": "44"}, HTTP_HX_REQUEST="true")
    html = page.content.decode()
    assert "<html" not in html  # htmx gets only the simulator block
    assert 'id="simulated-index">3,50<' in html
    assert 'id="simulated-predicate">Sangat Baik<' in html
    assessment_kab.refresh_from_db()
    assert assessment_kab.scores.get(indicator__number=42).level == 3  # nothing saved


def test_applying_the_route_reaches_the_next_predicate(
    client: Client, admin_kab: User, kab: Tenant, assessment_kab: Assessment
) -> None:
    client.force_login(admin_kab)
    simulator = reverse("spbe:simulator", args=[kab.slug, assessment_kab.pk])
    levels = vector(3, i11_15=4, i21_29=5, i30=4)  # 3.41 Baik
    page = client.post(simulator, levels_form(levels) | {"apply_route": "1"}).content.decode()
    assert 'id="simulated-index">3,50<' in page
    assert 'id="simulated-predicate">Sangat Baik<' in page


def test_simulator_names_a_bad_level(
    client: Client, admin_kab: User, kab: Tenant, assessment_kab: Assessment
) -> None:
    client.force_login(admin_kab)
    simulator = reverse("spbe:simulator", args=[kab.slug, assessment_kab.pk])
    form = levels_form(vector(3)) | {"level_7": "9"}
    page = client.post(simulator, form).content.decode()
    assert "Tingkat indikator 7 harus bilangan bulat 1 sampai 5." in page


def test_simulator_needs_a_complete_assessment(
    client: Client, admin_kab: User, kab: Tenant
) -> None:
    empty = services.assessment_create(tenant=kab, year=2023, actor=admin_kab)
    client.force_login(admin_kab)
    response = client.get(reverse("spbe:simulator", args=[kab.slug, empty.pk]))
    assert response.status_code == 302


def test_xlsx_holds_the_indexes_and_every_indicator(
    client: Client, admin_kab: User, kab: Tenant, assessment_kab: Assessment
) -> None:
    services.score_update(
        assessment=assessment_kab,
        number=42,
        level=3,
        justification="Lapor terpadu",
        actor=admin_kab,
    )
    client.force_login(admin_kab)
    response = client.get(reverse("spbe:export_xlsx", args=[kab.slug, assessment_kab.pk]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    summary = {row[0]: row[1:] for row in workbook["Ringkasan"].iter_rows(values_only=True)}
    assert summary["Indeks SPBE"] == (3.41, "Baik"), "a number the spreadsheet formats by locale"
    assert summary["D3 Manajemen SPBE"] == (4.73, "Memuaskan")
    assert summary["A2 Perencanaan Strategis SPBE"] == (4, None)  # 11-14 at 4
    indicators = list(workbook["Indikator"].iter_rows(values_only=True))
    assert len(indicators) == 48
    assert indicators[42][:4] == (42, "D4", "A8", "Layanan Pengaduan Pelayanan Publik")
    assert indicators[42][6:9] == (3, "Transaksi", "Lapor terpadu")


def test_pdf_holds_what_the_page_shows(
    client: Client, pimpinan_kab: User, kab: Tenant, assessment_kab: Assessment
) -> None:
    client.force_login(pimpinan_kab)
    response = client.get(reverse("spbe:export_pdf", args=[kab.slug, assessment_kab.pk]))
    assert response.status_code == 200
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Kabupaten Serang" in text
    assert "3,41" in text
    assert "Baik" in text
    assert "4,73" in text
    assert "Layanan Publik Sektor 3" in text


def test_pdf_fits_the_page_unscored_and_scored(  # type: ignore[no-untyped-def]
    client, admin_kota, kota, pimpinan_kab, assessment_kab
):
    """Every page rendered: no table runs into the side margins, with no level set yet and
    with every level set (the indicator table with its long names)."""
    empty = services.assessment_create(tenant=kota, year=2025, actor=admin_kota)
    client.force_login(admin_kota)
    response = client.get(reverse("spbe:export_pdf", args=[kota.slug, empty.pk]))
    pages = render_pages(response.content)
    assert pages and all(is_a4(p) and margins_are_blank(p) for p in pages)
    client.force_login(pimpinan_kab)
    args = [assessment_kab.tenant.slug, assessment_kab.pk]
    pages = render_pages(client.get(reverse("spbe:export_pdf", args=args)).content)
    assert len(pages) > 1 and all(is_a4(p) and margins_are_blank(p) for p in pages)
