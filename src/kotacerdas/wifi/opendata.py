"""The public Wi-Fi programme as open data: uptime and use per point per month, aggregates
only (no identifier of any device), published by the open-data app through its hook."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.opendata.services import Column, PlatformTable
from kotacerdas.tenants.models import Tenant
from kotacerdas.wifi.models import Check, WifiSession

MONTHS = 12


def tables(tenant: Tenant) -> list[PlatformTable]:
    since = (timezone.localdate().replace(day=1) - dt.timedelta(days=31 * (MONTHS - 1))).replace(
        day=1
    )
    start = dt.datetime.combine(since, dt.time(), tzinfo=timezone.get_current_timezone())
    checks = (
        Check.objects.filter(tenant=tenant, checked_at__gte=start)
        .annotate(month=TruncMonth("checked_at"))
        .values("hotspot__name", "month")
        .annotate(total=Count("id"), up=Count("id", filter=Q(up=True)))
    )
    usage = {
        (r["hotspot__name"], r["month"]): r
        for r in WifiSession.objects.filter(tenant=tenant, started_at__gte=start)
        .annotate(month=TruncMonth("started_at"))
        .values("hotspot__name", "month")
        .annotate(sessions=Count("id"), devices=Count("device_hash", distinct=True))
    }
    rows = []
    for r in checks.order_by("month", "hotspot__name"):
        u = usage.get((r["hotspot__name"], r["month"]), {})
        rows.append(
            [
                r["hotspot__name"],
                f"{r['month']:%Y-%m}",
                r["total"],
                round(100.0 * r["up"] / r["total"], 2) if r["total"] else None,
                u.get("sessions", 0),
                u.get("devices", 0),
            ]
        )
    return [
        PlatformTable(
            key="wifi-publik-per-titik-bulan",
            title=_("Ketersediaan dan pemakaian Wi-Fi publik per titik per bulan"),
            notes=_(
                "Bagian pemeriksaan kesehatan yang mendapati titik menjawab, jumlah sesi dan perangkat unik per titik per bulan. Perangkat dihitung dari alamat MAC tersamar; tidak ada identitas yang diterbitkan. Angka di bawah ambang disamarkan."
            ),
            opd_acronym="Diskominfo",
            columns=[
                Column("titik", "string", _("Titik Wi-Fi")),
                Column("bulan", "string", _("Bulan"), _("Tahun-bulan (YYYY-MM)")),
                Column("pemeriksaan", "integer", _("Pemeriksaan"), satuan="kali"),
                Column("persen_tersedia", "number", _("Ketersediaan"), satuan="%"),
                Column("sesi", "integer", _("Sesi"), satuan="sesi"),
                Column("perangkat_unik", "integer", _("Perangkat unik"), satuan="perangkat"),
            ],
            rows=rows,
            groups=["smart-society"],
            tags=["wifi", "internet publik"],
            primary_key=["titik", "bulan"],
            count_columns=["sesi", "perangkat_unik"],
        )
    ]
