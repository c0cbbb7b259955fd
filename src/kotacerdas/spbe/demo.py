"""Demo SPBE assessments for both Serang tenants.

The yearly indexes of Kabupaten Serang are the published ones (2.64 in 2021, 3.23 Baik in
2023, 3.74 Sangat Baik in 2024). The per-indicator levels are SYNTHETIC: KemenPANRB does
not publish them, so they were chosen (closest to a plausible profile per domain) to
reproduce those indexes exactly. The 2025 draft (4.13, three single level steps short of
Memuaskan) and Kota Serang's 2023 assessment (2.87) are invented demo data.
"""

from __future__ import annotations

from kotacerdas.accounts.models import User
from kotacerdas.spbe.models import Assessment, Framework
from kotacerdas.spbe.services import assessment_create, assessment_set_levels, assessment_transition
from kotacerdas.tenants.models import Tenant

# tenant code -> [(year, the 47 levels of indicators 1..47 as digits, final?)]
ASSESSMENTS = {
    "36.04": [
        (2021, "33333333332323232232212121222223233333334333333", True),  # 2.64
        (2023, "43434334342333333343323232322324343434434343434", True),  # 3.23 Baik
        (2024, "44444444443434344343323333333434344444445444544", True),  # 3.74 Sangat Baik
        (2025, "54545445453444444454434343443435454445445454444", False),  # 4.13 draft
    ],
    "36.73": [
        (2023, "43434334342323233333223222322323233333334333333", True),  # 2.87 Baik
    ],
}
SUFFIX = {"36.04": "kab", "36.73": "kota"}
NOTE = "Data demo sintetis: tingkat disusun agar indeks sama dengan nilai acuan tahun ini."


def load_demo(*, password: str) -> None:
    framework = Framework.objects.get(code="spbe-2020")
    for code, assessments in ASSESSMENTS.items():
        tenant = Tenant.objects.filter(region_id=code).first()
        if tenant is None:
            continue
        actor = User.objects.get(username=f"admin-{SUFFIX[code]}")
        for year, digits, final in assessments:
            if Assessment.objects.filter(tenant=tenant, framework=framework, year=year).exists():
                continue
            assessment = assessment_create(
                tenant=tenant, year=year, actor=actor, framework=framework, is_demo=True
            )
            levels = {number: int(d) for number, d in enumerate(digits, start=1)}
            assessment_set_levels(
                assessment=assessment, levels=levels, actor=actor, justification=NOTE
            )
            if final:
                assessment_transition(assessment=assessment, action="finalize", actor=actor)
