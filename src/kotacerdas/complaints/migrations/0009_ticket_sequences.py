"""Ticket numbers from a PostgreSQL sequence per tenant and year (issue #12 item 3).

The counter row (``TicketCounter``) was locked from the numbering statement to COMMIT, so every
submission of a tenant waited for the one before it to reach the disk: 80 % of the busy
connections' time in the Open311 POST benchmark was that wait. ``nextval`` takes no row lock.
A number can now be skipped, but only when a submission fails after it was numbered (numbering
stays the transaction's last statement). A year's sequence is made on its first ticket and
continues from the year's counter, so the numbers given before this migration are never reused.
SQLite (one writer at a time) keeps the counter."""

from typing import Any

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION complaints_next_ticket(p_tenant bigint, p_year integer)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    seq text := format('complaints_ticket_%s_%s', p_tenant, p_year);
    first bigint;
BEGIN
    IF to_regclass(seq) IS NULL THEN
        SELECT COALESCE(MAX(last), 0) + 1 INTO first FROM complaints_ticketcounter
            WHERE tenant_id = p_tenant AND year = p_year;
        BEGIN
            EXECUTE format('CREATE SEQUENCE %I START %s', seq, first);
        EXCEPTION WHEN duplicate_table OR unique_violation THEN
            NULL;  -- another submission made it first
        END;
    END IF;
    RETURN nextval(seq);
END
$$;
"""


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION, params=None)  # its % are not placeholders


def drop(apps: Any, schema_editor: Any) -> None:
    """Back to the counter: each year's counter continues from its sequence."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relkind = 'S' AND relname LIKE 'complaints\\_ticket\\_%'"
        )
        for (name,) in cursor.fetchall():
            tenant, year = name.rsplit("_", 2)[1:]
            cursor.execute(f'SELECT last_value, is_called FROM "{name}"')  # noqa: S608 - a catalogue name
            last, called = cursor.fetchone()
            cursor.execute(  # a deleted tenant's sequence just goes
                "INSERT INTO complaints_ticketcounter (tenant_id, year, last)"
                " SELECT id, %s, %s FROM tenants_tenant WHERE id = %s"
                " ON CONFLICT (tenant_id, year) DO UPDATE SET last = EXCLUDED.last",
                [int(year), last if called else last - 1, int(tenant)],
            )
            cursor.execute(f'DROP SEQUENCE "{name}"')
    schema_editor.execute("DROP FUNCTION complaints_next_ticket(bigint, integer)")


class Migration(migrations.Migration):
    dependencies = [("complaints", "0008_photo_pending")]

    operations = [migrations.RunPython(create, drop)]
