"""Demo data for both Serang tenants: policy, categories, agencies with units, agency
accounts for Damkar and PSC 119, and a few calls and incidents."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from kotacerdas.accounts.models import Role, User
from kotacerdas.accounts.services import staff_upsert
from kotacerdas.emergency import services
from kotacerdas.emergency.models import (
    Agency,
    AgencyAccount,
    Call,
    DeskPolicy,
    IncidentCategory,
    Unit,
)
from kotacerdas.regions.models import Region
from kotacerdas.tenants.models import Opd, Tenant

# (code, name, English name); migration 0005 fills the same English names in existing rows.
CATEGORIES = [
    ("kebakaran", "Kebakaran", "Fire"),
    ("kecelakaan", "Kecelakaan lalu lintas", "Traffic accident"),
    ("medis", "Medis/ambulans", "Medical/ambulance"),
    ("kriminal", "Kriminal/keamanan", "Crime/security"),
    ("bencana", "Bencana/banjir", "Disaster/flood"),
    ("pohon-tumbang", "Pohon tumbang", "Fallen tree"),
    ("korsleting", "Korsleting listrik", "Electrical short circuit"),
    ("lainnya", "Lainnya", "Other"),
]
# (code, short name, full name, units)
AGENCIES = [
    (
        "damkar",
        "Damkar",
        "Dinas Pemadam Kebakaran dan Penyelamatan",
        ["Pos 1 Unit 01", "Pos 1 Unit 02", "Pos 2 Unit 03"],
    ),
    ("polres", "Polres", "Kepolisian Resor Serang", ["Patroli 1", "Patroli 2"]),
    ("psc119", "PSC 119", "Public Safety Center 119 (Dinkes)", ["Ambulans 1", "Ambulans 2"]),
    ("bpbd", "BPBD", "Badan Penanggulangan Bencana Daerah", ["TRC 1"]),
    ("pln", "PLN", "PLN UP3 Banten Utara", ["Yantek 1"]),
    ("dishub", "Dishub", "Dinas Perhubungan", ["Derek 1"]),
    ("satpolpp", "Satpol PP", "Satuan Polisi Pamong Praja", ["Regu 1"]),
    ("dlh", "DLH", "Dinas Lingkungan Hidup", ["Tim Pohon 1"]),
]
# agency accounts: (agency code, OPD acronym that employs the account)
AGENCY_ACCOUNTS = [("damkar", "Damkar"), ("psc119", "Dinkes")]
SUFFIX = {"36.73": "kota", "36.04": "kab"}
# an illustrative map pin for the demo incident in each region
CENTRES = {
    "36.73": (Decimal("-6.120000"), Decimal("106.150300")),
    "36.04": (Decimal("-6.110000"), Decimal("106.240000")),
}


def load_demo(*, password: str) -> None:
    for tenant in Tenant.objects.filter(region_id__in=SUFFIX):
        suffix = SUFFIX[tenant.code]
        DeskPolicy.objects.get_or_create(tenant=tenant)
        for order, (code, name, name_en) in enumerate(CATEGORIES):
            IncidentCategory.objects.update_or_create(
                tenant=tenant,
                code=code,
                defaults={"name": name, "name_en": name_en, "order": order},
            )
        for code, short, name, units in AGENCIES:
            agency, _created = Agency.objects.update_or_create(
                tenant=tenant, code=code, defaults={"short_name": short, "name": name}
            )
            for unit in units:
                Unit.objects.get_or_create(agency=agency, name=unit)
        for code, acronym in AGENCY_ACCOUNTS:
            user = staff_upsert(
                username=f"{code}-{suffix}",
                role=Role.OPD_OPERATOR,
                tenant=tenant,
                opd=Opd.objects.get(tenant=tenant, acronym=acronym),
                full_name=f"Sistem {code.upper()} {tenant.short_name}",
                email=f"{code}-{suffix}@demo.kotacerdas.id",
                password=password,
            )
            AgencyAccount.objects.update_or_create(
                user=user, defaults={"agency": Agency.objects.get(tenant=tenant, code=code)}
            )
        _sample_calls(tenant, suffix)


def _sample_calls(tenant: Tenant, suffix: str) -> None:
    if Call.objects.filter(tenant=tenant).exists():
        return
    taker = User.objects.get(username=f"calltaker-{suffix}")
    dispatcher = User.objects.get(username=f"dispatcher-{suffix}")
    village = Region.objects.villages_of_regency(tenant.code).order_by("code").first()
    if village is None:
        return
    now = timezone.now()
    for minutes, kind in ((300, "prank"), (240, "ghost"), (200, "informasi")):
        services.call_log(
            tenant=tenant,
            taker=taker,
            caller_number="0812 0000 9999",
            call_type=kind,
            received_at=now - dt.timedelta(minutes=minutes),
        )
    result = services.call_log(
        tenant=tenant,
        taker=taker,
        caller_number="0813 1111 2222",
        caller_name="Pak Ahmad",
        call_type="normal",
        received_at=now - dt.timedelta(minutes=90),
        incident=services.IncidentData(
            category=IncidentCategory.objects.get(tenant=tenant, code="pohon-tumbang"),
            kelurahan=village,
            landmark="Depan masjid agung",
            description="Pohon tumbang menutup separuh jalan.",
            people_involved="tidak ada korban",
            latitude=CENTRES[tenant.code][0],
            longitude=CENTRES[tenant.code][1],
        ),
    )
    assert result.incident is not None  # noqa: S101
    services.incident_dispatch(
        incident=result.incident,
        actor=dispatcher,
        assignments=[(Agency.objects.get(tenant=tenant, code="dlh"), None)],
    )
