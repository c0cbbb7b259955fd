"""The CKAN Action API, read through the official ``ckanapi`` client against a live server,
and a harvester's paging loop while datasets are being added."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator
from typing import Any

import ckanapi
import httpx
import pytest
from pytest_django import DjangoDbBlocker

from kotacerdas.opendata.models import Dataset, Group, Tag
from kotacerdas.tenants.models import Tenant
from tests.conftest import load_serang
from tests.opendata.conftest import make_dataset, publish_table
from tests.opendata.live import live_server

PREFIX = "ckan-uji-"


def _cleanup() -> None:
    for tenant in Tenant.objects.filter(region_id__in=["36.73", "36.04"]):
        Dataset.objects.filter(tenant=tenant, name__startswith=PREFIX).delete()
        Tag.objects.filter(tenant=tenant, datasets__isnull=True).delete()


@pytest.fixture(scope="module")
def portal(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[dict[str, Any]]:
    with django_db_blocker.unblock():
        if not Tenant.objects.filter(region_id="36.73").exists():
            # A transactional test earlier on this worker flushed the session's set-up.
            load_serang()
        _cleanup()
        kota = Tenant.objects.get(region_id="36.73")
        kab = Tenant.objects.get(region_id="36.04")
        population, table = publish_table(
            kota,
            title="Penduduk per kecamatan",
            name=PREFIX + "penduduk",
            header=["kode", "kecamatan", "jenis_kelamin", "jumlah"],
            rows=[
                ["36.73.01", "Serang", "L", 110211],
                ["36.73.01", "Serang", "P", 108734],
                ["36.73.02", "Kasemen", "L", 50123],
                ["36.73.02", "Kasemen", "P", 49012],
                ["36.73.03", "Walantaka", "L", 48001],
            ],
            groups=["kependudukan", "smart-society"],
            tags=["penduduk", "kecamatan"],
        )
        roads, _r = publish_table(
            kota,
            title="Panjang jalan kota",
            name=PREFIX + "jalan",
            header=["ruas", "panjang_km"],
            rows=[["Jl. Ahmad Yani", 3.2]],
            opd="DPUPR",
            groups=["infrastruktur"],
            tags=["jalan"],
        )
        make_dataset(kota, title="Draf belum terbit", name=PREFIX + "draf")
        publish_table(kab, title="Data kabupaten", name=PREFIX + "kab", header=["a"], rows=[[1]])
        with live_server() as url:
            yield {
                "url": url,
                "kota": kota,
                "population": population,
                "roads": roads,
                "table": table,
                "ckan": ckanapi.RemoteCKAN(f"{url}/kota-serang"),
            }
        _cleanup()


def ours(names: list[str]) -> list[str]:
    return [n for n in names if n.startswith(PREFIX)]


def test_site_read_and_status_show(portal: dict[str, Any]) -> None:
    ckan = portal["ckan"]
    assert ckan.action.site_read() is True
    status = ckan.action.status_show()
    assert status["ckan_version"].startswith("2.") and "datastore" in status["extensions"]


def test_package_list_shows_published_datasets_of_this_tenant_only(portal: dict[str, Any]) -> None:
    names = ours(portal["ckan"].action.package_list())
    assert names == [PREFIX + "jalan", PREFIX + "penduduk"]


def test_package_show_by_name_and_id_with_resources_versions_and_dictionary(
    portal: dict[str, Any],
) -> None:
    ckan = portal["ckan"]
    by_name = ckan.action.package_show(id=PREFIX + "penduduk")
    by_id = ckan.action.package_show(id=by_name["id"])
    assert by_id["name"] == by_name["name"] == PREFIX + "penduduk"
    assert by_name["license_id"] == "CC-BY-4.0" and by_name["isopen"] is True
    assert by_name["organization"]["name"] == "disdukcapil"
    assert {t["name"] for t in by_name["tags"]} == {"penduduk", "kecamatan"}
    (resource,) = by_name["resources"]
    assert resource["datastore_active"] is True and resource["format"] == "CSV"
    assert [f["name"] for f in resource["schema"]["fields"]] == [
        "kode",
        "kecamatan",
        "jenis_kelamin",
        "jumlah",
    ]
    assert resource["versions"][0]["version"] == 1
    download = httpx.get(resource["url"])
    assert download.status_code == 200 and download.text.startswith("kode,kecamatan")
    with pytest.raises(ckanapi.NotFound):
        ckan.action.package_show(id=PREFIX + "draf")
    with pytest.raises(ckanapi.NotFound):
        ckan.action.package_show(id=PREFIX + "kab")


def test_package_search_with_q_fq_sort_and_facets(portal: dict[str, Any]) -> None:
    ckan = portal["ckan"]
    result = ckan.action.package_search(q="penduduk", rows=10)
    assert PREFIX + "penduduk" in [d["name"] for d in result["results"]]
    assert PREFIX + "jalan" not in [d["name"] for d in result["results"]]
    result = ckan.action.package_search(
        fq=f'organization:dpupr name:"{PREFIX}jalan"',
        **{"facet.field": '["organization","groups","tags","res_format"]'},
    )
    assert result["count"] == 1 and result["results"][0]["name"] == PREFIX + "jalan"
    assert result["facets"]["organization"] == {"dpupr": 1}
    assert result["facets"]["res_format"] == {"CSV": 1}
    assert result["search_facets"]["groups"]["items"][0]["name"] == "infrastruktur"
    result = ckan.action.package_search(fq="tags:penduduk", sort="name desc")
    assert ours([d["name"] for d in result["results"]]) == [PREFIX + "penduduk"]
    with pytest.raises(ckanapi.SearchQueryError):
        ckan.action.package_search(fq="nonsense_field:1")
    with pytest.raises(ckanapi.ValidationError):
        ckan.action.package_search(rows="many")


def test_current_package_list_with_resources(portal: dict[str, Any]) -> None:
    packages = portal["ckan"].action.current_package_list_with_resources(limit=100)
    mine = [p for p in packages if p["name"].startswith(PREFIX)]
    assert {p["name"] for p in mine} == {PREFIX + "penduduk", PREFIX + "jalan"}
    assert all(p["resources"] for p in mine)


def test_organizations(portal: dict[str, Any]) -> None:
    ckan = portal["ckan"]
    assert "disdukcapil" in ckan.action.organization_list()
    orgs = {o["name"]: o for o in ckan.action.organization_list(all_fields=True)}
    assert orgs["dpupr"]["package_count"] >= 1 and orgs["dpupr"]["is_organization"] is True
    org = ckan.action.organization_show(id="disdukcapil", include_datasets=True)
    assert PREFIX + "penduduk" in [p["name"] for p in org["packages"]]
    assert ckan.action.organization_show(id=org["id"])["name"] == "disdukcapil"
    with pytest.raises(ckanapi.NotFound):
        ckan.action.organization_show(id="tidak-ada")


def test_groups_and_tags(portal: dict[str, Any]) -> None:
    ckan = portal["ckan"]
    assert "kependudukan" in ckan.action.group_list()
    groups = {g["name"]: g for g in ckan.action.group_list(all_fields=True)}
    assert groups["kependudukan"]["package_count"] >= 1
    group = ckan.action.group_show(id="infrastruktur", include_datasets=True)
    assert PREFIX + "jalan" in [p["name"] for p in group["packages"]]
    assert Group.objects.filter(name="infrastruktur").exists()
    tags = ckan.action.tag_list()
    assert {"penduduk", "kecamatan", "jalan"} <= set(tags)


def test_resource_show_and_datastore_search(portal: dict[str, Any]) -> None:
    ckan = portal["ckan"]
    resource_id = str(portal["table"].pk)
    resource = ckan.action.resource_show(id=resource_id)
    assert resource["package_id"] == str(portal["population"].pk)
    result = ckan.action.datastore_search(
        resource_id=resource_id, filters={"kode": "36.73.01"}, sort="jumlah desc"
    )
    assert result["total"] == 2
    assert [r["jumlah"] for r in result["records"]] == [110211, 108734]
    assert [f["id"] for f in result["fields"]] == [
        "_id",
        "kode",
        "kecamatan",
        "jenis_kelamin",
        "jumlah",
    ]
    assert result["fields"][4]["type"] == "int"
    page = ckan.action.datastore_search(
        resource_id=resource_id, limit=2, offset=2, fields="kecamatan,jumlah"
    )
    assert page["total"] == 5 and page["records"] == [
        {"_id": 3, "kecamatan": "Kasemen", "jumlah": 50123},
        {"_id": 4, "kecamatan": "Kasemen", "jumlah": 49012},
    ]
    assert ckan.action.datastore_search(resource_id=resource_id, q="Walantaka")["total"] == 1
    assert (
        ckan.action.datastore_search(resource_id=resource_id, filters={"jumlah": "49012"})["total"]
        == 1
    )
    with pytest.raises(ckanapi.ValidationError):
        ckan.action.datastore_search(resource_id=resource_id, filters={"tidak_ada": 1})
    with pytest.raises(ckanapi.NotFound):
        ckan.action.datastore_search(resource_id="00000000-0000-0000-0000-000000000000")


def test_get_on_the_api_3_path_and_ckan_error_shapes(portal: dict[str, Any]) -> None:
    base = f"{portal['url']}/kota-serang/api/3/action"
    ok = httpx.get(f"{base}/package_show", params={"id": PREFIX + "jalan"})
    assert ok.status_code == 200 and ok.json()["success"] is True and "help" in ok.json()
    missing = httpx.get(f"{base}/package_show", params={"id": "tidak-ada"})
    assert missing.status_code == 404
    assert missing.json()["error"] == {"__type": "Not Found Error", "message": "Not found"}
    assert missing.json()["success"] is False
    unknown = httpx.get(f"{base}/package_delete")
    assert unknown.status_code == 400 and unknown.json()["success"] is False
    bad_body = httpx.post(
        f"{base}/package_search", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert bad_body.status_code == 400
    assert httpx.get(f"{portal['url']}/tidak-ada/api/3/action/site_read").status_code == 404
    help_url = ok.json()["help"]
    assert httpx.get(help_url).json()["success"] is True


def test_harvester_paging_sees_every_dataset_once_while_datasets_are_added(
    portal: dict[str, Any], django_db_blocker: DjangoDbBlocker
) -> None:
    """The loop of ckanext-harvest's CKAN harvester: pages of ``sort=id asc``, then an
    incremental run with ``fq=metadata_modified:[<last run> TO *]``."""
    ckan = portal["ckan"]
    kota = portal["kota"]
    started = dt.datetime.now(dt.UTC)
    with django_db_blocker.unblock():
        for i in range(7):
            publish_table(
                kota, title=f"Seri {i}", name=f"{PREFIX}seri-{i:02d}", header=["a"], rows=[[i]]
            )
    expected = set(ours(ckan.action.package_list()))
    seen: list[str] = []
    start, rows, added, previous_page = 0, 3, 0, None
    fq = f"metadata_created:[{started:%Y-%m-%dT%H:%M:%S.%f}Z TO *]"
    while True:
        page = ckan.action.package_search(fq=fq, sort="id asc", rows=rows, start=start)
        names = [d["name"] for d in page["results"]]
        assert names != previous_page, "two identical pages: a harvester would abort"
        previous_page = names
        if not names:
            break
        seen.extend(names)
        start += rows
        if added < 3:  # a producer publishes while the harvest runs
            with django_db_blocker.unblock():
                publish_table(
                    kota,
                    title=f"Baru {added}",
                    name=f"{PREFIX}baru-{added}",
                    header=["a"],
                    rows=[[added]],
                )
            added += 1
    assert len(seen) == len(set(seen)), "a dataset was harvested twice"
    since_start = {n for n in expected if n.startswith(PREFIX + "seri")} | {
        f"{PREFIX}baru-{i}" for i in range(3)
    }
    # Only this test's datasets: the window may also hold datasets other tests on this worker
    # published within the same second.
    assert set(ours(seen)) == since_start

    # Incremental run: only what changed since the last run.
    last_run = dt.datetime.now(dt.UTC)
    with django_db_blocker.unblock():
        changed = Dataset.objects.get(tenant=kota, name=f"{PREFIX}seri-03")
        Dataset.objects.filter(pk=changed.pk).update(
            modified_at=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)
        )
    page = ckan.action.package_search(
        fq=f"metadata_modified:[{last_run:%Y-%m-%dT%H:%M:%S.%f}Z TO *]", sort="id asc", rows=100
    )
    assert [d["name"] for d in page["results"]] == [f"{PREFIX}seri-03"]


@pytest.mark.parametrize("include_deleted", [False, True])
def test_harvester_reads_an_old_draft_published_mid_harvest_once(
    portal: dict[str, Any], django_db_blocker: DjangoDbBlocker, include_deleted: bool
) -> None:
    """An incremental harvest (``metadata_modified:[<last run> TO *]``, ``sort=id asc``) while
    the walidata publishes a draft that was created before the run: the draft enters the
    window, and it must come after the harvester's ``start``, not before it (where it would
    push the last dataset of the page already read onto the next page, and itself be
    skipped until the next run)."""
    from kotacerdas.opendata import services

    ckan = portal["ckan"]
    kota = portal["kota"]
    tag = f"draf-lama-{int(include_deleted)}"
    with django_db_blocker.unblock():
        draft, _resource = publish_table(
            kota,
            title="Draf lama",
            name=f"{PREFIX}{tag}",
            header=["a"],
            rows=[[0]],
            tags=[tag],
            actions=("submit", "approve"),
        )
    last_run = dt.datetime.now(dt.UTC)
    with django_db_blocker.unblock():
        for i in range(7):
            publish_table(
                kota,
                title=f"Seri {tag} {i}",
                name=f"{PREFIX}{tag}-{i:02d}",
                header=["a"],
                rows=[[i]],
                tags=[tag],
            )
    fq = f"tags:{tag} AND metadata_modified:[{last_run:%Y-%m-%dT%H:%M:%S.%f}Z TO *]"
    seen: list[str] = []
    start, rows = 0, 3
    while True:
        page = ckan.action.package_search(
            fq=fq, sort="id asc", rows=rows, start=start, include_deleted=include_deleted
        )
        ids = [d["id"] for d in page["results"]]
        assert ids == sorted(ids), "not in id order"
        if not ids:
            break
        seen.extend(d["name"] for d in page["results"])
        start += rows
        if start == rows:  # after the first page the walidata publishes the old draft
            with django_db_blocker.unblock():
                services.dataset_transition(dataset=draft, action="publish", actor=None)
    assert len(seen) == len(set(seen)), f"a dataset was harvested twice: {seen}"
    assert set(seen) == {f"{PREFIX}{tag}-{i:02d}" for i in range(7)} | {f"{PREFIX}{tag}"}
    assert seen[-1] == f"{PREFIX}{tag}", "the newly published draft comes last"


def test_harvester_paging_with_include_deleted_misses_nothing_while_datasets_are_withdrawn(
    portal: dict[str, Any], django_db_blocker: DjangoDbBlocker
) -> None:
    """After each page the walidata withdraws a dataset the harvester has already read. With
    ``include_deleted`` the withdrawn dataset keeps its place (in the "deleted" state), so the
    datasets after it do not move back past the harvester's ``start``."""
    from kotacerdas.opendata import services

    ckan = portal["ckan"]
    kota = portal["kota"]
    tag = "tarik"
    started = dt.datetime.now(dt.UTC)
    with django_db_blocker.unblock():
        for i in range(9):
            publish_table(
                kota,
                title=f"Tarik {i}",
                name=f"{PREFIX}{tag}-{i:02d}",
                header=["a"],
                rows=[[i]],
                tags=[tag],
            )
    fq = f"tags:{tag} AND metadata_created:[{started:%Y-%m-%dT%H:%M:%S.%f}Z TO *]"
    seen: list[dict[str, Any]] = []
    start, rows = 0, 2
    while True:
        page = ckan.action.package_search(
            fq=fq, sort="id asc", rows=rows, start=start, include_deleted=True
        )
        if not page["results"]:
            break
        seen.extend(page["results"])
        start += rows
        with django_db_blocker.unblock():
            first_read = Dataset.objects.get(pk=page["results"][0]["id"])
            if first_read.status == "published":
                services.dataset_transition(
                    dataset=first_read, action="withdraw", actor=None, note="Data keliru"
                )
    names = [d["name"] for d in seen]
    assert len(names) == len(set(names)), "a dataset was harvested twice"
    assert sorted(names) == [f"{PREFIX}{tag}-{i:02d}" for i in range(9)], "a dataset was missed"
    assert {d["state"] for d in seen} == {"active"}  # each was read before its withdrawal

    # The next run learns of the withdrawals, and gets no description or file of them.
    again = ckan.action.package_search(fq=fq, sort="id asc", rows=100, include_deleted=True)
    withdrawn = [d for d in again["results"] if d["state"] == "deleted"]
    assert again["count"] == len(again["results"]) == 9 and len(withdrawn) == 5
    assert all(d["resources"] == [] and "notes" not in d for d in withdrawn)
    # Without include_deleted they are gone, as in CKAN, and the count says so.
    active = ckan.action.package_search(fq=fq, sort="id asc", rows=100)
    assert active["count"] == len(active["results"]) == 4
    assert {d["state"] for d in active["results"]} == {"active"}


