"""National data: the SPBE framework of PermenPANRB 59/2020 (4 domains, 8 aspects, 47
indicators, weights in percent of the index, level names and predicate thresholds)."""

from decimal import Decimal

from django.db import migrations

CODE = "spbe-2020"

LEVEL_NAMES = {
    # Domains 1-3 measure process capability, domain 4 the capability of technical functions.
    "proses": [
        ("Rintisan", "Initial"),
        ("Terkelola", "Managed"),
        ("Terdefinisi", "Defined"),
        ("Terpadu dan Terukur", "Integrated and measured"),
        ("Optimum", "Optimum"),
    ],
    "fungsi": [
        ("Informasi", "Information"),
        ("Interaksi", "Interaction"),
        ("Transaksi", "Transaction"),
        ("Kolaborasi", "Collaboration"),
        ("Optimalisasi", "Optimisation"),
    ],
}

THRESHOLDS = [
    ("0", "Kurang", "Poor"),
    ("1.8", "Cukup", "Fair"),
    ("2.6", "Baik", "Good"),
    ("3.5", "Sangat Baik", "Very good"),
    ("4.2", "Memuaskan", "Excellent"),
]

# (code, name, English, level group, [(code, name, English, indicator weight, [(name, English)])])
DOMAINS = [
    ("D1", "Kebijakan Internal SPBE", "Internal SPBE policy", "proses", [
        ("A1", "Kebijakan Internal Tata Kelola SPBE", "Internal policy on SPBE governance", "1.3", [
            ("Kebijakan Internal Arsitektur SPBE Instansi Pusat/Pemerintah Daerah",
             "Internal policy on the SPBE architecture of the agency or regional government"),
            ("Kebijakan Internal Peta Rencana SPBE", "Internal policy on the SPBE roadmap"),
            ("Kebijakan Internal Manajemen Data", "Internal policy on data management"),
            ("Kebijakan Internal Pembangunan Aplikasi SPBE",
             "Internal policy on SPBE application development"),
            ("Kebijakan Internal Layanan Pusat Data", "Internal policy on data centre services"),
            ("Kebijakan Internal Layanan Jaringan Intra", "Internal policy on intranet services"),
            ("Kebijakan Internal Penggunaan Sistem Penghubung Layanan",
             "Internal policy on the use of the service integration system"),
            ("Kebijakan Internal Manajemen Keamanan Informasi",
             "Internal policy on information security management"),
            ("Kebijakan Internal Audit TIK", "Internal policy on ICT audit"),
            ("Kebijakan Internal Tim Koordinasi SPBE",
             "Internal policy on the SPBE coordination team"),
        ]),
    ]),
    ("D2", "Tata Kelola SPBE", "SPBE governance", "proses", [
        ("A2", "Perencanaan Strategis SPBE", "SPBE strategic planning", "2.5", [
            ("Arsitektur SPBE", "SPBE architecture"),
            ("Peta Rencana SPBE", "SPBE roadmap"),
            ("Keterpaduan Rencana dan Anggaran SPBE", "Integration of SPBE plans and budgets"),
            ("Inovasi Proses Bisnis SPBE", "SPBE business process innovation"),
        ]),
        ("A3", "Teknologi Informasi dan Komunikasi", "Information and communication technology", "2.5", [
            ("Pembangunan Aplikasi SPBE", "SPBE application development"),
            ("Layanan Pusat Data", "Data centre services"),
            ("Layanan Jaringan Intra", "Intranet services"),
            ("Penggunaan Sistem Penghubung Layanan", "Use of the service integration system"),
        ]),
        ("A4", "Penyelenggara SPBE", "SPBE organisers", "2.5", [
            ("Tim Koordinasi SPBE", "SPBE coordination team"),
            ("Kolaborasi Penerapan SPBE", "Collaboration in implementing SPBE"),
        ]),
    ]),
    ("D3", "Manajemen SPBE", "SPBE management", "proses", [
        ("A5", "Penerapan Manajemen SPBE", "Implementation of SPBE management", "1.5", [
            ("Penerapan Manajemen Risiko SPBE", "SPBE risk management"),
            ("Penerapan Manajemen Keamanan Informasi", "Information security management"),
            ("Penerapan Manajemen Data", "Data management"),
            ("Penerapan Manajemen Aset TIK", "ICT asset management"),
            ("Penerapan Manajemen Sumber Daya Manusia SPBE", "SPBE human resource management"),
            ("Penerapan Manajemen Pengetahuan", "Knowledge management"),
            ("Penerapan Manajemen Perubahan", "Change management"),
            ("Penerapan Manajemen Layanan SPBE", "SPBE service management"),
        ]),
        ("A6", "Pelaksanaan Audit TIK", "ICT audit", "1.5", [
            ("Audit Infrastruktur SPBE", "SPBE infrastructure audit"),
            ("Audit Aplikasi SPBE", "SPBE application audit"),
            ("Audit Keamanan SPBE", "SPBE security audit"),
        ]),
    ]),
    ("D4", "Layanan SPBE", "SPBE services", "fungsi", [
        ("A7", "Layanan Administrasi Pemerintahan Berbasis Elektronik",
         "Electronic government administration services", "2.75", [
            ("Layanan Perencanaan", "Planning"),
            ("Layanan Penganggaran", "Budgeting"),
            ("Layanan Keuangan", "Finance"),
            ("Layanan Pengadaan Barang dan Jasa", "Procurement of goods and services"),
            ("Layanan Kepegawaian", "Civil service personnel"),
            ("Layanan Kearsipan", "Records and archives"),
            ("Layanan Pengelolaan Barang Milik Negara/Daerah", "Management of state/regional assets"),
            ("Layanan Pengawasan Internal Pemerintah", "Internal government oversight"),
            ("Layanan Akuntabilitas Kinerja Instansi", "Agency performance accountability"),
            ("Layanan Kinerja Pegawai", "Employee performance"),
        ]),
        ("A8", "Layanan Publik Berbasis Elektronik", "Electronic public services", "3", [
            ("Layanan Pengaduan Pelayanan Publik", "Public service complaints"),
            ("Layanan Data Terbuka", "Open data"),
            ("Layanan Jaringan Dokumentasi dan Informasi Hukum (JDIH)",
             "Legal documentation and information network (JDIH)"),
            ("Layanan Publik Sektor 1", "Public service, sector 1"),
            ("Layanan Publik Sektor 2", "Public service, sector 2"),
            ("Layanan Publik Sektor 3", "Public service, sector 3"),
        ]),
    ]),
]


