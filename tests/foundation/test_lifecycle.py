"""The lifecycle kit (core.lifecycle) on a small subject of its own: a "permit" with a
table of three states, whose tables the tests create and drop.

The models live in a registry of their own so that the project's migrations never see them.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest
from django.apps.registry import Apps
from django.db import OperationalError, connection, connections, models, transaction

from kotacerdas.accounts.models import User
from kotacerdas.core.errors import InvalidTransition
from kotacerdas.core.lifecycle import Lifecycle, LifecycleEvent, lock, record, transition
from kotacerdas.core.workflow import Workflow
from kotacerdas.tenants.models import Tenant

test_apps = Apps()
test_apps.register_model("tenants", Tenant)
test_apps.register_model("accounts", User)


class Permit(models.Model):
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20, default="draft")
    title = models.CharField(max_length=50, default="")
    objects: ClassVar[models.Manager[Permit]] = models.Manager()

    class Meta:
        app_label = "lifecycle_tests"
        apps = test_apps

    def __str__(self) -> str:
        return self.title


class PermitEvent(LifecycleEvent):
    subject = models.ForeignKey(Permit, on_delete=models.CASCADE, related_name="events")
    objects: ClassVar[models.Manager[PermitEvent]] = models.Manager()

    class Meta(LifecycleEvent.Meta):
        app_label = "lifecycle_tests"
        apps = test_apps


PERMIT = Lifecycle(
    workflow=Workflow.build(
        "permit",
        [("submit", ["draft"], "submitted"), ("approve", ["submitted"], "approved")],
    ),
    event_model=PermitEvent,
)


def _create_tables() -> None:
    # Collected and run by hand: SQLite's schema editor refuses to open inside the test's
    # transaction (it wants to switch foreign-key checks off), but plain CREATE TABLE is fine.
    editor = connection.schema_editor(collect_sql=True)
    editor.deferred_sql = []  # what __enter__ would set up
    editor.create_model(Permit)
    editor.create_model(PermitEvent)
    with connection.cursor() as cursor:
        for statement in [*editor.collected_sql, *map(str, editor.deferred_sql)]:
            cursor.execute(statement.rstrip(";"))


def _drop_tables() -> None:
    with connection.schema_editor() as editor:
        editor.delete_model(PermitEvent)
        editor.delete_model(Permit)


@pytest.fixture
def permit_tables(db: Any) -> None:
    _create_tables()  # inside the test's transaction: rolled back with it


def test_transition_moves_the_state_applies_changes_and_writes_one_event(
    permit_tables: None, kota: Tenant, ani: User
) -> None:
    permit = Permit.objects.create(tenant=kota)
    moved = transition(
        permit,
        "submit",
        lifecycle=PERMIT,
        actor=ani,
        note="lengkap",
        public=True,
        data={"pages": 3},
        changes={"title": "Izin keramaian"},
    )
    assert moved.status == "submitted"
    assert permit.status == "draft"  # the caller's instance is left alone
    stored = Permit.objects.get(pk=permit.pk)
    assert (stored.status, stored.title) == ("submitted", "Izin keramaian")
    (event,) = stored.events.all()  # type: ignore[attr-defined]
    assert event == moved._last_event  # type: ignore[attr-defined]
    assert (event.action, event.from_state, event.to_state) == ("submit", "draft", "submitted")
    assert (event.tenant, event.actor, event.note, event.public) == (kota, ani, "lengkap", True)
    assert event.data == {"pages": 3}


def test_a_move_the_table_forbids_changes_nothing(
    permit_tables: None, kota: Tenant, ani: User
) -> None:
    permit = Permit.objects.create(tenant=kota)
    with pytest.raises(InvalidTransition):
        transition(permit, "approve", lifecycle=PERMIT, actor=ani, changes={"title": "x"})
    with pytest.raises(InvalidTransition):
        transition(permit, "teleport", lifecycle=PERMIT, actor=ani)
    stored = Permit.objects.get(pk=permit.pk)
    assert (stored.status, stored.title) == ("draft", "")
    assert not PermitEvent.objects.exists()


def test_the_table_is_checked_against_the_stored_state_not_the_callers_copy(
    permit_tables: None, kota: Tenant, ani: User
) -> None:
    permit = Permit.objects.create(tenant=kota)
    stale = Permit.objects.get(pk=permit.pk)
    transition(permit, "submit", lifecycle=PERMIT, actor=ani)
    # Someone else already submitted it: a second submit from the stale copy is refused.
    with pytest.raises(InvalidTransition):
        transition(stale, "submit", lifecycle=PERMIT, actor=ani)
    approved = transition(stale, "approve", lifecycle=PERMIT, actor=None)
    assert approved.status == "approved"
    assert list(PermitEvent.objects.values_list("from_state", "to_state", "actor")) == [
        ("draft", "submitted", ani.pk),
        ("submitted", "approved", None),
    ]


def test_record_writes_an_event_without_touching_the_state(
    permit_tables: None, kota: Tenant, dewi: User
) -> None:
    permit = Permit.objects.create(tenant=kota)
    event = record(permit, lifecycle=PERMIT, action="comment", actor=dewi, note="kapan?")
    assert (event.from_state, event.to_state, event.public) == ("", "", False)
    assert Permit.objects.get(pk=permit.pk).status == "draft"
    assert list(permit.events.values_list("action", flat=True)) == ["comment"]  # type: ignore[attr-defined]


# --- PostgreSQL: the lock holds one row only -------------------------------------------------


@pytest.fixture
def pg_permit_tables(serang_after_flush: Any) -> Iterator[None]:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    _create_tables()
    yield
    connections.close_all()
    _drop_tables()


def _insert_and_move_while(held: threading.Event, done: threading.Event, out: dict[str, Any]):  # type: ignore[no-untyped-def]
    """In another thread (its own connection): while the other permit's row is locked, insert
    a permit of the same tenant and move it. lock_timeout turns a wait into an error."""
    try:
        held.wait()
        tenant = Tenant.objects.get(region_id="36.73")
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '5s'")
            other = Permit.objects.create(tenant=tenant)
            out["moved"] = transition(other, "submit", lifecycle=PERMIT, actor=None).status
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '5s'")
            out["tenant_updated"] = Tenant.objects.filter(pk=tenant.pk).update(phone="0254")
        # The locked permit itself really is locked: NOWAIT fails at once.
        try:
            with transaction.atomic():
                Permit.objects.select_for_update(nowait=True).get(pk=out["locked_pk"])
        except OperationalError:
            out["first_was_locked"] = True
    except Exception as error:  # pragma: no cover - reported by the assertion below
        out["error"] = repr(error)
    finally:
        done.set()
        connections.close_all()


@pytest.mark.postgres
def test_a_locked_row_does_not_hold_up_other_rows_of_the_same_tenant(
    pg_permit_tables: None,
) -> None:
    tenant = Tenant.objects.get(region_id="36.73")
    first = Permit.objects.create(tenant=tenant)
    held, done = threading.Event(), threading.Event()
    out: dict[str, Any] = {"locked_pk": first.pk}
    worker = threading.Thread(target=_insert_and_move_while, args=(held, done, out))
    worker.start()
    with transaction.atomic():
        locked = lock(first)
        moved = transition(locked, "submit", lifecycle=PERMIT, actor=None)
        held.set()
        done.wait()
    worker.join()
    assert "error" not in out, out.get("error")
    assert out == {
        "locked_pk": first.pk,
        "moved": "submitted",
        "tenant_updated": 1,
        "first_was_locked": True,
    }
    assert moved.status == "submitted"
    assert Permit.objects.filter(status="submitted").count() == 2


@pytest.mark.postgres
def test_the_old_lock_with_select_related_held_up_the_tenant(pg_permit_tables: None) -> None:
    """Why the kit locks ``of self``: locking with the joined tenant blocks any tenant update."""
    tenant = Tenant.objects.get(region_id="36.73")
    first = Permit.objects.create(tenant=tenant)
    held, done = threading.Event(), threading.Event()
    out: dict[str, Any] = {}

    def update_tenant() -> None:
        try:
            held.wait()
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '200ms'")
                Tenant.objects.filter(pk=tenant.pk).update(phone="0254")
        except OperationalError:
            out["blocked"] = True
        finally:
            done.set()
            connections.close_all()

    worker = threading.Thread(target=update_tenant)
    worker.start()
    with transaction.atomic():
        Permit.objects.select_for_update().select_related("tenant").get(pk=first.pk)
        held.set()
        done.wait()
    worker.join()
    assert out == {"blocked": True}
