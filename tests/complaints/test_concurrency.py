"""Two citizens (or two retries) at the same instant: tickets stay unique and consecutive, a
repeated idempotency key creates one complaint, and no submission waits for another.
PostgreSQL only (SQLite serialises writers)."""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection, connections, transaction
from django.utils import timezone

from kotacerdas.accounts.models import User
from kotacerdas.complaints import services
from kotacerdas.complaints.demo import load_categories
from kotacerdas.complaints.models import Category, Complaint, TicketCounter
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


@contextmanager
def held_open(work: Callable[[], object]) -> Iterator[None]:
    """Runs ``work`` in a transaction of another thread and keeps it open (its locks held)
    while the body runs, with a 3 s lock timeout here: waiting at all fails, quickly."""
    ready, release = threading.Event(), threading.Event()

    def hold() -> None:
        try:
            with transaction.atomic():
                work()
                ready.set()
                release.wait(30)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert ready.wait(30)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '3s'")
        yield
    finally:
        release.set()
        holder.join(30)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = 0")


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
    with held_open(lambda: services.complaint_dispose(complaint=first, actor=admin, opds=[dishub])):
        third, _created = services.complaint_submit(
            tenant=tenant, category=category, description="Tiga", address="Jl. C"
        )
        services.complaint_dispose(complaint=second, actor=admin, opds=[dishub])
        services.complaint_classify(complaint=third, actor=admin, severity="berat")
        with pytest.raises(OperationalError):  # the locked one itself does wait
            services.complaint_hold(complaint=first, actor=admin)
    assert Complaint.objects.get(pk=second.pk).status == "didisposisi"
    assert Complaint.objects.get(pk=first.pk).status == "didisposisi"


def test_numbering_waits_for_no_other_submission_of_the_tenant(
    kota_categories: tuple[Tenant, Category],
) -> None:
    """A submission that has its number but has not committed yet holds up no other one: the
    number comes from a sequence, not from a counter row locked until COMMIT (issue #12). (The
    year's first ticket makes the sequence: until it commits, the year's second one waits.)"""
    tenant, category = kota_categories
    first, _created = services.complaint_submit(
        tenant=tenant, category=category, description="Nol", address="Jl. O"
    )
    held: list[str] = []

    def submit_and_hold() -> None:
        complaint, _created = services.complaint_submit(
            tenant=tenant, category=category, description="Satu", address="Jl. A"
        )
        held.append(complaint.ticket)

    with held_open(submit_and_hold):
        second, _created = services.complaint_submit(
            tenant=tenant, category=category, description="Dua", address="Jl. B"
        )
    assert first.ticket.endswith("-000001")
    assert held[0].endswith("-000002")
    assert second.ticket.endswith("-000003")


def test_a_year_numbered_by_the_counter_continues_from_it_and_back(
    kota_categories: tuple[Tenant, Category],
) -> None:
    """Migration 0009: a year counted before it continues from its counter, and going back
    leaves the counter where the sequence was, so no ticket number is ever given twice."""
    tenant, category = kota_categories
    year = timezone.localtime().year
    TicketCounter.objects.create(tenant=tenant, year=year, last=41)
    complaint, _created = services.complaint_submit(
        tenant=tenant, category=category, description="Satu", address="Jl. A"
    )
    assert complaint.ticket.endswith(f"-{year}-000042")

    ticket_sequences = importlib.import_module(
        "kotacerdas.complaints.migrations.0009_ticket_sequences"
    )
    with connection.schema_editor() as editor:
        ticket_sequences.drop(None, editor)
    assert TicketCounter.objects.get(tenant=tenant, year=year).last == 42
    with connection.schema_editor() as editor:
        ticket_sequences.create(None, editor)
    complaint, _created = services.complaint_submit(
        tenant=tenant, category=category, description="Dua", address="Jl. B"
    )
    assert complaint.ticket.endswith(f"-{year}-000043")
