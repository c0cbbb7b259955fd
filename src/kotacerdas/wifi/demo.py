"""Demo public Wi-Fi for Kota Serang: example points (marked "contoh"), a provider with a
read-only account, a RADIUS client on 127.0.0.1, and 30 days of invented checks and sessions so
the figures and the map have something to show. Demo points have no check address, so the
checker leaves their seeded health alone; give one an address to monitor it for real."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from kotacerdas.accounts.models import Role
from kotacerdas.accounts.services import staff_upsert
from kotacerdas.regions.models import Region
from kotacerdas.tenants.models import Tenant
from kotacerdas.wifi.models import (
    Check,
    Health,
    Hotspot,
    RadiusClient,
    SiteType,
    WifiSession,
)
from kotacerdas.wifi.services import hash_identifier, provider_upsert, settings_for

DEMO_RADIUS_SECRET = "kotacerdas-demo-radius"  # noqa: S105 - documented demo value

# name, site type, lat, lng, kelurahan name, SSID, health now, monthly cost (Rp)
POINTS = [
    (
        "Alun-alun Kota Serang (contoh)",
        SiteType.ALUN_ALUN,
        "-6.120950",
        "106.150530",
        "Kotabaru",
        "SerangKotaCerdas",
        Health.OK,
        9_000_000,
    ),
    (
        "Taman Sari (contoh)",
        SiteType.PARK,
        "-6.115800",
        "106.153900",
        "Sumurpecung",
        "SerangKotaCerdas",
        Health.OK,
        6_500_000,
    ),
    (
        "Pasar Rau (contoh)",
        SiteType.MARKET,
        "-6.129300",
        "106.160600",
        "Cimuncang",
        "SerangKotaCerdas",
        Health.PROBLEM,
        7_500_000,
    ),
    (
        "Terminal Pakupatan (contoh)",
        SiteType.TERMINAL,
        "-6.126700",
        "106.178200",
        "Panancangan",
        "SerangKotaCerdas",
        Health.CRITICAL,
        7_500_000,
    ),
    (
        "Kantor Kecamatan Taktakan (contoh)",
        SiteType.KECAMATAN_OFFICE,
        "-6.137800",
        "106.122400",
        "Taktakan",
        "SerangKotaCerdas",
        Health.OK,
        4_000_000,
    ),
]


def load_demo(*, password: str) -> None:
    tenant = Tenant.objects.filter(region_id="36.73").first()
    if tenant is None:
        return
    settings_for(tenant)
    provider = provider_upsert(
        tenant=tenant,
        name="Penyedia Internet Contoh",
        contact_name="NOC Penyedia Contoh",
        contact_email="noc@penyedia.contoh.id",
    )
    account = staff_upsert(
        username="penyedia-kota",
        role=Role.PROVIDER,
        tenant=tenant,
        opd=None,
        full_name="NOC Penyedia Contoh",
        email="penyedia-kota@demo.kotacerdas.id",
        password=password,
    )
    provider.members.add(account)
    villages = {r.name.lower(): r for r in Region.objects.villages_of_regency(tenant.code)}
    now = timezone.now()
    for index, (name, site, lat, lng, village, ssid, health, cost) in enumerate(POINTS, 1):
        hotspot, created = Hotspot.objects.get_or_create(
            tenant=tenant,
            name=name,
            defaults={
                "site_type": site,
                "lat": Decimal(lat),
                "lng": Decimal(lng),
                "kelurahan": villages.get(village.lower()),
                "provider": provider,
                "ssid": ssid,
                "access_points": 2,
                "bandwidth_mbps": 50,
                "monthly_cost": Decimal(cost),
                "contract_start": dt.date(2026, 1, 1),
                "contract_end": dt.date(2026, 12, 31),
                "installed_on": dt.date(2025, 12, 15),
                "nas_identifier": f"srg-ap-{index:02d}",
                "health": health,
                "health_since": now - dt.timedelta(hours=3),
            },
        )
        if created:
            _history(tenant, hotspot, health, seed=index, now=now)
    RadiusClient.objects.get_or_create(
        ip_address="127.0.0.1",
        defaults={"tenant": tenant, "name": "Controller contoh", "secret": DEMO_RADIUS_SECRET},
    )


def _history(tenant: Tenant, hotspot: Hotspot, health: str, *, seed: int, now: dt.datetime) -> None:
    """30 days of checks every 30 minutes and a day's worth of sessions per day."""
    rng = random.Random(seed)  # noqa: S311 - invented demo data, not security
    down_share = {Health.OK: 0.01, Health.PROBLEM: 0.08, Health.CRITICAL: 0.2}[Health(health)]
    checks = []
    at = now - dt.timedelta(days=30)
    while at < now:
        up = rng.random() > down_share
        checks.append(
            Check(
                tenant=tenant,
                hotspot=hotspot,
                checked_at=at,
                up=up,
                loss_pct=0.0 if up else 100.0,
                rtt_ms=round(rng.uniform(8, 60), 1) if up else None,
                tcp_ok=up,
                http_status=200 if up else None,
                health=Health.OK if up else Health.PROBLEM,
            )
        )
        at += dt.timedelta(minutes=30)
    Check.objects.bulk_create(checks, batch_size=1000)
    secret = settings_for(tenant).hash_secret
    sessions = []
    for day in range(30):
        base = now - dt.timedelta(days=30 - day)
        for n in range(rng.randint(15, 60)):
            start = base + dt.timedelta(minutes=rng.randint(0, 1400))
            length = rng.randint(120, 5400)
            device = f"02:00:00:{seed:02x}:{rng.randint(0, 255):02x}:{rng.randint(0, 40):02x}"
            sessions.append(
                WifiSession(
                    tenant=tenant,
                    hotspot=hotspot,
                    session_id=f"demo-{seed}-{day}-{n}",
                    device_hash=hash_identifier(secret, device),
                    started_at=start,
                    updated_at=start + dt.timedelta(seconds=length),
                    stopped_at=start + dt.timedelta(seconds=length),
                    input_octets=rng.randint(1, 80) * 1_000_000,
                    output_octets=rng.randint(1, 400) * 1_000_000,
                    session_time_s=length,
                    stop_cause="User-Request",
                )
            )
    WifiSession.objects.bulk_create(sessions, batch_size=1000)
