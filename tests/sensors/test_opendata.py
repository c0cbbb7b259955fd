"""The sensor open dataset: daily min/mean/max per device and quantity from the rollups,
published through the open-data app's hook like every automatic dataset."""

from __future__ import annotations

import datetime as dt

import pytest

from kotacerdas.opendata import platform, services
from kotacerdas.opendata.models import DatasetStatus, DatastoreRow
from kotacerdas.sensors import opendata
from kotacerdas.sensors.ingestion import RawReading, ingest
from tests.sensors.conftest import NOW

pytestmark = pytest.mark.django_db


def test_daily_rollups_are_published_as_open_data(kota, post, frozen):  # type: ignore[no-untyped-def]
    yesterday = NOW.replace(hour=0) - dt.timedelta(days=1)
    ingest(
        [
            RawReading(post.device.pk, "water_level", value, yesterday + dt.timedelta(hours=h))
            for h, value in [(1, 100.0), (5, 130.0), (9, 160.0)]
        ]
        # Today's bucket is still filling and battery is device health: neither is published.
        + [
            RawReading(post.device.pk, "water_level", 170.0, NOW - dt.timedelta(minutes=5)),
            RawReading(post.device.pk, "battery", 80, yesterday + dt.timedelta(hours=2)),
        ]
    )
    (table,) = opendata.tables(kota)
    assert table.opd_acronym == "BPBD"
    names = [c.name for c in table.columns]
    assert [dict(zip(names, row, strict=True)) for row in table.rows] == [
        {
            "kode_perangkat": post.device.uid,
            "perangkat": "Pos Cibanten Kaujon",
            "jenis": "Tinggi muka air",
            "opd": "BPBD",
            "kelurahan": "",
            "contoh": False,
            "besaran": "water_level",
            "satuan": "cm",
            "tanggal": f"{yesterday:%Y-%m-%d}",
            "jumlah_bacaan": 3,
            "minimum": 100.0,
            "rata_rata": 130.0,
            "maksimum": 160.0,
        }
    ]

    # Through the hook, with every other app's automatic tables, and published.
    (hooked,) = [t for t in platform.tables_for(kota, today=NOW.date()) if t.key == table.key]
    dataset, created = services.platform_dataset_publish(tenant=kota, table=hooked)
    assert created
    assert dataset.status == DatasetStatus.PUBLISHED
    assert DatastoreRow.objects.filter(version__resource__dataset=dataset).count() == 1
    assert services.platform_dataset_publish(tenant=kota, table=hooked)[1] is False


def test_another_tenants_devices_are_not_in_the_dataset(kab, post, frozen):  # type: ignore[no-untyped-def]
    ingest([RawReading(post.device.pk, "water_level", 100.0, NOW - dt.timedelta(days=1))])
    assert opendata.tables(kab)[0].rows == []
