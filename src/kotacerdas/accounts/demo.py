"""Demo accounts for every role in both Serang tenants (listed in the README)."""

from __future__ import annotations

from kotacerdas.accounts.models import Role, User
from kotacerdas.accounts.services import password_set, staff_upsert
from kotacerdas.tenants.models import Opd, Tenant

# (username stem, role, OPD acronym or None, full name)
STAFF = [
    ("admin", Role.REGION_ADMIN, "Diskominfo", "Admin Diskominfo"),
    ("diskominfo", Role.OPD_OPERATOR, "Diskominfo", "Operator Diskominfo"),
    ("dishub", Role.OPD_OPERATOR, "Dishub", "Operator Dishub"),
    ("disdukcapil", Role.OPD_OPERATOR, "Disdukcapil", "Operator Disdukcapil"),
    ("dlh", Role.OPD_OPERATOR, "DLH", "Operator DLH"),
    ("disnakertrans", Role.OPD_OPERATOR, "Disnakertrans", "Operator Disnakertrans"),
    ("calltaker", Role.CALLTAKER, "Diskominfo", "Penerima Panggilan 112"),
    ("dispatcher", Role.DISPATCHER, "Diskominfo", "Dispatcher 112"),
    ("supervisor", Role.SUPERVISOR, "Diskominfo", "Supervisor 112"),
    ("pimpinan", Role.LEADER, None, "Pimpinan Daerah"),
]
SUFFIX = {"36.73": "kota", "36.04": "kab"}


def load_demo(*, password: str) -> None:
    for tenant in Tenant.objects.filter(region_id__in=SUFFIX):
        suffix = SUFFIX[tenant.code]
        for stem, role, acronym, full_name in STAFF:
            opd = Opd.objects.get(tenant=tenant, acronym=acronym) if acronym else None
            staff_upsert(
                username=f"{stem}-{suffix}",
                role=role,
                tenant=tenant,
                opd=opd,
                full_name=f"{full_name} {tenant.short_name}",
                email=f"{stem}-{suffix}@demo.kotacerdas.id",
                password=password,
            )
    staff_upsert(
        username="superadmin",
        role=Role.SUPERADMIN,
        tenant=None,
        full_name="Superadmin Platform",
        email="superadmin@demo.kotacerdas.id",
        password=password,
    )
    citizen, created = User.objects.get_or_create(
        username="warga-demo",
        defaults={
            "full_name": "Warga Demo",
            "email": "warga@demo.kotacerdas.id",
            "phone": "+6281200000001",
        },
    )
    if created:
        password_set(user=citizen, password=password)
        citizen.save()
