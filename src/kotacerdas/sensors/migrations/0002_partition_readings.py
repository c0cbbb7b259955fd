"""On PostgreSQL, make ``sensors_reading`` a table partitioned by month on ``ts`` (native
declarative partitioning), with partitions for last month to three months ahead. Later months
are created ahead by ``kotacerdas manage_sensor_partitions`` (scheduled daily), which also drops
partitions older than the retention. SQLite keeps the one plain table."""

import datetime as dt

from django.db import migrations


def _month(d: dt.date, add: int) -> dt.date:
    index = d.year * 12 + d.month - 1 + add
    return dt.date(index // 12, index % 12 + 1, 1)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    today = dt.datetime.now(dt.UTC).date()
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP TABLE sensors_reading")
        cursor.execute(
            "CREATE TABLE sensors_reading ("
            " device_id bigint NOT NULL, quantity varchar(20) NOT NULL,"
            " ts timestamptz NOT NULL, value double precision NOT NULL,"
            " PRIMARY KEY (device_id, quantity, ts)"
            ") PARTITION BY RANGE (ts)"
        )
        for add in range(-1, 4):
            start, end = _month(today, add), _month(today, add + 1)
            cursor.execute(
                f"CREATE TABLE sensors_reading_p{start:%Y%m} PARTITION OF sensors_reading "
                f"FOR VALUES FROM ('{start.isoformat()}') TO ('{end.isoformat()}')"
            )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP TABLE sensors_reading")
        cursor.execute(
            "CREATE TABLE sensors_reading ("
            " device_id bigint NOT NULL, quantity varchar(20) NOT NULL,"
            " ts timestamptz NOT NULL, value double precision NOT NULL,"
            " PRIMARY KEY (device_id, quantity, ts))"
        )


class Migration(migrations.Migration):
    dependencies = [("sensors", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
