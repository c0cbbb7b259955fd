"""Demo masterplans (DATA DEMO): Kabupaten Serang's real 2024 quick wins and Kota Serang's
named services, with plausible (invented) KPIs, budgets, progress reports and evaluations.

The programme names come from public statements; every number is illustrative.
The national dimensions and elements are not demo data: a migration seeds them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from kotacerdas.accounts.models import Role, User
from kotacerdas.planning import metrics
from kotacerdas.planning.models import (
    Dimension,
    Element,
    Evaluation,
    Masterplan,
    Programme,
    ReadinessEntry,
)
from kotacerdas.planning.periods import ended_periods
from kotacerdas.planning.selectors import frequency_of
from kotacerdas.planning.services import (
    BudgetIn,
    KpiIn,
    PartnerIn,
    dimension_score_save,
    evaluation_save,
    masterplan_save,
    programme_save,
    readiness_entry_add,
    report_save,
    report_transition,
)
from kotacerdas.tenants.models import Opd, Tenant

D = Decimal
SLA_METRIC = "complaints.response_rate_within_sla"

MASTERPLANS = {
    "36.04": {
        "title": "Masterplan Smart City Kabupaten Serang 2024–2033 (data demo)",
        "vision": "Kabupaten Serang yang cerdas, melayani dan berdaya saing melalui inovasi hemat anggaran.",
        "mission": "Layanan publik satu pintu yang mudah diakses warga desa\n"
        "Desa wisata dan produk unggulan desa yang terhubung secara digital\n"
        "Lingkungan bersih melalui pengelolaan sampah berbasis masyarakat",
        "strategy": "Quick win dipilih untuk efisiensi anggaran: inovasi bukan soal membeli sesuatu\n"
        "Kolaborasi pentahelix di setiap program",
        "start_year": 2024,
        "short_term_end": 2025,
        "medium_term_end": 2028,
        "rpjmd_reference": "RPJMD Kabupaten Serang 2021–2026: Program Penyelenggaraan Pemerintahan Berbasis Elektronik\n"
        "RPJMD Kabupaten Serang 2021–2026: Program Pengembangan Destinasi Pariwisata",
    },
    "36.73": {
        "title": "Masterplan Smart City Kota Serang 2022–2031 (data demo)",
        "vision": "Kota Serang Madani yang cerdas dan terhubung.",
        "mission": "Pelayanan publik digital yang cepat dan terbuka\n"
        "Warga yang cakap digital\nKota yang aman dan tanggap darurat",
        "strategy": "Memperluas akses internet publik\nMenanggapi aduan warga dalam batas waktu layanan",
        "start_year": 2022,
        "short_term_end": 2023,
        "medium_term_end": 2026,
        "rpjmd_reference": "RPJMD Kota Serang 2024–2029: Program Aplikasi Informatika\n"
        "RPJMD Kota Serang 2024–2029: Program Informasi dan Komunikasi Publik",
    },
}

# English forms of the demo programmes' names and descriptions (data-driven names have an
# English form, #11.6); proper names stay as they are.
ENGLISH = {
    "Serang Tatu (Terlayani Satu Pintu)": "Serang Tatu (one-stop public services)",
    "Super app satu pintu layanan publik Kabupaten Serang.": "A one-stop super app for the public services of Kabupaten Serang.",
    "Sikonde (Sistem Konektivitas Desa Wisata)": "Sikonde (tourism village connectivity system)",
    "Menghubungkan desa wisata dalam satu sistem informasi.": "Connects the tourism villages in one information system.",
    "Sentra Perikanan OVOP (One Village One Product)": "OVOP fisheries centre (One Village One Product)",
    "Sentra pengolahan hasil perikanan desa pesisir.": "A processing centre for the catch of coastal villages.",
    "Transformer (transportasi ASN)": "Transformer (civil servants' transport)",
    "Angkutan bersama bagi ASN menuju pusat pemerintahan.": "Shared transport for civil servants to the government centre.",
    "Pojok Dolan": "Pojok Dolan (play corners)",
    "Ruang bermain dan belajar anak di ruang publik.": "Places for children to play and learn in public spaces.",
    "Pesan Ibu (pengelolaan sampah)": "Pesan Ibu (waste management)",
    "Gerakan ibu-ibu memilah sampah rumah tangga dan bank sampah.": "Mothers sorting household waste, with waste banks.",
    "Rabeg (layanan aduan warga)": "Rabeg (citizen complaints service)",
    "Kanal aduan warga Kota Serang dengan batas waktu tanggapan.": "Kota Serang's complaints channel, with response deadlines.",
    "Layanan darurat 112": "112 emergency service",
    "Nomor tunggal panggilan darurat.": "One number for emergency calls.",
    "Internet publik di ruang publik": "Public internet in public spaces",
    "Titik akses internet gratis di taman, alun-alun dan kantor kelurahan.": "Free internet access points in parks, town squares and kelurahan offices.",
    "Fasilitasi kesadaran digital warga": "Digital awareness for citizens",
    "Pelatihan literasi dan keamanan digital bagi warga.": "Digital literacy and safety training for citizens.",
    # KPI names and units
    "Layanan terintegrasi di Serang Tatu": "Services integrated into Serang Tatu",
    "Pengguna aktif bulanan": "Monthly active users",
    "Desa wisata terhubung": "Tourism villages connected",
    "Produk olahan ikan bersertifikat": "Certified processed fish products",
    "ASN pengguna angkutan per hari": "Civil servants using the transport per day",
    "Rata-rata waktu tempuh": "Average travel time",
    "Pojok Dolan aktif": "Active Pojok Dolan corners",
    "Sampah terpilah di sumber": "Waste sorted at source",
    "Aduan ditanggapi dalam SLA": "Complaints answered within the SLA",
    "Panggilan darurat ditangani": "Emergency calls handled",
    "Waktu tanggap rata-rata": "Average response time",
    "Titik internet publik aktif": "Active public internet points",
    "Warga terlatih literasi digital": "Citizens trained in digital literacy",
    "layanan": "services",
    "orang": "people",
    "desa": "villages",
    "produk": "products",
    "menit": "minutes",
    "lokasi": "locations",
    "ton/bulan": "tonnes/month",
    "titik": "points",
}

# name, dimension, element, term, lead OPD, supporting OPDs, description, partners,
# yearly APBD budget (plus optional CSR), KPIs (name, unit, baseline, target, direction)
PROGRAMMES = {
    "36.04": [
        (
            "Serang Tatu (Terlayani Satu Pintu)",
            "governance",
            "governance-public-services",
            "quick_win",
            "Diskominfo",
            ["DPMPTSP", "Disdukcapil"],
            "Super app satu pintu layanan publik Kabupaten Serang.",
            [
                ("government", "Kementerian Komunikasi dan Informatika"),
                ("academia", "Universitas Sultan Ageng Tirtayasa"),
            ],
            D(750_000_000),
            D(0),
            [
                ("Layanan terintegrasi di Serang Tatu", "layanan", D(5), D(30), "higher", ""),
                ("Pengguna aktif bulanan", "orang", D(2_000), D(25_000), "higher", ""),
            ],
        ),
        (
            "Sikonde (Sistem Konektivitas Desa Wisata)",
            "branding",
            "branding-tourism",
            "quick_win",
            "Disparpora",
            ["DPMD", "Diskominfo"],
            "Menghubungkan desa wisata dalam satu sistem informasi.",
            [("community", "Kelompok Sadar Wisata (Pokdarwis)"), ("media", "Radio Serang FM")],
            D(350_000_000),
            D(50_000_000),
            [("Desa wisata terhubung", "desa", D(4), D(20), "higher", "")],
        ),
        (
            "Sentra Perikanan OVOP (One Village One Product)",
            "economy",
            "economy-industry",
            "quick_win",
            "DKP",
            ["DKUKM"],
            "Sentra pengolahan hasil perikanan desa pesisir.",
            [("business", "Koperasi nelayan"), ("academia", "Politeknik Kelautan dan Perikanan")],
            D(500_000_000),
            D(100_000_000),
            [("Produk olahan ikan bersertifikat", "produk", D(3), D(15), "higher", "")],
        ),
        (
            "Transformer (transportasi ASN)",
            "living",
            "living-transport",
            "quick_win",
            "Dishub",
            ["BKPSDM"],
            "Angkutan bersama bagi ASN menuju pusat pemerintahan.",
            [("business", "Operator angkutan lokal")],
            D(600_000_000),
            D(0),
            [
                ("ASN pengguna angkutan per hari", "orang", D(0), D(400), "higher", ""),
                ("Rata-rata waktu tempuh", "menit", D(75), D(50), "lower", ""),
            ],
        ),
        (
            "Pojok Dolan",
            "society",
            "society-learning",
            "quick_win",
            "Dindikbud",
            ["Disparpora"],
            "Ruang bermain dan belajar anak di ruang publik.",
            [("community", "Komunitas literasi Serang")],
            D(150_000_000),
            D(25_000_000),
            [("Pojok Dolan aktif", "lokasi", D(1), D(10), "higher", "")],
        ),
        (
            "Pesan Ibu (pengelolaan sampah)",
            "environment",
            "environment-waste",
            "quick_win",
            "DLH",
            ["DPMD"],
            "Gerakan ibu-ibu memilah sampah rumah tangga dan bank sampah.",
            [("community", "PKK Kabupaten Serang"), ("business", "Mitra pengepul daur ulang")],
            D(250_000_000),
            D(75_000_000),
            [("Sampah terpilah di sumber", "ton/bulan", D(12), D(60), "higher", "")],
        ),
    ],
    "36.73": [
        (
            "Rabeg (layanan aduan warga)",
            "governance",
            "governance-public-services",
            "quick_win",
            "Diskominfo",
            ["Inspektorat"],
            "Kanal aduan warga Kota Serang dengan batas waktu tanggapan.",
            [("media", "Media daring lokal"), ("community", "Forum RT/RW")],
            D(300_000_000),
            D(0),
            [("Aduan ditanggapi dalam SLA", "%", D(55), D(85), "higher", SLA_METRIC)],
        ),
        (
            "Layanan darurat 112",
            "society",
            "society-security",
            "short",
            "Diskominfo",
            ["BPBD", "Damkar", "Dinkes"],
            "Nomor tunggal panggilan darurat.",
            [("government", "Polresta Serang Kota")],
            D(900_000_000),
            D(0),
            [
                ("Panggilan darurat ditangani", "%", D(70), D(95), "higher", ""),
                ("Waktu tanggap rata-rata", "menit", D(25), D(15), "lower", ""),
            ],
        ),
        (
            "Internet publik di ruang publik",
            "society",
            "society-community",
            "quick_win",
            "Diskominfo",
            ["Disperkim"],
            "Titik akses internet gratis di taman, alun-alun dan kantor kelurahan.",
            [("business", "Penyedia jasa internet (CSR)")],
            D(400_000_000),
            D(150_000_000),
            [("Titik internet publik aktif", "titik", D(40), D(120), "higher", "")],
        ),
        (
            "Fasilitasi kesadaran digital warga",
            "society",
            "society-learning",
            "short",
            "Diskominfo",
            ["Dindikbud"],
            "Pelatihan literasi dan keamanan digital bagi warga.",
            [("academia", "Universitas Sultan Ageng Tirtayasa"), ("community", "Relawan TIK")],
            D(120_000_000),
            D(0),
            [("Warga terlatih literasi digital", "orang", D(500), D(3_000), "higher", "")],
        ),
    ],
}

READINESS = [
    ("struktur", "strength", "Komitmen kepala daerah terhadap kota cerdas", 4),
    ("struktur", "weakness", "Jumlah ASN berkeahlian TIK masih terbatas", 2),
    ("infrastruktur", "opportunity", "Perluasan jaringan serat optik oleh operator", 4),
    ("infrastruktur", "gap", "Sebagian desa belum terjangkau sinyal 4G", 2),
    (
        "suprastruktur",
        "threat",
        "Regulasi perlindungan data pribadi belum diturunkan ke perkada",
        2,
    ),
    ("suprastruktur", "gap", "Peraturan kepala daerah tentang SPBE perlu diperbarui", 3),
]

# Kominfo evaluation (illustrative): year -> component scores for every dimension.
EVALUATIONS = {
    "36.73": {2023: (3, 3, 2, 2, 4), 2024: (3, 4, 3, 3, 4), 2025: (4, 4, 3, 3, 5)},
    "36.04": {2024: (2, 3, 2, 2, 3), 2025: (3, 3, 3, 2, 4)},
}


def _reporter(tenant: Tenant, opd: Opd) -> User | None:
    """The lead OPD's demo operator, or else the region administrator."""
    operator = User.objects.filter(tenant=tenant, opd=opd, role=Role.OPD_OPERATOR).first()
    return (
        operator
        or User.objects.filter(tenant=tenant, role=Role.REGION_ADMIN).order_by("pk").first()
    )


