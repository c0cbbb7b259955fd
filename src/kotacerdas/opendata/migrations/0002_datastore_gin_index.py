"""On PostgreSQL, a GIN index (jsonb_path_ops) on the datastore rows, so that
``datastore_search`` filters (JSONB containment, ``data @> '{"col": value}'``) do not scan
every row of a large resource. SQLite has no such index; the filters still work there."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS opendata_row_data_gin "
            "ON opendata_datastorerow USING gin (data jsonb_path_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS opendata_row_data_gin")


class Migration(migrations.Migration):
    dependencies = [("opendata", "0001_catalogue")]

    operations = [migrations.RunPython(create, drop)]
