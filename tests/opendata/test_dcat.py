"""DCAT-AP output, parsed with rdflib and validated with pyshacl against the DCAT-AP 2.1.1
SHACL shapes (tests/opendata/shapes, CC-BY 4.0, see its README)."""

from __future__ import annotations

import warnings
from pathlib import Path

import pyshacl
import pytest
from django.test import Client
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS

from kotacerdas.opendata.models import Dataset
from kotacerdas.tenants.models import Tenant
from tests.opendata.conftest import make_dataset, publish_table

pytestmark = pytest.mark.django_db

SHAPES = Path(__file__).parent / "shapes"


@pytest.fixture(scope="module")
def shapes() -> Graph:
    graph = Graph()
    graph.parse(SHAPES / "dcat-ap_2.1.1_shacl_shapes.ttl", format="turtle")
    graph.parse(SHAPES / "dcat-ap_2.1.1_shacl_range.ttl", format="turtle")
    return graph


def parse(content: bytes, parser: str) -> Graph:
    # rdflib 7.6's JSON-LD parser goes through its own deprecated ConjunctiveGraph; that
    # library-internal DeprecationWarning (errors in this suite) is not about our output.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"rdflib\.")
        return Graph().parse(data=content, format=parser)


def _validate(data: Graph, shapes: Graph) -> tuple[bool, str]:
    conforms, _graph, text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", allow_warnings=True
    )
    return bool(conforms), str(text)


@pytest.fixture
def catalogue(kota: Tenant) -> Dataset:
    dataset, _resource = publish_table(
        kota,
        title="Penduduk per kecamatan",
        header=["kode", "jumlah"],
        rows=[["36.73.01", 1000], ["36.73.02", 2000]],
        groups=["kependudukan"],
        tags=["penduduk"],
        spatial=["36.73"],
        temporal_start="2026-01-01",
        temporal_end="2026-06-30",
    )
    make_dataset(kota, title="Draf", name="draf-dcat")
    return dataset


@pytest.mark.parametrize("fmt,parser", [("ttl", "turtle"), ("jsonld", "json-ld"), ("rdf", "xml")])
def test_catalog_parses_and_conforms_to_dcat_ap(
    client: Client, catalogue: Dataset, shapes: Graph, fmt: str, parser: str
) -> None:
    response = client.get(f"/kota-serang/catalog.{fmt}")
    assert response.status_code == 200
    graph = parse(response.content, parser)
    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    assert URIRef(f"http://testserver/kota-serang/data/dataset/{catalogue.name}/") in datasets
    assert not any("draf-dcat" in str(d) for d in datasets)
    conforms, report = _validate(graph, shapes)
    assert conforms, report


def test_dataset_document_carries_the_metadata(
    client: Client, catalogue: Dataset, shapes: Graph
) -> None:
    response = client.get(f"/kota-serang/dataset/{catalogue.name}.ttl")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/turtle")
    graph = parse(response.content, "turtle")
    node = URIRef(f"http://testserver/kota-serang/data/dataset/{catalogue.name}/")
    assert str(graph.value(node, DCTERMS.identifier)) == str(catalogue.pk)
    assert str(graph.value(node, DCTERMS.accrualPeriodicity)).endswith("/frequency/ANNUAL")
    (dist,) = graph.objects(node, DCAT.distribution)
    assert str(graph.value(dist, DCTERMS.license)) == "https://creativecommons.org/licenses/by/4.0/"
    assert "/unduh/" in str(graph.value(dist, DCAT.downloadURL))
    assert _validate(graph, shapes)[0]


def test_the_shapes_catch_a_dataset_without_title(
    client: Client, catalogue: Dataset, shapes: Graph
) -> None:
    response = client.get(f"/kota-serang/dataset/{catalogue.name}.ttl")
    graph = parse(response.content, "turtle")
    node = URIRef(f"http://testserver/kota-serang/data/dataset/{catalogue.name}/")
    graph.remove((node, DCTERMS.title, None))
    conforms, report = _validate(graph, shapes)
    assert not conforms and "title" in report


def test_unknown_format_draft_and_other_tenant_are_404(client: Client, catalogue: Dataset) -> None:
    assert client.get("/kota-serang/catalog.xls").status_code == 404
    assert client.get("/kota-serang/dataset/draf-dcat.ttl").status_code == 404
    assert client.get(f"/kabupaten-serang/dataset/{catalogue.name}.ttl").status_code == 404