def _load_tenant(tenant: Tenant) -> None:
    code = tenant.code
    # Idempotent: what exists already (possibly edited by an administrator) is left alone.
    if not Masterplan.objects.filter(tenant=tenant).exists():
        masterplan_save(tenant=tenant, actor=None, **MASTERPLANS[code])  # type: ignore[arg-type]
    if not ReadinessEntry.objects.filter(tenant=tenant).exists():
        for leg, kind, description, score in READINESS:
            readiness_entry_add(
                tenant=tenant, actor=None, leg=leg, kind=kind, description=description, score=score
            )
    today = timezone.localdate()
    year = today.year
    opds = {o.acronym: o for o in Opd.objects.filter(tenant=tenant)}
    admin = User.objects.filter(tenant=tenant, role=Role.REGION_ADMIN).order_by("pk").first()
    periods = ended_periods(dt.date(year, 1, 1), today, frequency_of(tenant))
    for index, (
        name,
        dim,
        element,
        term,
        lead,
        supporting,
        description,
        partners,
        apbd,
        csr,
        kpis,
    ) in enumerate(PROGRAMMES[code]):
        if Programme.objects.filter(tenant=tenant, name=name).exists():
            continue
        budget = [BudgetIn(y, "apbd", apbd) for y in (year, year + 1)]
        if csr:
            budget.append(BudgetIn(year, "csr", csr))
        programme = programme_save(
            tenant=tenant,
            actor=None,
            name=name,
            name_en=ENGLISH.get(name, ""),
            description=description,
            description_en=ENGLISH.get(description, ""),
            is_demo=True,
            dimension=Dimension.objects.get(code=dim),
            element=Element.objects.get(code=element),
            term=term,
            status="ongoing",
            lead_opd=opds[lead],
            supporting_opds=[opds[s] for s in supporting if s in opds],
            start_year=year - 1,
            end_year=year + 1,
            reporting_from=dt.date(year, 1, 1),
            partners=[PartnerIn(kind, partner) for kind, partner in partners],
            budget=budget,
            kpis=[
                KpiIn(
                    k_name,
                    unit,
                    baseline,
                    direction,
                    # Fed from another app's data only when that app is installed.
                    metric=metric if metric in metrics.registry() else "",
                    targets={year: (baseline + target) / 2, year + 1: target},
                    name_en=ENGLISH.get(k_name, ""),
                    unit_en=ENGLISH.get(unit, ""),
                )
                for k_name, unit, baseline, target, direction, metric in kpis
            ],
        )
        reporter = _reporter(tenant, programme.lead_opd)
        if reporter is None:
            continue
        # Every third programme is a period behind (overdue); the next one's latest report
        # still awaits the administrator's review.
        reported = periods[: len(periods) - (index % 3 == 2)]
        for number, period in enumerate(reported, start=1):
            progress = D(min(100, 20 * number + 5 * index))
            report = report_save(
                programme=programme,
                actor=reporter,
                period=period,
                physical_progress=progress,
                budget_realised=(apbd * progress / 100 / max(1, len(periods))).quantize(D(1)),
                achievements=f"Kegiatan {period.label} berjalan sesuai rencana kerja (data demo)",
                challenges="Sosialisasi kepada warga perlu diperluas",
                obstacles="Keterbatasan tenaga teknis" if number % 2 else "",
                actuals={
                    k.pk: k.baseline + (number * (k.targets.get(year=year).value - k.baseline) / 4)
                    for k in programme.kpis.all()
                },
            )
            report_transition(report=report, actor=reporter, action="submit")
            awaiting_review = index % 3 == 1 and number == len(reported)
            if admin is not None and not awaiting_review:
                report_transition(report=report, actor=admin, action="approve")
    for eval_year, components in EVALUATIONS[code].items():
        if Evaluation.objects.filter(tenant=tenant, year=eval_year).exists():
            continue
        evaluation = evaluation_save(
            tenant=tenant,
            actor=None,
            year=eval_year,
            weights={"baseline": 10, "output": 20, "outcome": 30, "impact": 20, "quick_win": 20},
        )
        for shift, dimension in enumerate(Dimension.objects.all()):
            values = [max(1, min(5, v + (shift % 3) - 1)) for v in components]
            dimension_score_save(
                evaluation=evaluation,
                actor=None,
                dimension=dimension,
                components=dict(
                    zip(
                        ("baseline", "output", "outcome", "impact", "quick_win"),
                        values,
                        strict=True,
                    )
                ),
                justification="Penilaian ilustratif (data demo).",
            )


def load_demo(*, password: str) -> None:
    for tenant in Tenant.objects.filter(region_id__in=MASTERPLANS):
        _load_tenant(tenant)
