"""Demo data: the two Serang tenants, their OPDs and the 2026 national holidays."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kotacerdas.regions.models import Region
from kotacerdas.tenants.models import Holiday, OpdKind, Tenant
from kotacerdas.tenants.services import opd_upsert, tenant_create

K = OpdKind

# (acronym, name, kind)
KOTA_SERANG_OPDS = [
    ("Setda", "Sekretariat Daerah Kota Serang", K.SEKRETARIAT),
    ("Inspektorat", "Inspektorat Kota Serang", K.INSPEKTORAT),
    ("Bappeda", "Badan Perencanaan Pembangunan Daerah", K.BADAN),
    ("BPKAD", "Badan Pengelolaan Keuangan dan Aset Daerah", K.BADAN),
    ("Bapenda", "Badan Pendapatan Daerah", K.BADAN),
    ("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", K.BADAN),
    ("BPBD", "Badan Penanggulangan Bencana Daerah", K.BADAN),
    ("Kesbangpol", "Badan Kesatuan Bangsa dan Politik", K.BADAN),
    ("Diskominfo", "Dinas Komunikasi dan Informatika", K.DINAS),
    ("Disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil", K.DINAS),
    ("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", K.DINAS),
    ("Disperkim", "Dinas Perumahan dan Kawasan Permukiman", K.DINAS),
    ("DLH", "Dinas Lingkungan Hidup", K.DINAS),
    ("Dishub", "Dinas Perhubungan", K.DINAS),
    ("Dinkes", "Dinas Kesehatan", K.DINAS),
    ("Dindikbud", "Dinas Pendidikan dan Kebudayaan", K.DINAS),
    ("Dinsos", "Dinas Sosial", K.DINAS),
    ("Disnakertrans", "Dinas Tenaga Kerja dan Transmigrasi", K.DINAS),
    ("Disperindagkop", "Dinas Perindustrian, Perdagangan, Koperasi dan UKM", K.DINAS),
    ("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", K.DINAS),
    ("Disparpora", "Dinas Pariwisata, Pemuda dan Olahraga", K.DINAS),
    ("DKPPP", "Dinas Ketahanan Pangan, Pertanian dan Perikanan", K.DINAS),
    ("DP3AKB", "Dinas Pemberdayaan Perempuan, Perlindungan Anak dan Keluarga Berencana", K.DINAS),
    ("Dispusip", "Dinas Perpustakaan dan Kearsipan", K.DINAS),
    ("Satpol PP", "Satuan Polisi Pamong Praja", K.SATUAN),
    ("Damkar", "Dinas Pemadam Kebakaran dan Penyelamatan", K.DINAS),
    ("RSUD", "RSUD Kota Serang", K.RSUD),
]

KABUPATEN_SERANG_OPDS = [
    ("Setda", "Sekretariat Daerah Kabupaten Serang", K.SEKRETARIAT),
    ("Inspektorat", "Inspektorat Kabupaten Serang", K.INSPEKTORAT),
    ("Bappeda", "Badan Perencanaan Pembangunan Daerah", K.BADAN),
    ("BPKAD", "Badan Pengelolaan Keuangan dan Aset Daerah", K.BADAN),
    ("Bapenda", "Badan Pendapatan Daerah", K.BADAN),
    ("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", K.BADAN),
    ("BPBD", "Badan Penanggulangan Bencana Daerah", K.BADAN),
    ("Kesbangpol", "Badan Kesatuan Bangsa dan Politik", K.BADAN),
    (
        "Diskominfo",
        "Dinas Komunikasi, Informatika, Persandian dan Statistik (Diskominfosatik)",
        K.DINAS,
    ),
    ("Disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil", K.DINAS),
    ("PUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", K.DINAS),
    ("Disperkim", "Dinas Perumahan Rakyat dan Kawasan Permukiman", K.DINAS),
    ("DLH", "Dinas Lingkungan Hidup", K.DINAS),
    ("Dishub", "Dinas Perhubungan", K.DINAS),
    ("Dinkes", "Dinas Kesehatan", K.DINAS),
    ("Dindikbud", "Dinas Pendidikan dan Kebudayaan", K.DINAS),
    ("Dinsos", "Dinas Sosial", K.DINAS),
    ("Disnakertrans", "Dinas Tenaga Kerja dan Transmigrasi", K.DINAS),
    ("Disperindag", "Dinas Perindustrian dan Perdagangan", K.DINAS),
    ("DKUKM", "Dinas Koperasi dan Usaha Kecil Menengah", K.DINAS),
    ("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", K.DINAS),
    ("Disparpora", "Dinas Kepemudaan, Olahraga dan Pariwisata", K.DINAS),
    ("Distan", "Dinas Pertanian", K.DINAS),
    ("DKP", "Dinas Kelautan dan Perikanan", K.DINAS),
    ("DPMD", "Dinas Pemberdayaan Masyarakat dan Desa", K.DINAS),
    ("DP3AKB", "Dinas Pemberdayaan Perempuan, Perlindungan Anak dan Keluarga Berencana", K.DINAS),
    ("Satpol PP", "Satuan Polisi Pamong Praja", K.SATUAN),
    ("Damkar", "Dinas Pemadam Kebakaran", K.DINAS),
    ("RSUD", "RSUD dr. Dradjat Prawiranegara", K.RSUD),
]

TENANTS = [
    # code, jurisdiction, slug, contact, OPDs
    (
        "36.73",
        "serangkota.go.id",
        "kota-serang",
        {
            "email": "diskominfo@serangkota.go.id",
            "phone": "(0254) 200001",
            "address": "Jl. Jenderal Sudirman No. 5, Serang",
            "website": "https://serangkota.go.id",
        },
        KOTA_SERANG_OPDS,
    ),
    (
        "36.04",
        "serangkab.go.id",
        "kabupaten-serang",
        {
            "email": "diskominfosatik@serangkab.go.id",
            "phone": "(0254) 200002",
            "address": "Jl. Veteran No. 1, Serang",
            "website": "https://serangkab.go.id",
        },
        KABUPATEN_SERANG_OPDS,
    ),
]

# Libur nasional and cuti bersama 2026 per the joint ministerial decree (SKB 3 Menteri).
# Demo data: an administrator must confirm each year's dates in the back office.
NATIONAL_HOLIDAYS_2026 = [
    ("2026-01-01", "Tahun Baru 2026 Masehi"),
    ("2026-01-16", "Isra Mikraj Nabi Muhammad SAW"),
    ("2026-02-17", "Tahun Baru Imlek"),
    ("2026-03-19", "Hari Suci Nyepi"),
    ("2026-03-20", "Idulfitri 1447 H"),
    ("2026-03-21", "Idulfitri 1447 H"),
    ("2026-04-03", "Wafat Yesus Kristus"),
    ("2026-05-01", "Hari Buruh Internasional"),
    ("2026-05-14", "Kenaikan Yesus Kristus"),
    ("2026-05-27", "Iduladha 1447 H"),
    ("2026-05-31", "Hari Raya Waisak"),
    ("2026-06-01", "Hari Lahir Pancasila"),
    ("2026-06-16", "Tahun Baru Islam 1448 H"),
    ("2026-08-17", "Hari Kemerdekaan Republik Indonesia"),
    ("2026-08-25", "Maulid Nabi Muhammad SAW"),
    ("2026-12-25", "Hari Raya Natal"),
]


# Map views of the demo tenants: the alun-alun of Kota Serang; Ciruas, the middle of the regency.
MAP_VIEWS = {
    "36.73": (Decimal("-6.120000"), Decimal("106.150300"), 13),
    "36.04": (Decimal("-6.110000"), Decimal("106.250000"), 11),
}


def load_demo(*, password: str) -> list[Tenant]:
    for day, name in NATIONAL_HOLIDAYS_2026:
        Holiday.objects.get_or_create(
            tenant=None, date=dt.date.fromisoformat(day), defaults={"name": name}
        )
    tenants = []
    for code, jurisdiction, slug, contact, opds in TENANTS:
        tenant, _created = tenant_create(
            code=code, jurisdiction_id=jurisdiction, slug=slug, **contact
        )
        if tenant.map_center_lat is None:  # the administrator's own choice wins on a rerun
            lat, lng, zoom = MAP_VIEWS[code]
            tenant.map_center_lat, tenant.map_center_lng, tenant.map_zoom = lat, lng, zoom
            tenant.save(update_fields=["map_center_lat", "map_center_lng", "map_zoom"])
        for acronym, name, kind in opds:
            opd_upsert(
                tenant=tenant,
                acronym=acronym,
                name=name,
                kind=kind,
                email=f"{acronym.lower().replace(' ', '')}@{jurisdiction}",
                head_email=f"kepala.{acronym.lower().replace(' ', '')}@{jurisdiction}",
            )
        for district in Region.objects.districts_of(code):
            opd_upsert(
                tenant=tenant,
                acronym=f"Kec. {district.name}",
                name=f"Kecamatan {district.name}",
                kind=OpdKind.KECAMATAN,
            )
        tenants.append(tenant)
    return tenants