def test_ckanapi_pager_reads_each_dataset_once_when_some_are_withdrawn(
    portal: dict[str, Any], django_db_blocker: DjangoDbBlocker
) -> None:
    """``ckanapi search datasets`` moves ``start`` on by the number of results it got, and a
    harvester stops at the first empty page: a page must not come back short because a
    withdrawn dataset sits in it."""
    from ckanapi.cli.search import search_datasets

    from kotacerdas.opendata import services

    tag = "pager"
    started = dt.datetime.now(dt.UTC)
    with django_db_blocker.unblock():
        for i in range(6):
            dataset, _r = publish_table(
                portal["kota"],
                title=f"Pager {i}",
                name=f"{PREFIX}{tag}-{i}",
                header=["a"],
                rows=[[i]],
                tags=[tag],
            )
            if i in {1, 2}:  # two withdrawn side by side: a whole page of two in id order
                services.dataset_transition(
                    dataset=dataset, action="withdraw", actor=None, note="Data keliru"
                )
    fq = f"tags:{tag} AND metadata_created:[{started:%Y-%m-%dT%H:%M:%S.%f}Z TO *]"
    names: list[str] = []
    start = 0
    while True:  # ckanapi's pager, with pages of two instead of 1,000
        page = portal["ckan"].action.package_search(fq=fq, sort="id asc", rows=2, start=start)
        if not page["results"]:
            break
        names.extend(d["name"] for d in page["results"])
        start += len(page["results"])
    assert names == [f"{PREFIX}{tag}-{i}" for i in (0, 3, 4, 5)]
    # The client's own command, which pages the same way.
    out = io.BytesIO()
    arguments = {
        "--insecure": False,
        "--input-json": False,
        "--input": None,
        "--output": None,
        "--gzip": False,
        "KEY=STRING": [f"fq={fq}", "sort=id asc"],
    }
    search_datasets(portal["ckan"], arguments, stdout=out, stderr=io.BytesIO())
    dumped = [json.loads(line)["name"] for line in out.getvalue().splitlines()]
    assert dumped == names


@pytest.mark.django_db
def test_a_draft_exists_but_no_action_shows_it(portal: dict[str, Any]) -> None:
    # Marked for the database: pytest-django creates the test database only for a session
    # with at least one test that asks for it.
    assert Dataset.objects.filter(name=PREFIX + "draf", status="draft").exists()
    ckan = portal["ckan"]
    assert PREFIX + "draf" not in ckan.action.package_list()
    assert ckan.action.package_search(q="Draf belum terbit")["count"] == 0
