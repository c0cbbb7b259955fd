"""How the services desk and statistics scale with the number of applications.

Usage (on a database prepared with `kotacerdas setup --demo`):
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/kc_bench .venv/bin/python bench/services_queue.py 20000

Adds N submitted applications for Kota Serang's Disdukcapil (bulk insert, spread over 12 months),
then times, as JSON: the desk queue's first page (200 rows, by SLA deadline), the monthly
statistics for all services, and NIK validation. No baseline exists in the issue; the target is
that a desk page stays well under the 1-hour Permendagri service target's human scale (< 0.5 s).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import sys
import time
import uuid

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.settings")
import django

django.setup()

from django.utils import timezone  # noqa: E402 - after django.setup()

from kotacerdas.accounts.models import User  # noqa: E402 - after django.setup()
from kotacerdas.services.models import Application, Event, Service, Status  # noqa: E402 - after django.setup()
from kotacerdas.services.nik import check_identity_number  # noqa: E402 - after django.setup()
from kotacerdas.services.selectors import desk_queue, service_statistics  # noqa: E402 - after django.setup()
from kotacerdas.tenants.models import Tenant  # noqa: E402 - after django.setup()


def timed(fn, repeat=5):
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return round(statistics.median(samples) * 1000, 1)


def main(n: int) -> None:
    kota = Tenant.objects.get(region_id="36.73")
    operator = User.objects.get(username="disdukcapil-kota")
    citizen, _ = User.objects.get_or_create(username="bench-citizen")
    services = list(Service.objects.filter(tenant=kota, opd=operator.opd))
    now = timezone.now()
    existing = Application.objects.filter(applicant=citizen).count()
    rows = []
    for i in range(existing, n):
        submitted = now - dt.timedelta(minutes=i * 26)
        rows.append(
            Application(
                tenant=kota,
                service=services[i % len(services)],
                applicant=citizen,
                idempotency_key=uuid.uuid4(),
                number=f"BENCH-{i:07d}",
                status=Status.COMPLETED if i % 3 else Status.SUBMITTED,
                submitted_at=submitted,
                sla_deadline=submitted + dt.timedelta(hours=24),
                completed_at=submitted + dt.timedelta(hours=i % 30) if i % 3 else None,
                fulfilment="digital",
            )
        )
    created = Application.objects.bulk_create(rows, batch_size=2000)
    Event.objects.bulk_create(
        (Event(application=a, at=a.submitted_at, action="submit") for a in created), batch_size=2000
    )
    total = Application.objects.filter(tenant=kota).count()
    result = {
        "applications": total,
        "desk_first_page_ms": timed(lambda: list(desk_queue(operator, kota)[:200])),
        "desk_overdue_page_ms": timed(lambda: list(desk_queue(operator, kota, overdue=True)[:200])),
        "statistics_all_services_ms": timed(lambda: service_statistics(kota), repeat=3),
        "nik_validate_ms": timed(lambda: check_identity_number("3673015203950001"), repeat=50),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000)
