"""The dataset workflow, who may act, the audit trail, and "Citra cannot see it"."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from kotacerdas.accounts.models import User
from kotacerdas.core.errors import DomainError, InvalidTransition, PermissionDenied
from kotacerdas.opendata import services
from kotacerdas.opendata.access import access_dataset, access_resource, access_version
from kotacerdas.opendata.models import (
    Dataset,
    DatasetEvent,
    DatasetStatus,
    DownloadCount,
    Resource,
)
from kotacerdas.tenants.models import Tenant
from tests.opendata.conftest import csv_bytes, make_dataset, publish_table, xlsx_bytes

pytestmark = pytest.mark.django_db

HEADER = ["kode_kecamatan", "kecamatan", "jenis_kelamin", "jumlah"]
ROWS: list[list[str | int]] = [
    ["36.73.01", "Serang", "L", 110211],
    ["36.73.01", "Serang", "P", 108734],
    ["36.73.02", "Kasemen", "L", 50123],
    ["36.73.02", "Kasemen", "P", 49012],
]


def test_disdukcapil_scenario_nik_blocked_fixed_published_then_version_two(
    kota: Tenant, producer: User, walidata: User
) -> None:
    dataset = make_dataset(
        kota, title="Penduduk menurut kecamatan dan jenis kelamin", groups=["kependudukan"]
    )
    resource = services.resource_create(
        dataset=dataset, actor=producer, name="Penduduk 2026", format="XLSX"
    )
    planted: list[list[str | int]] = [*ROWS, ["36.73.03", "Cipocok Jaya", "L", "3673031505880002"]]
    with pytest.raises(services.PersonalDataFound) as caught:
        services.version_upload(
            resource=resource,
            actor=producer,
            content=xlsx_bytes(HEADER, planted),
            filename="penduduk.xlsx",
        )
    assert caught.value.cells == [{"row": 6, "column": "jumlah", "kind": "nik"}]
    with pytest.raises(DomainError):
        services.dataset_transition(dataset=dataset, action="submit", actor=producer)

    fixed = services.version_upload(
        resource=resource,
        actor=producer,
        content=xlsx_bytes(HEADER, ROWS),
        filename="penduduk.xlsx",
    )
    assert fixed.number == 1
    schema = {**fixed.schema, "primaryKey": ["kode_kecamatan", "jenis_kelamin"]}
    services.version_confirm(version=fixed, actor=producer, schema=schema)
    dataset = services.dataset_transition(dataset=dataset, action="submit", actor=producer)
    with pytest.raises(PermissionDenied):
        services.dataset_transition(dataset=dataset, action="approve", actor=producer)
    dataset = services.dataset_transition(dataset=dataset, action="approve", actor=walidata)
    dataset = services.dataset_transition(dataset=dataset, action="publish", actor=walidata)
    assert dataset.status == DatasetStatus.PUBLISHED and dataset.published_at

    v2_rows: list[list[str | int]] = [
        *ROWS[:3],
        ["36.73.02", "Kasemen", "P", 49500],
        ["36.73.03", "Cipocok Jaya", "L", 52000],
    ]
    v2 = services.version_upload(
        resource=resource,
        actor=producer,
        content=xlsx_bytes(HEADER, v2_rows),
        filename="penduduk-2.xlsx",
        note="Pemutakhiran semester II",
    )
    services.version_confirm(version=v2, actor=producer, schema=schema)
    # A producer's update of published data waits for the walidata: the public still sees v1.
    resource.refresh_from_db()
    assert resource.current_version == fixed
    with pytest.raises(Http404):
        access_version(AnonymousUser(), resource.pk, 2, tenant=kota)
    with pytest.raises(PermissionDenied):
        services.version_publish(version=v2, actor=producer)
    services.version_publish(version=v2, actor=walidata)
    v2.refresh_from_db()
    resource.refresh_from_db()
    assert resource.current_version == v2
    assert v2.number == 2 and v2.diff == {"added": 1, "removed": 0, "changed": 1}
    assert access_version(AnonymousUser(), resource.pk, 1, tenant=kota) == fixed  # still citable
    trail = list(dataset.events.values_list("action", "actor__username"))
    assert ("submit", "disdukcapil-kota") in trail and ("publish", "admin-kota") in trail
    assert ("version_pending", "disdukcapil-kota") in trail
    assert trail[-1] == ("version", "admin-kota")


def test_return_and_withdraw_need_a_reason(kota: Tenant, walidata: User) -> None:
    dataset, _resource = publish_table(
        kota, title="Jalan rusak", header=["ruas", "panjang"], rows=[["A", 1]], opd="DPUPR"
    )
    with pytest.raises(DomainError) as caught:
        services.dataset_transition(dataset=dataset, action="withdraw", actor=walidata)
    assert caught.value.code == "note_required"
    dataset = services.dataset_transition(
        dataset=dataset, action="withdraw", actor=walidata, note="Data keliru"
    )
    assert dataset.status == DatasetStatus.WITHDRAWN
    assert dataset.events.last().note == "Data keliru"  # type: ignore[union-attr]
    with pytest.raises(InvalidTransition):
        services.dataset_transition(dataset=dataset, action="approve", actor=walidata)


def test_first_publication_gives_a_new_id_that_a_republication_keeps(
    kota: Tenant, walidata: User
) -> None:
    draft, resource = publish_table(
        kota,
        title="Draf lama",
        header=["a"],
        rows=[[1]],
        groups=["kependudukan"],
        tags=["penduduk"],
        spatial=["36.73"],
        actions=("submit", "approve"),
    )
    # Every table that refers to a dataset follows it to its new id.
    assert {r.related_model for r in Dataset._meta.related_objects} == {
        Resource,
        DatasetEvent,
        DownloadCount,
    }
    assert {f.name for f in Dataset._meta.many_to_many} == {"groups", "tags", "spatial_regions"}
    published = services.dataset_transition(dataset=draft, action="publish", actor=walidata)
    assert published.pk > draft.pk  # time-ordered: after every dataset published before it
    assert not Dataset.objects.filter(pk=draft.pk).exists()
    moved = Dataset.objects.get(pk=published.pk)
    assert [r.pk for r in moved.resources.all()] == [resource.pk]
    assert [g.name for g in moved.groups.all()] == ["kependudukan"]
    assert [t.name for t in moved.tags.all()] == ["penduduk"]
    assert [r.code for r in moved.spatial_regions.all()] == ["36.73"]
    assert [e.action for e in moved.events.order_by("pk")] == [
        "create",
        "resource_add",
        "version",
        "submit",
        "approve",
        "publish",
    ]
    withdrawn = services.dataset_transition(
        dataset=published, action="withdraw", actor=walidata, note="Data keliru"
    )
    again = services.dataset_transition(dataset=withdrawn, action="publish", actor=walidata)
    assert again.pk == published.pk  # once public, the id never changes


def test_producer_of_another_opd_cannot_submit(kota: Tenant, budi: User) -> None:
    dataset = make_dataset(kota)
    resource = services.resource_create(dataset=dataset, actor=None, name="t", format="CSV")
    v = services.version_upload(
        resource=resource, actor=None, content=csv_bytes(["a"], [[1]]), filename="a.csv"
    )
    services.version_confirm(version=v, actor=None)
    with pytest.raises(PermissionDenied):
        services.dataset_transition(dataset=dataset, action="submit", actor=budi)


def test_citra_cannot_see_kota_serang_drafts_and_dewi_sees_only_published(
    kota: Tenant, citra: User, dewi: User, budi: User
) -> None:
    draft = make_dataset(kota, title="Draf rahasia")
    published, resource = publish_table(kota, title="Terbit", header=["a"], rows=[[1]])
    with pytest.raises(Http404):
        access_dataset(citra, draft.pk, tenant=kota)
    with pytest.raises(Http404):
        access_dataset(dewi, draft.pk, tenant=kota)
    assert access_dataset(budi, draft.pk, tenant=kota) == draft  # staff of the tenant may read
    with pytest.raises(Http404):
        access_dataset(budi, draft.pk, tenant=kota, for_write=True)  # but not change another OPD's
    assert access_dataset(dewi, published.pk, tenant=kota) == published
    assert access_resource(dewi, resource.pk, tenant=kota) == resource
    with pytest.raises(Http404):
        access_dataset(citra, published.pk, tenant=kota, for_write=True)
    with pytest.raises(Http404):
        access_dataset(dewi, "not-a-uuid", tenant=kota)
