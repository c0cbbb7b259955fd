"""Indexes led by the tenant for a tenant's applications of a period (the dashboard's figures)
and its open applications by deadline (the desk), built without blocking writes on PostgreSQL
(issue #12 item 5, issue #13 item 3)."""

from django.db import migrations, models

from kotacerdas.core.migration_operations import AddIndexOnline


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [("services", "0006_result_signature")]

    operations = [
        AddIndexOnline(
            model_name="application",
            index=models.Index(
                fields=["tenant", "sla_deadline", "id"],
                condition=models.Q(
                    status__in=["submitted", "in_verification", "needs_revision", "in_process", "ready"]
                ),
                name="application_open_sla_idx",
            ),
        ),
        AddIndexOnline(
            model_name="application",
            index=models.Index(fields=["tenant", "submitted_at"], name="application_submitted_idx"),
        ),
        AddIndexOnline(
            model_name="application",
            index=models.Index(
                fields=["tenant", "status", "completed_at"],
                include=["submitted_at", "sla_deadline", "id"],
                name="application_completed_idx",
            ),
        ),
    ]
