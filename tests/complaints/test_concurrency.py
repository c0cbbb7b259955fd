"""Two citizens (or two retries) at the same instant: row locks keep tickets unique and a
repeated idempotency key creates one complaint. PostgreSQL only (SQLite serialises writers)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import OperationalError, connection, connections, transaction

from kotacerdas.accounts.models import User
from kotacerdas.complaints import services
from kotacerdas.complaints.demo import load_categories
from kotacerdas.complaints.models import Category, Complaint
from kotacerdas.tenants.models import Opd, Tenant

# Skipped at collection on SQLite, before any transactional fixture: a transactional test
# empties the tables when it ends, which other modules' module-scoped fixtures do not expect.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


@pytest.fixture
def kota_categories(serang_after_flush: None) -> tuple[Tenant, Category]:
    load_categories()
    tenant = Tenant.objects.get(region_id="36.73")
    return tenant, Category.objects.get(tenant=tenant, code="pju")


def _submit(tenant: Tenant, category: Category, key: str) -> str:
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


def test_parallel_submissions_get_distinct_consecutive_tickets_and_one_per_key(
    kota_categories: tuple[Tenant, Category],
) -> None:
    tenant, category = kota_categories
    with ThreadPoolExecutor(max_workers=6) as pool:
        tickets = list(pool.map(lambda i: _submit(tenant, category, f"k{i}"), range(12)))
    assert sorted(int(t.rsplit("-", 1)[1]) for t in tickets) == list(range(1, 13))
    with ThreadPoolExecutor(max_workers=6) as pool:
        retried = set(pool.map(lambda _i: _submit(tenant, category, "same-key"), range(6)))
    assert len(retried) == 1
    assert Complaint.objects.filter(idempotency_key="same-key").count() == 1


def test_a_locked_complaint_holds_up_no_other_complaint_of_its_tenant(
    kota_categories: tuple[Tenant, Category],
) -> None:
    """A complaint's row lock is its own: while one is being moved (lock held), another of
    the same Pemda can be filed and moved. A plain select_for_update() with select_related
    would lock the tenant row too, and the insert below would wait behind it."""
    tenant, category = kota_categories
    admin = User.objects.get(username="admin-kota")
    dishub = Opd.objects.get(tenant=tenant, acronym="Dishub")
    first, _created = services.complaint_submit(
        tenant=tenant, category=category, description="Satu", address="Jl. A"
    )
    second, _created = services.complaint_submit(
        tenant=tenant, category=category, description="Dua", address="Jl. B"
    )
    locked, release = threading.Event(), threading.Event()

    def hold_first() -> None:
        try:
            with transaction.atomic():
                services.complaint_dispose(complaint=first, actor=admin, opds=[dishub])
                locked.set()
                release.wait(30)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_first)
    holder.start()
    try:
        assert locked.wait(30)
        with connection.cursor() as cursor:  # waiting at all fails the test, quickly
            cursor.execute("SET lock_timeout = '3s'")
        third, _created = services.complaint_submit(
            tenant=tenant, category=category, description="Tiga", address="Jl. C"
        )
        services.complaint_dispose(complaint=second, actor=admin, opds=[dishub])
        services.complaint_classify(complaint=third, actor=admin, severity="berat")
        with pytest.raises(OperationalError):  # the locked one itself does wait
            services.complaint_hold(complaint=first, actor=admin)
    finally:
        release.set()
        holder.join(30)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = 0")
    assert Complaint.objects.get(pk=second.pk).status == "didisposisi"
    assert Complaint.objects.get(pk=first.pk).status == "didisposisi"
