from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from kotacerdas.accounts.models import User
from kotacerdas.planning.models import Dimension, Element, Masterplan, Programme, ProgressReport
from kotacerdas.planning.periods import period_containing
from kotacerdas.planning.services import evidence_add, report_save, report_transition
from kotacerdas.tenants.models import Opd, Tenant
from tests.pdf_pages import is_a4, margins_are_blank, render_pages
from tests.planning.conftest import make_programme as make_programme_in

pytestmark = pytest.mark.django_db
BASE = "/kota-serang/rencana/"
APRIL = dt.datetime(2026, 4, 5, 3, tzinfo=dt.UTC)


def formset(prefix: str, rows: list[dict[str, object]], extra: int = 1) -> dict[str, object]:
    data: dict[str, object] = {
        f"{prefix}-TOTAL_FORMS": str(len(rows) + extra),
        f"{prefix}-INITIAL_FORMS": "0",
    }
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
    return data


def programme_post(kota: Tenant, **extra: object) -> dict[str, object]:
    data = {
        "name": "Serang Smart Parking",
        "description": "Parkir nontunai",
        "dimension": Dimension.objects.get(code="living").pk,
        "element": Element.objects.get(code="living-transport").pk,
        "term": "quick_win",
        "status": "ongoing",
        "lead_opd": Opd.objects.get(tenant=kota, acronym="Dishub").pk,
        "supporting_opds": [Opd.objects.get(tenant=kota, acronym="Diskominfo").pk],
        "rpjmd_programme": "Program Penyelenggaraan Lalu Lintas",
        "start_year": "2026",
        "end_year": "2027",
        "reporting_from": "2026-01-01",
        **formset("partner", [{"kind": "business", "name": "Bank BJB"}]),
        **formset(
            "budget",
            [
                {"year": "2026", "source": "apbd", "amount": "250000000"},
                {"year": "2026", "source": "kpbu", "amount": "750000000"},
            ],
        ),
        **formset(
            "kpi",
            [
                {
                    "name": "Transaksi parkir nontunai",
                    "unit": "%",
                    "baseline": "5",
                    "direction": "higher",
                    "metric": "",
                    "targets": "2026: 40; 2027: 70",
                }
            ],
        ),
    }
    data.update(extra)
    return data


def test_staff_see_the_overview_and_other_tenants_get_404(
    client: Client, ani: User, citra: User, masterplan: Masterplan, programme: Programme
) -> None:
    client.force_login(ani)
    page = client.get(BASE).content.decode()
    assert "Kota Serang cerdas" in page and "Rabeg" in page and "Smart Environment" in page
    client.force_login(citra)
    assert client.get(BASE).status_code == 404
    assert client.get(f"{BASE}program/{programme.pk}/").status_code == 404


def test_citizens_cannot_see_planning_pages(
    client: Client, dewi: User, masterplan: Masterplan
) -> None:
    client.force_login(dewi)
    assert client.get(BASE).status_code == 404


def test_region_admin_creates_programme_with_kpis_and_budget(
    client: Client, admin_kota: User, kota: Tenant, masterplan: Masterplan
) -> None:
    client.force_login(admin_kota)
    response = client.post(f"{BASE}program/baru/", programme_post(kota))
    assert response.status_code == 302, [
        response.context[k].errors for k in ("form", "partners", "budget", "kpis")
    ]
    programme = Programme.objects.get(name="Serang Smart Parking")
    assert sum(b.amount for b in programme.budget_lines.all()) == 1_000_000_000
    assert {t.year: t.value for t in programme.kpis.get().targets.all()} == {2026: 40, 2027: 70}
    assert programme.partners.get().name == "Bank BJB"
    page = client.get(response["Location"]).content.decode()
    assert "Rp 1.000.000.000" in page and "Transaksi parkir nontunai" in page


