"""Indexes led by the tenant (or its OPD) for a tenant's rows of a period, built without
blocking writes on PostgreSQL (issue #12 item 5, issue #13 item 3)."""

from django.db import migrations, models

from kotacerdas.core.migration_operations import AddIndexOnline


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [("complaints", "0005_config_version")]

    operations = [
        AddIndexOnline(
            model_name="complaint",
            index=models.Index(
                fields=["tenant", "created_at", "id"], name="complaint_tenant_created_idx"
            ),
        ),
        AddIndexOnline(
            model_name="complaint",
            index=models.Index(
                fields=["tenant", "resolved_at"],
                include=["created_at", "reopen_count", "rating", "id"],
                name="complaint_resolved_idx",
            ),
        ),
        AddIndexOnline(
            model_name="disposition",
            index=models.Index(
                fields=["opd", "created_at"],
                include=["first_response_at", "response_due", "id"],
                name="disposition_opd_created_idx",
            ),
        ),
    ]
