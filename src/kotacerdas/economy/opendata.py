"""Tourism villages and OVOP as open data, published by the open-data app through its hook:
aggregates only. Visitors' requests are counted per month; no name, contact, message or
anything else a visitor typed reaches these tables, and small counts are suppressed by the
open-data app."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.economy import selectors
from kotacerdas.economy.config import product_groups
from kotacerdas.economy.models import VillageClass, VisitorRequest
from kotacerdas.opendata.services import Column, PlatformTable
from kotacerdas.tenants.models import Tenant

MONTHS = 12


def _past_months(tenant: Tenant) -> list[selectors.Month]:
    """The last whole months (the current one is still moving)."""
    return selectors.last_months(tenant, MONTHS + 1, today=timezone.localdate())[:-1]


def _requests(tenant: Tenant) -> QuerySet[VisitorRequest]:
    return VisitorRequest.objects.filter(tenant=tenant)


def tables(tenant: Tenant) -> list[PlatformTable]:
    classes = dict(VillageClass.choices)
    groups = product_groups()
    villages = [
        [
            r["kecamatan"],
            r["kecamatan_name"],
            r["village_class"],
            str(classes[r["village_class"]]),
            r["n"],
        ]
        for r in selectors.villages_by_class_and_kecamatan(tenant)
        if r["village_class"] in classes
    ]
    products = [
        [r["group"], str(groups.get(r["group"], r["group"])), r["stars"] or 0, r["n"]]
        for r in selectors.products_by_group_and_stars(tenant)
    ]
    requests = [
        [r.month, r.enquiries, r.bookings, r.answered]
        for r in selectors.requests_per_month(_requests(tenant), _past_months(tenant))
    ]
    return [
        PlatformTable(
            key="desa-wisata-per-kelas-kecamatan",
            title=_("Desa wisata per klasifikasi dan kecamatan"),
            notes=_(
                "Jumlah desa wisata menurut klasifikasi Jadesta (rintisan, berkembang, maju, mandiri) per kecamatan, keadaan saat diterbitkan."
            ),
            columns=[
                Column("kode_kecamatan", "string", _("Kode kecamatan")),
                Column("kecamatan", "string", _("Kecamatan")),
                Column("kode_klasifikasi", "string", _("Kode klasifikasi")),
                Column("klasifikasi", "string", _("Klasifikasi")),
                Column("desa_wisata", "integer", _("Desa wisata"), satuan="desa"),
            ],
            rows=villages,
            groups=["smart-branding"],
            frequency="ANNUAL",
            primary_key=["kode_kecamatan", "kode_klasifikasi"],
            opd_acronym="Disparpora",
            tags=["pariwisata", "desa wisata", "OVOP"],
        ),
        PlatformTable(
            key="produk-ovop-per-kelompok-bintang",
            title=_("Produk OVOP per kelompok komoditas dan bintang"),
            notes=_(
                "Jumlah produk unggulan desa menurut kelompok komoditas dan penilaian bintang OVOP (0: belum dinilai), keadaan saat diterbitkan."
            ),
            columns=[
                Column("kode_kelompok", "string", _("Kode kelompok")),
                Column("kelompok", "string", _("Kelompok komoditas")),
                Column("bintang", "integer", _("Bintang OVOP"), _("1–5; 0 bila belum dinilai")),
                Column("produk", "integer", _("Produk"), satuan="produk"),
            ],
            rows=products,
            groups=["smart-economy"],
            frequency="ANNUAL",
            primary_key=["kode_kelompok", "bintang"],
            opd_acronym="Disparpora",
            tags=["pariwisata", "desa wisata", "OVOP"],
        ),
        PlatformTable(
            key="permintaan-pengunjung-desa-wisata-per-bulan",
            title=_("Permintaan pengunjung desa wisata dan OVOP per bulan"),
            notes=_(
                "Jumlah pertanyaan dan pemesanan (homestay, paket wisata, produk) per bulan dan yang sudah dijawab. Hanya hitungan; tidak ada data pengunjung. Angka di bawah ambang disamarkan."
            ),
            columns=[
                Column("bulan", "string", _("Bulan"), _("Tahun-bulan (YYYY-MM)")),
                Column("pertanyaan", "integer", _("Pertanyaan"), satuan="permintaan"),
                Column("pemesanan", "integer", _("Pemesanan"), satuan="permintaan"),
                Column("dijawab", "integer", _("Dijawab"), satuan="permintaan"),
            ],
            rows=requests,
            groups=["smart-economy"],
            primary_key=["bulan"],
            count_columns=["pertanyaan", "pemesanan", "dijawab"],
            opd_acronym="Disparpora",
            tags=["pariwisata", "desa wisata", "OVOP"],
        ),
    ]
