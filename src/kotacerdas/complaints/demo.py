"""Demo complaint categories for both Serang tenants (the real Rabeg topics) and a few sample complaints."""

from __future__ import annotations

from django.db import transaction

from kotacerdas.complaints.models import (
    AttributeDatatype,
    Category,
    CategoryAttribute,
    Channel,
    Complaint,
    ComplaintPolicy,
    Confidentiality,
    Severity,
)
from kotacerdas.complaints.services import complaint_submit
from kotacerdas.regions.models import Region
from kotacerdas.tenants.models import Opd, Tenant

D = AttributeDatatype

# code, name, group, OPD acronym (kota, kab), severity, keywords
CATEGORIES = [
    (
        "pju",
        "Lampu penerangan jalan (PJU) mati",
        "Infrastruktur",
        ("Dishub", "Dishub"),
        Severity.SEDANG,
        "lampu, PJU, penerangan, gelap",
    ),
    (
        "lampu-lalu-lintas",
        "Lampu lalu lintas rusak",
        "Transportasi",
        ("Dishub", "Dishub"),
        Severity.BERAT,
        "traffic light, APILL, lampu merah",
    ),
    (
        "parkir",
        "Parkir liar dan juru parkir",
        "Transportasi",
        ("Dishub", "Dishub"),
        Severity.SEDANG,
        "parkir, jukir, liar",
    ),
    (
        "jalan-rusak",
        "Jalan rusak atau berlubang",
        "Infrastruktur",
        ("DPUPR", "PUPR"),
        Severity.SEDANG,
        "jalan, lubang, aspal",
    ),
    (
        "drainase-banjir",
        "Drainase tersumbat dan banjir",
        "Infrastruktur",
        ("DPUPR", "PUPR"),
        Severity.BERAT,
        "banjir, genangan, selokan, drainase",
    ),
    (
        "sampah",
        "Sampah menumpuk",
        "Lingkungan hidup",
        ("DLH", "DLH"),
        Severity.RINGAN,
        "sampah, TPS, bau",
    ),
    (
        "ketertiban-umum",
        "Ketertiban umum",
        "Ketertiban",
        ("Satpol PP", "Satpol PP"),
        Severity.SEDANG,
        "PKL, ketertiban, reklame liar",
    ),
    (
        "adminduk",
        "Administrasi kependudukan",
        "Administrasi kependudukan",
        ("Disdukcapil", "Disdukcapil"),
        Severity.SEDANG,
        "KTP, KK, akta, Disdukcapil",
    ),
    (
        "layanan-kesehatan",
        "Layanan kesehatan",
        "Kesehatan",
        ("Dinkes", "Dinkes"),
        Severity.SEDANG,
        "puskesmas, BPJS, kesehatan",
    ),
    (
        "lainnya",
        "Lainnya",
        "Lainnya",
        ("Diskominfo", "Diskominfo"),
        Severity.SEDANG,
        "lain-lain, lainnya, umum",
    ),
]

# The English names of the demo categories (data-driven names have an English form, #11.6).
NAME_EN = {
    "Lampu penerangan jalan (PJU) mati": "Street light out",
    "Lampu lalu lintas rusak": "Broken traffic light",
    "Parkir liar dan juru parkir": "Illegal parking and parking attendants",
    "Jalan rusak atau berlubang": "Damaged road or pothole",
    "Drainase tersumbat dan banjir": "Blocked drain and flooding",
    "Sampah menumpuk": "Rubbish piling up",
    "Ketertiban umum": "Public order",
    "Administrasi kependudukan": "Civil registration",
    "Layanan kesehatan": "Health services",
    "Lainnya": "Other",
}

PJU_ATTRIBUTES = [
    ("jumlah_lampu", D.NUMBER, "Berapa lampu yang mati?", True, []),
    ("tiang", D.STRING, "Nomor tiang (jika terlihat)", False, []),
    ("sejak", D.DATETIME, "Sejak kapan lampu mati?", False, []),
    (
        "jenis_kerusakan",
        D.SINGLE,
        "Kerusakan yang terlihat",
        False,
        [
            {"key": "mati", "name": "Mati total"},
            {"key": "berkedip", "name": "Berkedip"},
            {"key": "siang", "name": "Menyala siang hari"},
        ],
    ),
    (
        "dampak",
        D.MULTI,
        "Dampak yang dirasakan",
        False,
        [
            {"key": "gelap", "name": "Jalan gelap"},
            {"key": "rawan", "name": "Rawan kejahatan"},
            {"key": "kecelakaan", "name": "Rawan kecelakaan"},
        ],
    ),
    ("keterangan", D.TEXT, "Keterangan tambahan", False, []),
]

POLICIES = {"36.73": "SRG", "36.04": "KSR"}

SAMPLES = [
    (
        "pju",
        "Lampu PJU di depan masjid mati sejak seminggu, jalan jadi gelap.",
        "36.73.01.1002",
        -6.1235,
        106.1490,
        "Jl. Cipare, depan masjid",
        {"jumlah_lampu": 2},
    ),
    (
        "sampah",
        "Sampah menumpuk di TPS dekat pasar, sudah tiga hari tidak diangkut.",
        None,
        -6.1180,
        106.1560,
        "TPS Pasar Lama",
        {},
    ),
    (
        "jalan-rusak",
        "Jalan berlubang besar, berbahaya untuk pengendara motor di malam hari.",
        None,
        -6.1300,
        106.1500,
        "Jl. Ahmad Yani dekat lampu merah",
        {},
    ),
]


def load_categories() -> None:
    """The categories and SLA policies of both Serang tenants (idempotent)."""
    for tenant in Tenant.objects.filter(region_id__in=POLICIES):
        ComplaintPolicy.objects.update_or_create(
            tenant=tenant, defaults={"ticket_prefix": POLICIES[tenant.code]}
        )
        index = 0 if tenant.code == "36.73" else 1
        for code, name, group, acronyms, severity, keywords in CATEGORIES:
            opd = Opd.objects.get(tenant=tenant, acronym=acronyms[index])
            category, _created = Category.objects.update_or_create(
                tenant=tenant,
                code=code,
                defaults={
                    "name": name,
                    "name_en": NAME_EN[name],
                    "group": group,
                    "opd": opd,
                    "default_severity": severity,
                    "keywords": keywords,
                    "description": name,
                },
            )
            if code == "pju":
                for order, (attr_code, datatype, question, required, values) in enumerate(
                    PJU_ATTRIBUTES, 1
                ):
                    CategoryAttribute.objects.update_or_create(
                        category=category,
                        code=attr_code,
                        defaults={
                            "datatype": datatype,
                            "description": question,
                            "required": required,
                            "order": order,
                            "values": values,
                        },
                    )


def load_demo(*, password: str) -> None:
    load_categories()
    kota = Tenant.objects.filter(region_id="36.73").first()
    if kota is None or Complaint.objects.filter(tenant=kota, channel=Channel.APP).exists():
        return
    with transaction.atomic():
        for code, text, region_code, lat, long, address, attributes in SAMPLES:
            complaint_submit(
                tenant=kota,
                category=Category.objects.get(tenant=kota, code=code),
                description=text,
                channel=Channel.APP,
                lat=lat,
                long=long,
                address=address,
                region=Region.objects.filter(code=region_code).first() if region_code else None,
                confidentiality=Confidentiality.BIASA,
                attributes=attributes,
            )
