"""The portal and the staff pages through HTTP: who sees what, and the producer's flow."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kotacerdas.accounts.models import User
from kotacerdas.opendata.models import Dataset, DatasetStatus, ResourceVersion
from kotacerdas.tenants.models import Tenant
from tests.opendata.conftest import csv_bytes, make_dataset, publish_table

pytestmark = pytest.mark.django_db


def test_portal_and_dataset_page_show_published_data_only(client: Client, kota: Tenant) -> None:
    published, _r = publish_table(
        kota, title="Curah hujan bulanan", header=["bulan", "mm"], rows=[["Jan", 300], ["Feb", 250]]
    )
    draft = make_dataset(kota, title="Rahasia draf")
    page = client.get("/kota-serang/data/", {"q": "hujan"})
    assert page.status_code == 200 and "Curah hujan bulanan" in page.text
    assert "Rahasia draf" not in client.get("/kota-serang/data/").text
    detail = client.get(f"/kota-serang/data/dataset/{published.name}/")
    assert detail.status_code == 200 and "CC-BY" not in detail.text  # the licence's title is shown
    assert "Creative Commons Attribution 4.0" in detail.text and "datastore_search" in detail.text
    assert client.get(f"/kota-serang/data/dataset/{draft.name}/").status_code == 404
    assert client.get(f"/kabupaten-serang/data/dataset/{published.name}/").status_code == 404
    assert client.get("/kota-serang/data/statistik/").status_code == 200


def test_citra_and_dewi_get_404_on_kota_serang_staff_pages(
    client: Client, kota: Tenant, citra: User, dewi: User
) -> None:
    dataset = make_dataset(kota)
    for user in (citra, dewi):
        client.force_login(user)
        assert client.get("/kota-serang/data/kelola/").status_code == 404
        assert client.get(f"/kota-serang/data/kelola/{dataset.pk}/").status_code == 404
        assert (
            client.post(
                f"/kota-serang/data/kelola/{dataset.pk}/status/", {"action": "submit"}
            ).status_code
            == 404
        )


def test_another_opd_operator_cannot_change_a_dataset(
    client: Client, kota: Tenant, budi: User
) -> None:
    dataset = make_dataset(kota)
    client.force_login(budi)
    assert (
        client.get(f"/kota-serang/data/kelola/{dataset.pk}/").status_code == 200
    )  # staff may read
    response = client.post(
        f"/kota-serang/data/kelola/{dataset.pk}/metadata/",
        {"notes": "x", "license_id": "CC0-1.0", "frequency": "ANNUAL"},
    )
    assert response.status_code == 404
    assert Dataset.objects.get(pk=dataset.pk).license_id == "CC-BY-4.0"


def test_producer_creates_uploads_confirms_and_submits(
    client: Client, kota: Tenant, producer: User, walidata: User
) -> None:
    client.force_login(producer)
    response = client.post(
        "/kota-serang/data/kelola/baru/",
        {
            "title": "Kelahiran per kecamatan",
            "opd": producer.opd_id,
            "license_id": "CC-BY-4.0",
            "frequency": "ANNUAL",
            "groups": ["kependudukan"],
            "tags": "kelahiran, kecamatan",
        },
    )
    assert response.status_code == 302
    dataset = Dataset.objects.get(tenant=kota, title="Kelahiran per kecamatan")
    assert dataset.opd_id == producer.opd_id
    base = f"/kota-serang/data/kelola/{dataset.pk}"
    metadata = {
        "notes": "Jumlah kelahiran",
        "license_id": "CC-BY-4.0",
        "frequency": "MONTHLY",
        "sd_konsep": "Kelahiran",
        "sd_satuan": "jiwa",
        "keg_penyelenggara": "Disdukcapil",
    }
    assert client.post(f"{base}/metadata/", metadata).status_code == 302
    dataset.refresh_from_db()
    assert dataset.data_standard == {
        "konsep": "Kelahiran",
        "satuan": "jiwa",
    } and dataset.ms_keg == {"penyelenggara": "Disdukcapil"}
    assert (
        client.post(f"{base}/sumber/", {"name": "Kelahiran 2026", "format": "CSV"}).status_code
        == 302
    )
    resource = dataset.resources.get()
    bad = SimpleUploadedFile(
        "k.csv", csv_bytes(["kecamatan", "hp_pelapor"], [["Serang", "081234567890"]])
    )
    response = client.post(f"/kota-serang/data/kelola/sumber/{resource.pk}/unggah/", {"file": bad})
    assert response.status_code == 422 and "hp_pelapor" in response.text
    good = SimpleUploadedFile(
        "k.csv", csv_bytes(["kecamatan", "lahir"], [["Serang", 120], ["Kasemen", 80]])
    )
    assert (
        client.post(
            f"/kota-serang/data/kelola/sumber/{resource.pk}/unggah/", {"file": good, "note": "awal"}
        ).status_code
        == 302
    )
    version = ResourceVersion.objects.get(resource=resource)
    confirm = {
        "type-0": "string",
        "type-1": "integer",
        "title-1": "Kelahiran",
        "satuan-1": "jiwa",
        "pk": ["kecamatan"],
    }
    assert (
        client.post(f"/kota-serang/data/kelola/versi/{version.pk}/skema/", confirm).status_code
        == 302
    )
    version.refresh_from_db()
    assert (
        version.ready
        and version.schema["fields"][1]["satuan"] == "jiwa"
        and version.schema["primaryKey"] == ["kecamatan"]
    )
    assert client.post(f"{base}/status/", {"action": "approve"}).status_code == 404  # walidata only
    assert client.post(f"{base}/status/", {"action": "submit"}).status_code == 302
    client.force_login(walidata)
    assert client.post(f"{base}/status/", {"action": "approve"}).status_code == 302
    published = client.post(f"{base}/status/", {"action": "publish"})
    # The first publication gives the dataset its public id (services.publication); the
    # walidata is taken to the page under it.
    dataset = Dataset.objects.get(tenant=kota, name=dataset.name)
    assert dataset.status == DatasetStatus.PUBLISHED
    assert (
        published.status_code == 302
        and published["Location"] == f"/kota-serang/data/kelola/{dataset.pk}/"
    )
    base = f"/kota-serang/data/kelola/{dataset.pk}"

    # The producer's update waits for the walidata's release.
    client.force_login(producer)
    update = SimpleUploadedFile(
        "k.csv", csv_bytes(["kecamatan", "lahir"], [["Serang", 125], ["Kasemen", 80]])
    )
    assert (
        client.post(
            f"/kota-serang/data/kelola/sumber/{resource.pk}/unggah/", {"file": update}
        ).status_code
        == 302
    )
    v2 = ResourceVersion.objects.get(resource=resource, number=2)
    assert client.post(f"/kota-serang/data/kelola/versi/{v2.pk}/skema/", confirm).status_code == 302
    assert "menunggu persetujuan" in client.get(base + "/").text
    assert client.post(f"/kota-serang/data/kelola/versi/{v2.pk}/terbitkan/").status_code == 404
    client.force_login(walidata)
    assert client.post(f"/kota-serang/data/kelola/versi/{v2.pk}/terbitkan/").status_code == 302
    resource.refresh_from_db()
    assert resource.current_version_id == v2.pk and v2.pk
