"""Demo catalogue for both Serang tenants: every Adminduk service of Disdukcapil (free; SLA 24 hours,
the 2022 presidential maximum) and the AK/1 job-seeker card of Disnakertrans; pick-up locations
with appointment slots for the coming two weeks."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from kotacerdas.accounts.models import User
from kotacerdas.services.catalogue_en import ENGLISH
from kotacerdas.services.models import (
    Application,
    Channel,
    Event,
    FieldKind,
    Fulfilment,
    Location,
    LocationKind,
    Service,
    Status,
)
from kotacerdas.services.services import catalogue_translate, service_upsert, slots_generate
from kotacerdas.tenants.models import Opd, OpdKind, Tenant

F = FieldKind
PICKUP, DELIVERY, DIGITAL = Fulfilment.PICKUP, Fulfilment.DELIVERY, Fulfilment.DIGITAL

NIK = ("nik", "NIK pemohon", F.NIK, True, "")
KK = ("kk", "Nomor KK", F.KK, True, "")
NAME = ("nama", "Nama lengkap sesuai KK", F.NAME, True, "")
VILLAGE = ("kelurahan", "Kelurahan/desa tempat tinggal", F.VILLAGE, True, "")
ADDRESS = ("alamat", "Alamat (jalan, RT/RW)", F.TEXT, True, "")
PHONE = ("telepon", "Nomor HP yang dapat dihubungi", F.PHONE, True, "")

DOC_KK = (
    "Kartu Keluarga (KK)",
    True,
    "pdf,jpg,png",
    "Foto atau pindaian KK terbaru, seluruh halaman terlihat.",
)
DOC_KTP = ("KTP-el", True, "pdf,jpg,png", "Foto sisi depan KTP-el.")

# code, name, description, fields, documents, fulfilment, needs_visit
ADMINDUK = [
    (
        "ktp-el-baru",
        "KTP-el baru",
        "Untuk warga yang berusia 17 tahun atau sudah/pernah menikah dan belum punya KTP-el. Ajukan dari rumah, lalu "
        "datang sekali untuk perekaman sidik jari, iris mata dan foto sesuai jadwal yang Anda pilih.",
        [
            NIK,
            KK,
            NAME,
            VILLAGE,
            (
                "syarat",
                "Dasar pengajuan",
                F.CHOICE,
                True,
                "Berusia 17 tahun;Sudah atau pernah menikah",
            ),
            PHONE,
        ],
        [DOC_KK],
        [PICKUP, DELIVERY],
        True,
    ),
    (
        "ktp-el-penggantian",
        "KTP-el penggantian (hilang, rusak, perubahan data)",
        "Untuk mengganti KTP-el yang hilang, rusak, atau datanya berubah. Tidak perlu rekam ulang bila data biometrik "
        "sudah ada.",
        [
            NIK,
            KK,
            NAME,
            VILLAGE,
            ("alasan", "Alasan penggantian", F.CHOICE, True, "Hilang;Rusak;Perubahan data"),
            PHONE,
        ],
        [
            DOC_KK,
            (
                "Surat keterangan hilang dari kepolisian",
                False,
                "pdf,jpg,png",
                "Wajib bila KTP-el hilang.",
            ),
            ("Foto KTP-el yang rusak", False, "jpg,png,pdf", "Wajib bila KTP-el rusak."),
            (
                "Bukti perubahan data",
                False,
                "pdf,jpg,png",
                "Misalnya ijazah atau akta, bila data berubah.",
            ),
        ],
        [PICKUP, DELIVERY],
        False,
    ),
    (
        "kk-baru",
        "Kartu Keluarga baru / perubahan",
        "Untuk membuat KK baru setelah menikah, bercerai atau pindah datang, atau mengubah isi KK. Hasilnya KK "
        "bertanda tangan elektronik yang Anda unduh dan cetak sendiri di kertas HVS.",
        [
            NIK,
            ("kk_lama", "Nomor KK lama", F.KK, False, ""),
            NAME,
            VILLAGE,
            ADDRESS,
            (
                "alasan",
                "Alasan",
                F.CHOICE,
                True,
                "Menikah;Bercerai;Pindah datang;Perubahan data;Pisah KK",
            ),
            PHONE,
        ],
        [
            (
                "Buku nikah / akta perkawinan, akta perceraian, atau surat keterangan pindah",
                True,
                "pdf,jpg,png",
                "Dokumen yang menjadi dasar KK baru atau perubahan.",
            ),
            ("KK lama", False, "pdf,jpg,png", "Bila KK berubah atau pisah KK."),
        ],
        [DIGITAL, PICKUP],
        False,
    ),
    (
        "akta-kelahiran",
        "Akta kelahiran",
        "Untuk mencatat kelahiran anak. Hasilnya akta kelahiran bertanda tangan elektronik.",
        [
            NIK,
            KK,
            ("nama_anak", "Nama anak", F.TEXT, True, ""),
            ("tanggal_lahir", "Tanggal lahir anak", F.DATE, True, ""),
            ("tempat_lahir", "Tempat lahir anak", F.TEXT, True, ""),
            PHONE,
        ],
        [
            (
                "Surat keterangan lahir",
                True,
                "pdf,jpg,png",
                "Dari rumah sakit, bidan, atau kelurahan/desa.",
            ),
            (
                "Buku nikah orang tua atau SPTJM",
                True,
                "pdf,jpg,png",
                "Surat pernyataan tanggung jawab mutlak bila tidak ada buku nikah.",
            ),
            DOC_KK,
        ],
        [DIGITAL],
        False,
    ),
    (
        "akta-kematian",
        "Akta kematian",
        "Untuk mencatat kematian anggota keluarga. Hasilnya akta kematian bertanda tangan elektronik.",
        [
            NIK,
            KK,
            ("nama_almarhum", "Nama almarhum/almarhumah", F.TEXT, True, ""),
            ("nik_almarhum", "NIK almarhum/almarhumah", F.TEXT, True, ""),
            ("tanggal_meninggal", "Tanggal meninggal", F.DATE, True, ""),
            PHONE,
        ],
        [
            (
                "Surat keterangan kematian",
                True,
                "pdf,jpg,png",
                "Dari rumah sakit atau kelurahan/desa.",
            ),
            DOC_KK,
            ("KTP-el almarhum/almarhumah", True, "pdf,jpg,png", ""),
        ],
        [DIGITAL],
        False,
    ),
    (
        "surat-pindah",
        "Surat keterangan pindah / pindah datang",
        "Untuk pindah domisili ke luar atau masuk ke daerah ini. Untuk pindah datang, lampirkan SKPWNI dari daerah asal.",
        [
            NIK,
            KK,
            NAME,
            ("jenis", "Jenis", F.CHOICE, True, "Pindah keluar;Pindah datang"),
            ("alamat_tujuan", "Alamat tujuan", F.TEXTAREA, True, ""),
            PHONE,
        ],
        [
            DOC_KK,
            DOC_KTP,
            ("SKPWNI dari daerah asal", False, "pdf,jpg,png", "Wajib untuk pindah datang."),
        ],
        [DIGITAL],
        False,
    ),
    (
        "kia",
        "Kartu Identitas Anak (KIA)",
        "Kartu identitas untuk anak di bawah 17 tahun.",
        [
            ("nik", "NIK anak", F.NIK, True, ""),
            KK,
            ("nama_anak", "Nama anak", F.TEXT, True, ""),
            VILLAGE,
            PHONE,
        ],
        [
            DOC_KK,
            ("Akta kelahiran anak", True, "pdf,jpg,png", ""),
            ("Pas foto anak", False, "jpg,png", "Untuk anak usia 5 tahun ke atas; latar polos."),
        ],
        [PICKUP, DELIVERY, DIGITAL],
        False,
    ),
]

AK1 = (
    "kartu-kuning",
    "Kartu pencari kerja (AK/1, kartu kuning)",
    "Kartu tanda pencari kerja dari Dinas Tenaga Kerja, syarat melamar banyak lowongan. Berlaku dua tahun.",
    [
        NIK,
        NAME,
        ("pendidikan", "Pendidikan terakhir", F.CHOICE, True, "SD;SMP;SMA/SMK;D3;S1;S2"),
        ("keterampilan", "Keterampilan atau pengalaman kerja", F.TEXTAREA, False, ""),
        PHONE,
    ],
    [
        DOC_KTP,
        ("Ijazah terakhir", True, "pdf,jpg,png", ""),
        ("Pas foto 3x4", True, "jpg,png", "Latar merah atau biru."),
    ],
    [DIGITAL, PICKUP],
    False,
)

SLOT_TIMES = [dt.time(8, 0), dt.time(9, 0), dt.time(10, 0), dt.time(13, 0)]


def load_catalogue(tenant: Tenant) -> list[Location]:
    """The tenant's services and its pick-up locations (MPP, Disdukcapil, every kecamatan office)."""
    disdukcapil = Opd.objects.get(tenant=tenant, acronym="Disdukcapil")
    disnaker = Opd.objects.get(tenant=tenant, acronym="Disnakertrans")
    for order, (code, name, description, fields, documents, fulfilment, visit) in enumerate(
        ADMINDUK
    ):
        service = service_upsert(
            tenant=tenant,
            opd=disdukcapil,
            code=code,
            name=name,
            description=description,
            sla_amount=24,
            sla_unit="hours",
            fulfilment=fulfilment,
            needs_visit=visit,
            # The biometric recording visit is where the originals are checked: book at once.
            booking_after_verification=not visit,
            order=order,
            fields=fields,
            requirements=documents,
        )
        catalogue_translate(service=service, english=ENGLISH)
    code, name, description, fields, documents, fulfilment, visit = AK1
    service = service_upsert(
        tenant=tenant,
        opd=disnaker,
        code=code,
        name=name,
        description=description,
        sla_amount=1,
        sla_unit="working_days",
        fulfilment=fulfilment,
        records_in_siak=False,
        order=50,
        fields=fields,
        requirements=documents,
    )
    catalogue_translate(service=service, english=ENGLISH)
    locations = [
        Location.objects.update_or_create(
            tenant=tenant,
            name=f"Mal Pelayanan Publik {tenant.short_name}",
            defaults={"kind": LocationKind.MPP, "address": tenant.address},
        )[0],
        Location.objects.update_or_create(
            tenant=tenant,
            name=f"Kantor Disdukcapil {tenant.short_name}",
            defaults={"kind": LocationKind.OPD},
        )[0],
    ]
    locations += [
        Location.objects.update_or_create(
            tenant=tenant,
            name=f"Kantor {kecamatan.name}",
            defaults={"kind": LocationKind.KECAMATAN},
        )[0]
        for kecamatan in Opd.objects.filter(tenant=tenant, kind=OpdKind.KECAMATAN)
    ]
    return locations


