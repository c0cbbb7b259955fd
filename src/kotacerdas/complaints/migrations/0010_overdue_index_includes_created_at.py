"""The overdue index also holds created_at, so that the command centre's "overdue now" of a
period that has ended (open complaints received before its end) is counted from the index
alone (issue #13 item 5). Built without blocking writes on PostgreSQL, then the old index,
whose columns lead the new one, is dropped."""

from django.db import migrations, models

from kotacerdas.core.migration_operations import AddIndexOnline


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [("complaints", "0009_ticket_sequences")]

    operations = [
        AddIndexOnline(
            model_name="complaint",
            index=models.Index(
                fields=["tenant", "status", "due_at"],
                include=["created_at"],
                name="complaint_due_created_idx",
            ),
        ),
        migrations.RemoveIndex(model_name="complaint", name="complaint_due_idx"),
    ]
