"""Two citizens (or two retries) at the same instant: row locks keep tickets unique and a
repeated idempotency key creates one complaint. PostgreSQL only (SQLite serialises writers)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from kotacerdas.complaints import services
from kotacerdas.complaints.demo import load_categories
from kotacerdas.complaints.models import Category, Complaint
from kotacerdas.tenants.models import Tenant

pytestmark = pytest.mark.postgres


@pytest.fixture
def kota_categories(serang_after_flush):  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    load_categories()
    tenant = Tenant.objects.get(region_id="36.73")
    return tenant, Category.objects.get(tenant=tenant, code="pju")


def _submit(tenant, category, key):  # type: ignore[no-untyped-def]
    try:
        complaint, _created = services.complaint_submit(
            tenant=tenant,
            category=category,
            description="Lampu mati",
            address="Jl. A",
            idempotency_key=key,
        )
        return complaint.ticket
    finally:
        connections.close_all()


def test_parallel_submissions_get_distinct_consecutive_tickets_and_one_per_key(kota_categories):
    tenant, category = kota_categories
    with ThreadPoolExecutor(max_workers=6) as pool:
        tickets = list(pool.map(lambda i: _submit(tenant, category, f"k{i}"), range(12)))
    assert sorted(int(t.rsplit("-", 1)[1]) for t in tickets) == list(range(1, 13))
    with ThreadPoolExecutor(max_workers=6) as pool:
        retried = set(pool.map(lambda _i: _submit(tenant, category, "same-key"), range(6)))
    assert len(retried) == 1
    assert Complaint.objects.filter(idempotency_key="same-key").count() == 1
