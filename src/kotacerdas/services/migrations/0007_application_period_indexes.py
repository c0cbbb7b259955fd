"""Indexes for a tenant's applications of a period (the dashboard's figures), built without
blocking writes on PostgreSQL (issue #13 item 3)."""

from django.db import migrations, models

from kotacerdas.core.migration_operations import AddIndexOnline


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [("services", "0006_result_signature")]

    operations = [
        AddIndexOnline(
            model_name="application",
            index=models.Index(fields=["tenant", "submitted_at"], name="application_submitted_idx"),
        ),
        AddIndexOnline(
            model_name="application",
            index=models.Index(
                fields=["tenant", "status", "completed_at"],
                include=["submitted_at", "sla_deadline"],
                name="application_completed_idx",
            ),
        ),
    ]
