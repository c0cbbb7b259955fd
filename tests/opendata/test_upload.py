"""Tabular uploads: schema inferred from every row, confirmed or corrected, loaded whole or not
at all; the personal-data scanner; versions with their diff."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import pytest

from kotacerdas.accounts.models import User
from kotacerdas.opendata import services
from kotacerdas.opendata.models import DatastoreRow, ResourceVersion
from kotacerdas.opendata.tabular import TableError
from kotacerdas.tenants.models import Tenant
from tests.opendata.conftest import csv_bytes, make_dataset, xlsx_bytes

pytestmark = pytest.mark.django_db


def _resource(kota: Tenant, fmt="CSV"):  # type: ignore[no-untyped-def]
    dataset = make_dataset(kota)
    return services.resource_create(dataset=dataset, actor=None, name="tabel", format=fmt)


def test_schema_is_inferred_from_all_rows_not_the_first_thousand(kota: Tenant) -> None:
    rows = [[i, i * 3] for i in range(1000)] + [["36.73.01", 7]]
    resource = _resource(kota)
    version = services.version_upload(
        resource=resource, actor=None, content=csv_bytes(["kode", "jumlah"], rows), filename="a.csv"
    )
    types = {f["name"]: f["type"] for f in version.schema["fields"]}
    assert types == {"kode": "string", "jumlah": "integer"}
    assert not version.ready
    services.version_confirm(version=version, actor=None)
    version.refresh_from_db()
    assert version.ready and version.row_count == 1001
    last = DatastoreRow.objects.get(version=version, row_number=1001)
    assert last.data == {"kode": "36.73.01", "jumlah": 7}


def test_a_corrected_schema_that_does_not_fit_names_the_row_and_column_and_loads_nothing(
    kota: Tenant, producer: User
) -> None:
    rows = [[i, i * 3] for i in range(1000)] + [["36.73.01", 7]]
    resource = _resource(kota)
    version = services.version_upload(
        resource=resource,
        actor=producer,
        content=csv_bytes(["kode", "jumlah"], rows),
        filename="a.csv",
    )
    wrong = {"fields": [{"name": "kode", "type": "integer"}, {"name": "jumlah", "type": "integer"}]}
    with pytest.raises(TableError) as caught:
        services.version_confirm(version=version, actor=producer, schema=wrong)
    # Row 1,002 of the file is data row 1,001 (the header is row 1).
    assert "baris 1002" in caught.value.message and "“kode”" in caught.value.message
    assert caught.value.cells[0] == {
        "row": 1002,
        "column": "kode",
        "value": "36.73.01",
        "expected": "integer",
    }
    version.refresh_from_db()
    assert not version.ready
    assert not DatastoreRow.objects.filter(version=version).exists()
    resource.refresh_from_db()
    assert resource.current_version is None


def test_the_producer_adds_the_data_dictionary_to_the_schema(kota: Tenant, producer: User) -> None:
    resource = _resource(kota)
    version = services.version_upload(
        resource=resource,
        actor=producer,
        content=csv_bytes(
            ["kecamatan", "penduduk"], [["Serang", 220000], ["Cipocok Jaya", 105000]]
        ),
        filename="p.csv",
    )
    schema = {
        "fields": [
            {
                "name": "kecamatan",
                "type": "string",
                "title": "Kecamatan",
                "klasifikasi": "Kode wilayah Kemendagri",
            },
            {
                "name": "penduduk",
                "type": "integer",
                "description": "Jumlah penduduk",
                "satuan": "jiwa",
            },
        ],
        "primaryKey": "kecamatan",
    }
    services.version_confirm(version=version, actor=producer, schema=schema)
    version.refresh_from_db()
    assert version.schema["fields"][1]["satuan"] == "jiwa"
    assert version.schema["primaryKey"] == ["kecamatan"]


@pytest.mark.parametrize("fmt,make", [("CSV", csv_bytes), ("XLSX", xlsx_bytes)])
def test_planted_nik_and_phone_numbers_block_the_upload_with_their_cells(
    kota: Tenant, fmt: str, make: Callable[[Sequence[str], Iterable[Sequence[Any]]], bytes]
) -> None:
    resource = _resource(kota, fmt)
    rows = [
        ["Serang", 120, "keterangan"],
        ["Kasemen", 80, 3673011203900001],  # a NIK stored as a number, as spreadsheets do
        ["Taktakan", 45, "hubungi 0812-3456-7890"],
        ["Curug", 12, "+62 812 1111 2222"],
        ["Walantaka", 9, "-"],
    ]
    with pytest.raises(services.PersonalDataFound) as caught:
        services.version_upload(
            resource=resource,
            actor=None,
            content=make(["kecamatan", "jumlah", "catatan"], rows),
            filename=f"x.{fmt.lower()}",
        )
    cells = {(c["row"], c["column"], c["kind"]) for c in caught.value.cells}
    assert cells == {(3, "catatan", "nik"), (4, "catatan", "telepon"), (5, "catatan", "telepon")}
    assert caught.value.status == 422
    assert not ResourceVersion.objects.filter(resource=resource).exists()


def test_names_next_to_addresses_and_emails_are_blocked(kota: Tenant) -> None:
    resource = _resource(kota)
    rows = [["Siti Aminah", "Jl. Ahmad Yani No. 5 RT 01/02", "ok"], ["Budi", "", "budi@contoh.id"]]
    with pytest.raises(services.PersonalDataFound) as caught:
        services.version_upload(
            resource=resource,
            actor=None,
            content=csv_bytes(["nama", "alamat", "surel"], rows),
            filename="x.csv",
        )
    kinds = {(c["row"], c["column"], c["kind"]) for c in caught.value.cells}
    assert (2, "nama", "nama_alamat") in kinds
    assert (3, "surel", "surel") in kinds
    assert (3, "nama", "nama_alamat") not in kinds  # no address on that row


def test_aggregates_with_region_codes_and_years_pass_the_scanner(kota: Tenant) -> None:
    resource = _resource(kota)
    rows = [
        ["36.73.01", "Serang", 2026, 220000, "0.5"],
        ["36.73.02", "Kasemen", 2026, 95000, "1.25"],
    ]
    version = services.version_upload(
        resource=resource,
        actor=None,
        content=csv_bytes(["kode_kecamatan", "kecamatan", "tahun", "penduduk", "laju"], rows),
        filename="ok.csv",
    )
    assert version.pk


def test_each_upload_is_a_new_version_with_a_diff(kota: Tenant, producer: User) -> None:
    resource = _resource(kota)
    header = ["kecamatan", "penduduk"]
    v1 = services.version_upload(
        resource=resource,
        actor=producer,
        content=csv_bytes(header, [["A", 1], ["B", 2], ["C", 3]]),
        filename="v1.csv",
    )
    services.version_confirm(
        version=v1, actor=producer, schema={**v1.schema, "primaryKey": ["kecamatan"]}
    )
    v2 = services.version_upload(
        resource=resource,
        actor=producer,
        content=csv_bytes(header, [["A", 1], ["B", 20], ["D", 4], ["E", 5]]),
        filename="v2.csv",
        note="Data semester II",
    )
    services.version_confirm(
        version=v2, actor=producer, schema={**v2.schema, "primaryKey": ["kecamatan"]}
    )
    v2.refresh_from_db()
    resource.refresh_from_db()
    assert v2.number == 2 and resource.current_version == v2
    assert v2.diff == {"added": 2, "removed": 1, "changed": 1}
    assert DatastoreRow.objects.filter(version=v1).count() == 3  # v1 stays citable


def test_phone_numbers_keep_their_leading_zero_for_the_scanner_and_column_words_count(
    kota: Tenant,
) -> None:
    # "081234567890" would be inferred as the integer 81234567890; the scan reads the text.
    resource = _resource(kota)
    rows = [["Serang", "081234567890", "Siti"], ["Kasemen", "-", ""]]
    with pytest.raises(services.PersonalDataFound) as caught:
        services.version_upload(
            resource=resource,
            actor=None,
            content=csv_bytes(["kecamatan", "hp_pelapor", "namaLengkap"], rows),
            filename="x.csv",
        )
    assert {(c["row"], c["column"]) for c in caught.value.cells} == {(2, "hp_pelapor")}


def test_place_and_office_names_are_not_people(kota: Tenant) -> None:
    resource = _resource(kota)
    rows = [["Serang", "Puskesmas Serang Kota", "Jl. Ahmad Yani No. 1", 12]]
    version = services.version_upload(
        resource=resource,
        actor=None,
        content=csv_bytes(["nama_kecamatan", "nama_puskesmas", "alamat_kantor", "jumlah"], rows),
        filename="ok.csv",
    )
    assert version.pk
