"""City sensors as open data: daily minimum, mean and maximum per device and quantity, read from
the daily rollups (never the raw table), published by the open-data app through its hook."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.opendata.services import Column, PlatformTable
from kotacerdas.sensors.models import HEALTH_QUANTITIES, Bucket, Device, DeviceQuantity, Rollup
from kotacerdas.tenants.models import Tenant

DAYS = 31


def tables(tenant: Tenant) -> list[PlatformTable]:
    today = timezone.now().astimezone(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    since = today - dt.timedelta(days=DAYS)
    units = {
        (device_id, key): unit
        for device_id, key, unit in DeviceQuantity.objects.filter(
            device__tenant=tenant
        ).values_list("device_id", "key", "unit")
    }
    # Bounded: at most DAYS days of the tenant's devices (only the days before today: a day
    # still being filled would change between two publications of the same day).
    rollups = (
        Rollup.objects.filter(
            device__tenant=tenant, bucket=Bucket.DAY, start__gte=since, start__lt=today
        )
        .exclude(quantity__in=HEALTH_QUANTITIES)
        .order_by("start", "device__uid", "quantity")
        .values_list(
            "device_id",
            "device__uid",
            "device__name",
            "device__kind",
            "device__opd__acronym",
            "device__kelurahan__name",
            "device__is_example",
            "quantity",
            "start",
            "count",
            "total",
            "minimum",
            "maximum",
        )
    )
    kinds = dict(Device._meta.get_field("kind").flatchoices)
    rows = [
        [
            uid,
            name,
            str(kinds.get(kind, kind)),
            opd or "",
            kelurahan or "",
            is_example,
            quantity,
            units.get((device_id, quantity), ""),
            f"{start:%Y-%m-%d}",
            count,
            round(minimum, 3),
            round(total / count, 3) if count else None,
            round(maximum, 3),
        ]
        for (
            device_id,
            uid,
            name,
            kind,
            opd,
            kelurahan,
            is_example,
            quantity,
            start,
            count,
            total,
            minimum,
            maximum,
        ) in rollups
    ]
    # The dataset belongs to the OPD that owns most of the tenant's devices (BPBD, DLH, …).
    owner = (
        Device.objects.filter(tenant=tenant, opd__isnull=False)
        .values("opd__acronym")
        .annotate(n=Count("id"))
        .order_by("-n", "opd__acronym")
        .values_list("opd__acronym", flat=True)
        .first()
    )
    return [
        PlatformTable(
            key="sensor-ringkasan-harian",
            title=_("Ringkasan harian sensor kota per perangkat dan besaran"),
            notes=_(
                "Nilai terendah, rata-rata dan tertinggi per hari (UTC) untuk setiap besaran "
                "yang diukur pos tinggi muka air, penakar hujan, pemantau kualitas udara dan "
                "stasiun cuaca, 31 hari terakhir. Dihitung dari ringkasan harian, bukan dari "
                "bacaan mentah. Perangkat contoh (data peragaan) ditandai."
            ),
            opd_acronym=owner or "BPBD",
            columns=[
                Column("kode_perangkat", "string", _("Kode perangkat")),
                Column("perangkat", "string", _("Perangkat")),
                Column("jenis", "string", _("Jenis perangkat")),
                Column("opd", "string", _("OPD pemilik")),
                Column("kelurahan", "string", _("Kelurahan/desa")),
                Column("contoh", "boolean", _("Perangkat contoh")),
                Column("besaran", "string", _("Besaran")),
                Column("satuan", "string", _("Satuan")),
                Column("tanggal", "date", _("Tanggal"), _("Hari UTC (YYYY-MM-DD)")),
                Column("jumlah_bacaan", "integer", _("Jumlah bacaan"), satuan="bacaan"),
                Column("minimum", "number", _("Terendah")),
                Column("rata_rata", "number", _("Rata-rata")),
                Column("maksimum", "number", _("Tertinggi")),
            ],
            rows=rows,
            groups=["smart-environment"],
            tags=["sensor", "tinggi muka air", "kualitas udara"],
            frequency="DAILY",
            primary_key=["kode_perangkat", "besaran", "tanggal"],
        )
    ]