HISTORY_HOURS = [2, 5, 20, 30, 3, 50, 8, 12, 1, 26]  # time to completion, for the statistics demo


def load_history(tenant: Tenant, citizen: User) -> None:
    """Four months of past applications by a demo citizen, so the statistics have something to show.
    Written directly (not through the services) because it is history: the events carry past times."""
    if Application.objects.filter(tenant=tenant, applicant=citizen).exists():
        return
    services = list(Service.objects.filter(tenant=tenant).order_by("order"))
    now = timezone.now()
    for i in range(60):
        service = services[i % len(services)]
        submitted = now - dt.timedelta(days=120 - i * 2, hours=i % 5)
        hours = HISTORY_HOURS[i % len(HISTORY_HOURS)]
        done = submitted + dt.timedelta(hours=hours)
        finished = done < now - dt.timedelta(days=2)
        fulfilment = service.fulfilment_codes()[0]
        application = Application.objects.create(
            tenant=tenant,
            service=service,
            applicant=citizen,
            submitted_at=submitted,
            status=Status.COMPLETED if finished else Status.IN_PROCESS,
            channel=Channel.COUNTER if i % 7 == 0 else Channel.ONLINE,
            fulfilment=fulfilment,
            sla_deadline=submitted + dt.timedelta(hours=float(service.sla_amount)),
            completed_at=done if finished else None,
            closed_at=done if finished else None,
            form_data={"nama": "Warga Contoh"},
        )
        application.number = f"{service.code.upper()[:12]}-{submitted:%Y%m}-{application.pk:06d}"
        application.save(update_fields=["number"])
        moves = [("submit", Status.DRAFT, Status.SUBMITTED, submitted)]
        if i % 5 == 0:
            moves.append(
                (
                    "request_revision",
                    Status.IN_VERIFICATION,
                    Status.NEEDS_REVISION,
                    submitted + dt.timedelta(hours=1),
                )
            )
        if finished:
            moves.append(("complete", Status.READY, Status.COMPLETED, done))
        Event.objects.bulk_create(
            Event(
                application=application,
                tenant=tenant,
                created_at=at,
                action=action,
                from_state=a,
                to_state=b,
                public=True,
            )
            for action, a, b, at in moves
        )


def load_demo(*, password: str) -> None:
    citizen, created = User.objects.get_or_create(
        username="warga-contoh", defaults={"full_name": "Warga Contoh (riwayat statistik)"}
    )
    if created:
        citizen.set_password(password)
        citizen.save()
    for tenant in Tenant.objects.filter(region_id__in=["36.73", "36.04"]):
        locations = load_catalogue(tenant)
        load_history(tenant, citizen)
        for location in locations:
            capacity = 3 if location.kind == LocationKind.KECAMATAN else 10
            slots_generate(
                location=location,
                first_day=timezone.localdate() + dt.timedelta(days=1),
                days=14,
                times=SLOT_TIMES,
                minutes=60,
                capacity=capacity,
            )