def seed(apps, schema_editor):
    Framework = apps.get_model("spbe", "Framework")
    Domain = apps.get_model("spbe", "Domain")
    Aspect = apps.get_model("spbe", "Aspect")
    Indicator = apps.get_model("spbe", "Indicator")
    LevelName = apps.get_model("spbe", "LevelName")
    PredicateThreshold = apps.get_model("spbe", "PredicateThreshold")

    framework, _created = Framework.objects.update_or_create(
        code=CODE,
        defaults={
            "name": "SPBE PermenPANRB 59/2020",
            "name_en": "SPBE (Ministerial Regulation PANRB 59/2020)",
            "regulation": "Peraturan Menteri PANRB Nomor 59 Tahun 2020 tentang Pemantauan dan "
            "Evaluasi Sistem Pemerintahan Berbasis Elektronik",
            "effective_year": 2020,
        },
    )
    for group, names in LEVEL_NAMES.items():
        for level, (name, name_en) in enumerate(names, start=1):
            LevelName.objects.update_or_create(
                framework=framework, group=group, level=level,
                defaults={"name": name, "name_en": name_en},
            )
    for minimum, name, name_en in THRESHOLDS:
        PredicateThreshold.objects.update_or_create(
            framework=framework, minimum=Decimal(minimum), defaults={"name": name, "name_en": name_en}
        )
    number = 0
    aspect_order = 0
    for d_order, (d_code, d_name, d_en, group, aspects) in enumerate(DOMAINS, start=1):
        domain, _created = Domain.objects.update_or_create(
            framework=framework, code=d_code,
            defaults={"name": d_name, "name_en": d_en, "order": d_order, "level_group": group},
        )
        for a_code, a_name, a_en, weight, indicators in aspects:
            aspect_order += 1
            aspect, _created = Aspect.objects.update_or_create(
                domain=domain, code=a_code,
                defaults={"name": a_name, "name_en": a_en, "order": aspect_order},
            )
            for name, name_en in indicators:
                number += 1
                Indicator.objects.update_or_create(
                    framework=framework, number=number,
                    defaults={"aspect": aspect, "name": name, "name_en": name_en,
                              "weight": Decimal(weight)},
                )


def unseed(apps, schema_editor):
    apps.get_model("spbe", "Framework").objects.filter(code=CODE).delete()


class Migration(migrations.Migration):
    dependencies = [("spbe", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
