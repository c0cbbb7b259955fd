"""The catalogue as DCAT-AP 2.1 (as ckanext-dcat serves it): ``/<slug>/catalog.{jsonld,ttl,rdf}``
and ``/<slug>/dataset/<name>.{jsonld,ttl,rdf}``. Published datasets only. Every node that
DCAT-AP's range shapes expect to have a class is typed, so the output validates against the
DCAT-AP SHACL shapes (tests/opendata/shapes)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET
from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, SKOS

from kotacerdas.opendata import selectors
from kotacerdas.opendata.config import LICENSES
from kotacerdas.opendata.models import Dataset, Resource, ResourceFormat
from kotacerdas.tenants.access import tenant_from_slug
from kotacerdas.tenants.models import Tenant

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
LOCN = Namespace("http://www.w3.org/ns/locn#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
EU_FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"
EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
EU_LANGUAGE = "http://publications.europa.eu/resource/authority/language/"
IANA = "https://www.iana.org/assignments/media-types/"
FORMATS = {
    "CSV": ("CSV", "text/csv"),
    "XLSX": ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "JSON": ("JSON", "application/json"),
    "GEOJSON": ("GEOJSON", "application/geo+json"),
    "PDF": ("PDF", "application/pdf"),
}
SERIALIZATIONS = {
    "jsonld": ("json-ld", "application/ld+json"),
    "ttl": ("turtle", "text/turtle"),
    "rdf": ("xml", "application/rdf+xml"),
}
PAGE_SIZE = 1000


def _graph() -> Graph:
    graph = Graph()
    for prefix, ns in {
        "dcat": DCAT,
        "dct": DCTERMS,
        "foaf": FOAF,
        "skos": SKOS,
        "vcard": VCARD,
        "locn": LOCN,
        "hydra": HYDRA,
    }.items():
        graph.bind(prefix, ns)
    return graph


def _agent(graph: Graph, uri: str, name: str) -> URIRef:
    node = URIRef(uri)
    graph.add((node, RDF.type, FOAF.Agent))
    graph.add((node, FOAF.name, Literal(name)))
    return node


def _typed(graph: Graph, uri: str, cls: URIRef) -> URIRef:
    node = URIRef(uri)
    graph.add((node, RDF.type, cls))
    return node


def add_dataset(graph: Graph, request: HttpRequest, tenant: Tenant, dataset: Dataset) -> URIRef:
    base = request.build_absolute_uri
    node = URIRef(
        base(reverse("opendata:dataset", kwargs={"tenant_slug": tenant.slug, "name": dataset.name}))
    )
    graph.add((node, RDF.type, DCAT.Dataset))
    graph.add((node, DCTERMS.title, Literal(dataset.title, lang="id")))
    graph.add((node, DCTERMS.description, Literal(dataset.notes or dataset.title, lang="id")))
    graph.add((node, DCTERMS.identifier, Literal(str(dataset.pk))))
    graph.add(
        (
            node,
            DCTERMS.issued,
            Literal(dataset.published_at or dataset.created_at, datatype=XSD.dateTime),
        )
    )
    graph.add((node, DCTERMS.modified, Literal(dataset.modified_at, datatype=XSD.dateTime)))
    graph.add(
        (node, DCTERMS.language, _typed(graph, EU_LANGUAGE + "IND", DCTERMS.LinguisticSystem))
    )
    graph.add(
        (
            node,
            DCTERMS.accrualPeriodicity,
            _typed(graph, EU_FREQUENCY + dataset.frequency, DCTERMS.Frequency),
        )
    )
    publisher = _agent(
        graph,
        base(f"/{tenant.slug}/api/3/action/organization_show?id={selectors.opd_name(dataset.opd)}"),
        dataset.opd.name,
    )
    graph.add((node, DCTERMS.publisher, publisher))
    landing = _typed(graph, str(node), FOAF.Document)
    graph.add((node, DCAT.landingPage, landing))
    contact = BNode()
    graph.add((contact, RDF.type, VCARD.Kind))
    graph.add((contact, VCARD.fn, Literal(dataset.contact_name or dataset.opd.name)))
    if dataset.contact_email:
        graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{dataset.contact_email}")))
    graph.add((node, DCAT.contactPoint, contact))
    for tag in dataset.tags.all():
        graph.add((node, DCAT.keyword, Literal(tag.name)))
    for group in dataset.groups.all():
        theme = URIRef(base(f"/{tenant.slug}/api/3/action/group_show?id={group.name}"))
        graph.add((theme, RDF.type, SKOS.Concept))
        graph.add((theme, SKOS.prefLabel, Literal(group.title, lang="id")))
        graph.add((node, DCAT.theme, theme))
    for region in dataset.spatial_regions.all():
        place = BNode()
        graph.add((place, RDF.type, DCTERMS.Location))
        graph.add((place, LOCN.geographicName, Literal(region.name)))
        graph.add((place, DCTERMS.identifier, Literal(region.code)))
        graph.add((node, DCTERMS.spatial, place))
    if dataset.temporal_start or dataset.temporal_end:
        period = BNode()
        graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
        if dataset.temporal_start:
            graph.add((period, DCAT.startDate, Literal(dataset.temporal_start, datatype=XSD.date)))
        if dataset.temporal_end:
            graph.add((period, DCAT.endDate, Literal(dataset.temporal_end, datatype=XSD.date)))
        graph.add((node, DCTERMS.temporal, period))
    lic = LICENSES.get(dataset.license_id)
    for resource in dataset.resources.all():
        _add_distribution(
            graph,
            request=request,
            tenant=tenant,
            node=node,
            landing=landing,
            resource=resource,
            license_url=lic.url if lic else "",
        )
    return node


def _add_distribution(
    graph: Graph,
    *,
    request: HttpRequest,
    tenant: Tenant,
    node: URIRef,
    landing: URIRef,
    resource: Resource,
    license_url: str,
) -> None:
    base = request.build_absolute_uri
    dist = URIRef(base(f"/{tenant.slug}/api/3/action/resource_show?id={resource.pk}"))
    graph.add((dist, RDF.type, DCAT.Distribution))
    graph.add((node, DCAT.distribution, dist))
    graph.add((dist, DCTERMS.title, Literal(resource.name, lang="id")))
    if resource.description:
        graph.add((dist, DCTERMS.description, Literal(resource.description, lang="id")))
    if license_url:
        graph.add((dist, DCTERMS.license, _typed(graph, license_url, DCTERMS.LicenseDocument)))
    version = resource.current_version
    if resource.format == ResourceFormat.LINK:
        graph.add((dist, DCAT.accessURL, URIRef(resource.url)))
        return
    file_type, media = FORMATS[resource.format]
    graph.add(
        (
            dist,
            DCTERMS.format,
            _typed(graph, EU_FILE_TYPE + file_type, DCTERMS.MediaTypeOrExtent),
        )
    )
    graph.add((dist, DCAT.mediaType, _typed(graph, IANA + media, DCTERMS.MediaType)))
    if version is not None and version.ready:
        url = URIRef(
            base(
                reverse(
                    "opendata:version_download",
                    kwargs={
                        "tenant_slug": tenant.slug,
                        "resource_id": resource.pk,
                        "number": version.number,
                    },
                )
            )
        )
        graph.add((dist, DCAT.accessURL, url))
        graph.add((dist, DCAT.downloadURL, url))
        graph.add((dist, DCAT.byteSize, Literal(version.size, datatype=XSD.decimal)))
        graph.add((dist, DCTERMS.modified, Literal(version.created_at, datatype=XSD.dateTime)))
    else:
        graph.add((dist, DCAT.accessURL, landing))


def _respond(graph: Graph, fmt: str) -> HttpResponse:
    rdf_format, content_type = SERIALIZATIONS[fmt]
    body = graph.serialize(format=rdf_format)
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _queryset(tenant: Tenant) -> QuerySet[Dataset]:
    return (
        selectors.published(tenant)
        .select_related("opd")
        .prefetch_related("tags", "groups", "spatial_regions", "resources__current_version")
    )


@require_GET
def catalog_view(request: HttpRequest, tenant_slug: str, fmt: str) -> HttpResponse:
    if fmt not in SERIALIZATIONS:
        raise Http404("format")
    tenant = tenant_from_slug(tenant_slug)
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    graph = _graph()
    catalog = URIRef(request.build_absolute_uri(f"/{tenant.slug}/catalog.{fmt}"))
    graph.add((catalog, RDF.type, DCAT.Catalog))
    graph.add((catalog, DCTERMS.title, Literal(f"Satu Data {tenant.name}", lang="id")))
    graph.add(
        (catalog, DCTERMS.description, Literal(f"Portal data terbuka {tenant.name}", lang="id"))
    )
    graph.add(
        (
            catalog,
            DCTERMS.publisher,
            _agent(graph, request.build_absolute_uri(f"/{tenant.slug}/"), tenant.name),
        )
    )
    graph.add(
        (
            catalog,
            FOAF.homepage,
            _typed(
                graph,
                request.build_absolute_uri(
                    reverse("opendata:portal", kwargs={"tenant_slug": tenant.slug})
                ),
                FOAF.Document,
            ),
        )
    )
    graph.add(
        (catalog, DCTERMS.language, _typed(graph, EU_LANGUAGE + "IND", DCTERMS.LinguisticSystem))
    )
    datasets = _queryset(tenant).order_by("id")
    total = datasets.count()
    for dataset in datasets[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]:
        graph.add((catalog, DCAT.dataset, add_dataset(graph, request, tenant, dataset)))
    if total > PAGE_SIZE:
        # Paged like ckanext-dcat: a hydra:PagedCollection next to the catalogue.
        paging = URIRef(request.build_absolute_uri(f"/{tenant.slug}/catalog.{fmt}?page={page}"))
        graph.add((paging, RDF.type, HYDRA.PagedCollection))
        graph.add((paging, HYDRA.totalItems, Literal(total)))
        graph.add((paging, HYDRA.itemsPerPage, Literal(PAGE_SIZE)))
        if page * PAGE_SIZE < total:
            graph.add(
                (
                    paging,
                    HYDRA.nextPage,
                    Literal(
                        request.build_absolute_uri(f"/{tenant.slug}/catalog.{fmt}?page={page + 1}")
                    ),
                )
            )
    return _respond(graph, fmt)


@require_GET
def dataset_view(request: HttpRequest, tenant_slug: str, name: str, fmt: str) -> HttpResponse:
    if fmt not in SERIALIZATIONS:
        raise Http404("format")
    tenant = tenant_from_slug(tenant_slug)
    dataset = _queryset(tenant).filter(name=name).first()
    if dataset is None:
        raise Http404("dataset")
    graph = _graph()
    add_dataset(graph, request, tenant, dataset)
    return _respond(graph, fmt)
