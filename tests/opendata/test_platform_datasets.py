"""The platform's own statistics as open datasets: every automatic dataset is published, an
unchanged table adds no version, and no value in any of them identifies a person."""

from __future__ import annotations

import datetime as dt
from importlib import import_module

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from kotacerdas.accounts.models import User
from kotacerdas.opendata import pii, platform, services
from kotacerdas.opendata.models import Dataset, DatasetStatus, DatastoreRow
from kotacerdas.tenants.models import Tenant
from tests.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

DEMO_APPS = ["complaints", "services", "emergency", "planning", "spbe"]


@pytest.fixture
def demo_data(kota: Tenant, kab: Tenant) -> None:
    """The other modules' demo data, exactly as ``setup --demo`` makes it."""
    for app in DEMO_APPS:
        import_module(f"kotacerdas.{app}.demo").load_demo(password=DEMO_PASSWORD)


def test_small_cells_are_suppressed_with_every_figure_of_their_row() -> None:
    table = platform.PlatformTable(
        key="uji",
        title="uji",
        notes="",
        opd_acronym="Diskominfo",
        columns=[
            platform.Column("kecamatan", "string"),
            platform.Column("jumlah", "integer"),
            platform.Column("median_jam", "number"),
        ],
        rows=[["A", 12, 5.5], ["B", 3, 1.0], ["C", 0, None]],
        primary_key=["kecamatan"],
        count_columns=["jumlah"],
    )
    platform.suppress(table, threshold=5)
    assert table.rows == [["A", 12, 5.5, False], ["B", None, None, True], ["C", 0, None, False]]


def test_every_automatic_dataset_is_published_and_identifies_no_one(
    kota: Tenant, demo_data: None, capsys: pytest.CaptureFixture[str]
) -> None:
    """One test (the demo data is slow to load): the command, idempotence, then every cell."""
    today = timezone.localdate()
    keys = {t.key for t in platform.tables_for(kota, today=today)}
    assert {
        "aduan-per-opd-bulan",
        "aduan-per-kecamatan-bulan",
        "aduan-per-kategori-bulan",
        "layanan-per-bulan",
        "panggilan-112-per-bulan",
        "insiden-112-per-kecamatan-bulan",
        "insiden-112-per-jenis-bulan",
        "indeks-spbe-per-tahun",
    } <= keys
    call_command("publish_platform_datasets", "--tenant", "kota-serang")
    assert "aduan-per-opd-bulan" in capsys.readouterr().out
    assert not Dataset.objects.filter(tenant=kota, platform_key__in=keys).exists()
    call_command("publish_platform_datasets", "--tenant", "kota-serang", "--commit")
    published = Dataset.objects.filter(tenant=kota, platform_key__in=keys)
    assert {d.status for d in published} == {DatasetStatus.PUBLISHED}
    assert published.count() == len(keys)
    # Idempotent: the scheduled command run again adds no version.
    call_command("publish_platform_datasets", "--tenant", "kota-serang", "--commit")
    out = capsys.readouterr().out
    assert out.count("tidak berubah") == len(keys), out
    table = platform.tables_for(kota, today=today)[0]
    assert services.platform_dataset_publish(tenant=kota, table=table)[1] is False

    people = set()
    for user in User.objects.all():
        people |= {
            v.strip().lower()
            for v in (user.full_name, user.email, user.phone or "", user.username)
            if v and len(v.strip()) >= 4
        }
    threshold = 5
    checked_cells = 0
    for dataset in Dataset.objects.filter(tenant=kota, platform_key__in=keys).prefetch_related(
        "resources"
    ):
        (resource,) = dataset.resources.all()
        version = resource.current_version
        assert version is not None
        schema = version.schema
        columns = [f["name"] for f in schema["fields"]]
        count_columns = [
            f["name"]
            for f in schema["fields"]
            if f.get("satuan") in {"aduan", "permohonan", "panggilan", "insiden"}
        ]
        rows = list(
            DatastoreRow.objects.filter(version=version)
            .order_by("row_number")
            .values_list("row_number", "data")
        )
        findings, total = pii.scan_rows(columns, ((n + 1, d) for n, d in rows))
        assert total == 0, (dataset.name, findings)
        for _n, data in rows:
            for column in count_columns:
                value = data[column]
                assert value is None or value == 0 or value >= threshold, (dataset.name, data)
                if value is None:
                    assert data["disamarkan"] is True
            for value in data.values():
                checked_cells += 1
                assert str(value).strip().lower() not in people, (dataset.name, value)
    assert checked_cells > 50


def test_months_are_whole_months_in_the_tenants_zone(kota: Tenant) -> None:
    months = platform._months(kota, 2, dt.date(2026, 3, 15))
    assert [m for m, _s, _e in months] == ["2026-01", "2026-02"]
    assert months[1][2].isoformat() == "2026-03-01T00:00:00+07:00"


def test_incidents_per_kind_and_month_against_a_hand_count(kota: Tenant) -> None:
    """Six fires and one flood in April 2026, and a prank call that opens nothing: the table
    holds every kind seen in the last 12 whole months, each month, with the flood suppressed."""
    import time_machine

    from kotacerdas.emergency import services as desk
    from kotacerdas.emergency.models import IncidentCategory
    from kotacerdas.regions.models import Region

    taker = User.objects.get(username="calltaker-kota")
    kinds = {
        code: IncidentCategory.objects.get_or_create(
            tenant=kota, code=code, defaults={"name": name}
        )[0]
        for code, name in [("kebakaran", "Kebakaran"), ("banjir", "Banjir")]
    }
    kelurahan = Region.objects.get(code="36.73.06.1001")
    with time_machine.travel(dt.datetime(2026, 4, 10, 9, tzinfo=dt.UTC), tick=False):
        for i, code in enumerate(["kebakaran"] * 6 + ["banjir"]):
            desk.call_log(
                tenant=kota,
                taker=taker,
                caller_number=f"08127777{i:04d}",
                call_type="normal",
                incident=desk.IncidentData(
                    category=kinds[code],
                    kelurahan=kelurahan,
                    landmark="Dekat pasar",
                    description="Uji",
                    people_involved="",
                ),
            )
        desk.call_log(tenant=kota, taker=taker, caller_number="081277779999", call_type="prank")
    (table,) = platform.incidents_per_kind_month(kota, dt.date(2026, 5, 15))
    platform.suppress(table, threshold=5)
    assert len(table.rows) == 2 * 12
    by_key = {(r[0], r[2]): r[3:] for r in table.rows}
    assert by_key[("kebakaran", "2026-04")] == [6, 6, False]
    assert by_key[("banjir", "2026-04")] == [None, None, True]
    assert by_key[("kebakaran", "2026-03")] == [0, 0, False]
    assert {m for _k, m in by_key} == {f"2025-{m:02d}" for m in range(5, 13)} | {
        f"2026-{m:02d}" for m in range(1, 5)
    }
    # One language per column, whoever builds the table: the kind's Indonesian name.
    IncidentCategory.objects.filter(tenant=kota, code="kebakaran").update(name_en="Fire")
    with translation.override("en"):
        (english,) = platform.incidents_per_kind_month(kota, dt.date(2026, 5, 15))
    assert {(r[0], r[1]) for r in english.rows} == {
        ("kebakaran", "Kebakaran"),
        ("banjir", "Banjir"),
    }