def test_programme_form_shows_precise_errors(
    client: Client, admin_kota: User, kota: Tenant, masterplan: Masterplan
) -> None:
    client.force_login(admin_kota)
    data = programme_post(kota, element=Element.objects.get(code="environment-waste").pk)
    data["kpi-0-targets"] = "dua ribu"
    page = client.post(f"{BASE}program/baru/", data).content.decode()
    assert "bukan bagian dari dimensi" in page
    assert "tidak terbaca" in page
    assert not Programme.objects.filter(name="Serang Smart Parking").exists()


def test_operator_cannot_create_programmes(
    client: Client, ani: User, masterplan: Masterplan
) -> None:
    client.force_login(ani)
    assert client.get(f"{BASE}program/baru/").status_code == 404


@time_machine.travel(APRIL)
def test_operator_files_report_with_challenge_and_obstacle_and_admin_approves(
    client: Client, ani: User, admin_kota: User, pimpinan_kota: User, programme: Programme
) -> None:
    client.force_login(ani)
    kpi = programme.kpis.get()
    form = client.get(f"{BASE}program/{programme.pk}/lapor/?periode=2026-01-01").content.decode()
    assert "Realisasi IKU: Aduan ditindaklanjuti (%)" in form
    response = client.post(
        f"{BASE}program/{programme.pk}/lapor/?periode=2026-01-01",
        {
            "physical_progress": "35",
            "budget_realised": "125000000",
            "achievements": "Rabeg versi 2 dirilis",
            "challenges": "Warga belum mengenal kanal aduan",
            "obstacles": "Sinyal lemah di Kasemen",
            f"kpi_{kpi.pk}": "70",
            "submit": "1",
            "evidence": _upload("bukti.pdf", b"%PDF-1.4 demo"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    report = ProgressReport.objects.get()
    assert report.status == "submitted" and report.evidence.count() == 1
    client.force_login(admin_kota)
    page = client.get(f"{BASE}laporan/{report.pk}/").content.decode()
    assert "Sinyal lemah di Kasemen" in page and "Setujui" in page
    client.post(f"{BASE}laporan/{report.pk}/approve/", {"note": ""})
    report.refresh_from_db()
    assert report.status == "approved"
    client.force_login(pimpinan_kota)
    page = client.get(f"{BASE}dasbor/").content.decode()
    assert "Rabeg" in page and "35%" in page
    assert "25,0%" in page  # 125 juta of 500 juta planned for 2026


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@time_machine.travel(APRIL)
def test_operator_of_another_opd_cannot_file_or_approve(
    client: Client, budi: User, ani: User, programme: Programme
) -> None:
    client.force_login(budi)
    assert client.get(f"{BASE}program/{programme.pk}/lapor/").status_code == 404
    report = report_save(
        programme=programme,
        actor=ani,
        period=period_containing(dt.date(2026, 1, 1), "quarterly"),
        physical_progress=Decimal(1),
        budget_realised=Decimal(0),
        achievements="x",
    )
    report_transition(report=report, actor=ani, action="submit")
    client.force_login(ani)
    client.post(f"{BASE}laporan/{report.pk}/approve/")
    assert ProgressReport.objects.get().status == "submitted"


def test_dashboard_is_for_leaders_and_admins_only(
    client: Client, ani: User, pimpinan_kota: User, masterplan: Masterplan
) -> None:
    client.force_login(ani)
    assert client.get(f"{BASE}dasbor/").status_code == 404
    client.force_login(pimpinan_kota)
    page = client.get(f"{BASE}dasbor/").content.decode()
    assert 'data-chart="chart-dimensions"' in page
    assert "Belum ada data SPBE" in page  # the spbe app is not installed on this branch


@time_machine.travel(APRIL)
def test_masterplan_pdf_and_xlsx_contain_what_the_overview_shows(
    client: Client, ani: User, programme: Programme
) -> None:
    client.force_login(ani)
    pdf = client.get(f"{BASE}masterplan.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf.content)).pages
    )
    for expected in (
        "Kota Serang cerdas",
        "Smart Governance",
        "Rabeg",
        "Rp 500.000.000",
        "Aduan ditindaklanjuti",
        "2026: 80; 2027: 90",
    ):
        assert expected in text, (expected, text)
    workbook = load_workbook(io.BytesIO(client.get(f"{BASE}masterplan.xlsx").content))
    rows = list(workbook["Program"].values)
    assert rows[1][:5] == ("Smart Governance", "Layanan publik", "Quick win", "Rabeg", "Diskominfo")
    assert rows[1][-1] == 500_000_000
    assert ("Rabeg", 2026, "CSR", 100_000_000) in list(workbook["Anggaran"].values)
    assert client.get(f"{BASE}masterplan.doc").status_code == 404


def evaluation_post(
    weights: tuple[int, ...] = (10, 20, 30, 20, 20), scores: tuple[int, ...] = (3, 4, 3, 2, 5)
) -> dict[str, object]:
    data: dict[str, object] = dict(
        zip(
            ("baseline", "output", "outcome", "impact", "quick_win"), map(str, weights), strict=True
        )
    )
    for d in Dimension.objects.all():
        data.update(
            {
                f"{d.code}-{n}": str(v)
                for n, v in zip(
                    ("baseline", "output", "outcome", "impact", "quick_win"), scores, strict=True
                )
            }
        )
        data[f"{d.code}-justification"] = f"Bukti {d.name}"
    return data


def test_admin_enters_evaluation_and_sees_index_radar_and_exports(
    client: Client, admin_kota: User, pimpinan_kota: User
) -> None:
    client.force_login(admin_kota)
    bad = client.post(
        f"{BASE}evaluasi/2025/", evaluation_post(weights=(10, 20, 30, 30, 20))
    ).content.decode()
    assert "harus 100, bukan 110" in bad
    assert client.post(f"{BASE}evaluasi/2025/", evaluation_post()).status_code == 302
    client.post(f"{BASE}evaluasi/2026/", evaluation_post(scores=(4, 4, 4, 4, 4)))
    client.force_login(pimpinan_kota)
    page = client.get(f"{BASE}evaluasi/").content.decode()
    assert "3,40" in page and "4,00" in page and "+0,60" in page, "numbers by locale"
    client.cookies["django_language"] = "en"
    english = client.get(f"{BASE}evaluasi/").content.decode()
    assert "3.40" in english and "+0.60" in english
    del client.cookies["django_language"]
    assert 'data-chart="chart-radar"' in page
    text = (
        PdfReader(io.BytesIO(client.get(f"{BASE}evaluasi/2025.pdf").content))
        .pages[0]
        .extract_text()
    )
    assert "Indeks keseluruhan: 3,40" in text and "Smart Branding" in text
    sheet = load_workbook(io.BytesIO(client.get(f"{BASE}evaluasi/2025.xlsx").content))["Dimensi"]
    assert list(sheet.values)[1][:7] == ("Smart Governance", 3, 4, 3, 2, 5, 3.4), "a number"
    assert client.get(f"{BASE}evaluasi/2019.pdf").status_code == 404


def test_only_admin_enters_evaluations(
    client: Client, pimpinan_kota: User, admin_kab: User
) -> None:
    client.force_login(pimpinan_kota)
    assert client.get(f"{BASE}evaluasi/2025/").status_code == 404
    client.force_login(admin_kab)
    assert client.get(f"{BASE}evaluasi/").status_code == 404


@time_machine.travel(APRIL)
def _png() -> bytes:
    """A real (tiny) PNG: uploads are decoded, a bare signature is refused."""
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (10, 120, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_evidence_downloads_only_for_staff_of_the_tenant(
    client: Client, ani: User, citra: User, programme: Programme
) -> None:
    report = report_save(
        programme=programme,
        actor=ani,
        period=period_containing(dt.date(2026, 1, 1), "quarterly"),
        physical_progress=Decimal(1),
        budget_realised=Decimal(0),
        achievements="x",
    )
    evidence = evidence_add(report=report, actor=ani, upload=_upload('foto "a".png', _png()))
    client.force_login(ani)
    response = client.get(f"{BASE}bukti/{evidence.pk}/")
    assert response.content.startswith(b"\x89PNG")
    assert response["Content-Disposition"] == 'attachment; filename="foto _a_.png"'
    client.force_login(citra)
    assert client.get(f"{BASE}bukti/{evidence.pk}/").status_code == 404
    evidence.file.delete(save=False)


def test_admin_edits_masterplan_terms_and_adds_readiness_findings(
    client: Client, admin_kota: User, ani: User, masterplan: Masterplan
) -> None:
    client.force_login(admin_kota)
    data = {
        "title": "Masterplan baru",
        "vision": "Visi baru",
        "mission": "Misi",
        "strategy": "",
        "start_year": "2023",
        "horizon_years": "10",
        "short_term_end": "2025",
        "medium_term_end": "2028",
        "rpjmd_reference": "",
        "reporting_frequency": "monthly",
        "report_due_days": "7",
    }
    assert client.post(f"{BASE}masterplan/ubah/", data).status_code == 302
    bad = client.post(
        f"{BASE}masterplan/ubah/", {**data, "short_term_end": "2030"}
    ).content.decode()
    assert "tidak runtut" in bad
    client.post(
        f"{BASE}kesiapan/tambah/",
        {"leg": "struktur", "kind": "gap", "description": "SDM TIK", "score": "2"},
    )
    page = client.get(BASE).content.decode()
    assert "Visi baru" in page and "2026–2028" in page and "SDM TIK" in page
    assert 'data-chart="chart-readiness"' in page
    client.force_login(ani)
    assert client.get(f"{BASE}masterplan/ubah/").status_code == 404


def test_dashboard_speaks_english_on_request(
    client: Client, pimpinan_kota: User, masterplan: Masterplan
) -> None:
    client.force_login(pimpinan_kota)
    client.post("/i18n/setlang/", {"language": "en", "next": BASE})
    page = client.get(f"{BASE}dasbor/").content.decode()
    assert "dashboard: smart-city masterplan" in page
    assert "Overdue reports" in page


def test_editing_a_programme_shows_its_rows_and_keeps_kpis(
    client: Client, admin_kota: User, programme: Programme
) -> None:
    client.force_login(admin_kota)
    response = client.get(f"{BASE}program/{programme.pk}/ubah/")
    form = response.context["form"]
    kpis = response.context["kpis"]
    assert kpis.forms[0].initial["targets"] == "2026: 80; 2027: 90"
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["supporting_opds"] = []
    data["reporting_from"] = "2026-01-01"
    data["status"] = "completed"
    data.update(formset("partner", []))
    data.update(formset("budget", [{"year": "2026", "source": "apbd", "amount": "1"}]))
    kpi = programme.kpis.get()
    data.update(
        formset(
            "kpi",
            [
                {
                    "pk": kpi.pk,
                    "name": "Aduan selesai",
                    "unit": "%",
                    "baseline": "60",
                    "direction": "higher",
                    "targets": "2026: 85",
                }
            ],
        )
    )
    assert client.post(f"{BASE}program/{programme.pk}/ubah/", data).status_code == 302
    programme.refresh_from_db()
    assert programme.status == "completed"
    assert programme.kpis.get().pk == kpi.pk
    assert programme.kpis.get().name == "Aduan selesai"
    assert not programme.partners.exists()


def test_evaluation_evidence_is_kept_private_and_downloadable_by_leaders(
    client: Client, admin_kota: User, pimpinan_kota: User, ani: User
) -> None:
    client.force_login(admin_kota)
    data = evaluation_post()
    data["governance-evidence"] = _upload("berita-acara.pdf", b"%PDF-1.4 bukti")
    assert client.post(f"{BASE}evaluasi/2025/", data).status_code == 302
    client.force_login(pimpinan_kota)
    page = client.get(f"{BASE}evaluasi/").content.decode()
    score_url = next(
        part.split('"', 1)[0] for part in page.split('href="') if "/evaluasi/bukti/" in part
    )
    response = client.get(score_url)
    assert response.content == b"%PDF-1.4 bukti" and response["Content-Type"] == "application/pdf"
    client.force_login(ani)
    assert client.get(score_url).status_code == 404
    from kotacerdas.planning.models import DimensionScore

    DimensionScore.objects.get(dimension__code="governance").evidence.delete()


def _fits(content: bytes) -> bool:
    pages = render_pages(content)
    return bool(pages) and all(is_a4(p) and margins_are_blank(p) for p in pages)


@time_machine.travel(APRIL)
def test_masterplan_pdf_fits_the_page_empty_and_full(
    client: Client, ani: User, kota: Tenant, masterplan: Masterplan
) -> None:
    client.force_login(ani)
    empty = client.get(f"{BASE}masterplan.pdf")
    assert empty.status_code == 200 and _fits(empty.content)
    long_name = "Program percepatan transformasi digital pelayanan publik terpadu " * 2
    make_programme_in(kota, name="Rabeg")
    make_programme_in(kota, name=long_name.strip(), lead="Dishub", term="medium")
    full = client.get(f"{BASE}masterplan.pdf")
    assert _fits(full.content)
    text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(full.content)).pages
    )
    assert "Rp 500.000.000" in text and "Dishub" in text


def test_evaluation_pdf_fits_the_page(client: Client, admin_kota: User) -> None:
    client.force_login(admin_kota)
    assert client.post(f"{BASE}evaluasi/2025/", evaluation_post()).status_code == 302
    content = client.get(f"{BASE}evaluasi/2025.pdf").content
    assert _fits(content)


def test_kpi_english_name_and_unit_show_in_english_and_indonesian_is_the_fallback(
    client: Client, admin_kota: User, kota: Tenant, masterplan: Masterplan
) -> None:
    client.force_login(admin_kota)
    data = programme_post(kota)
    data.update(
        formset(
            "kpi",
            [
                {
                    "name": "Transaksi parkir nontunai",
                    "name_en": "Cashless parking payments",
                    "unit": "transaksi",
                    "unit_en": "payments",
                    "baseline": "5",
                    "direction": "higher",
                    "targets": "2026: 40",
                },
                {"name": "Juru parkir terlatih", "unit": "orang", "baseline": "0"},
            ],
        )
    )
    response = client.post(f"{BASE}program/baru/", data)
    assert response.status_code == 302
    indonesian = client.get(response["Location"]).content.decode()
    assert "Transaksi parkir nontunai" in indonesian and "transaksi" in indonesian
    assert "Cashless parking payments" not in indonesian
    client.cookies["django_language"] = "en"
    english = client.get(response["Location"]).content.decode()
    assert "Cashless parking payments" in english and "payments" in english
    assert "Transaksi parkir nontunai" not in english
    assert "Juru parkir terlatih" in english, "no English form: the Indonesian one"
    edit = client.get(response["Location"] + "ubah/")
    assert edit.context["kpis"].forms[0].initial["name_en"] == "Cashless parking payments"


def test_seeded_dimensions_have_descriptions_in_both_languages(
    client: Client, admin_kota: User, masterplan: Masterplan
) -> None:
    for dimension in Dimension.objects.all():
        assert dimension.description and dimension.description_en, dimension.code
    client.force_login(admin_kota)
    governance = Dimension.objects.get(code="governance")
    assert governance.description in client.get(BASE).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(BASE).content.decode()
    assert governance.description_en in english and governance.description not in english
