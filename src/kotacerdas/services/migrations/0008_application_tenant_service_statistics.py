"""Extended statistics on applications: a service belongs to one tenant, so the selectivities of
``tenant_id = …`` and ``service_id IN (…)`` are not independent. Without this PostgreSQL
multiplies them, expects a few dozen of a large tenant's open applications for the desk instead
of thousands, and sorts them all instead of reading ``application_open_sla_idx`` in order
(docs/benchmarks.md, "National scale"). PostgreSQL only; nothing on SQLite."""

from typing import Any

from django.db import migrations

NAME = "application_tenant_service"


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE STATISTICS IF NOT EXISTS {NAME} (dependencies) "
            "ON tenant_id, service_id FROM services_application"
        )
        schema_editor.execute("ANALYZE services_application")


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP STATISTICS IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("services", "0007_application_period_indexes")]

    operations = [migrations.RunPython(create, drop)]
