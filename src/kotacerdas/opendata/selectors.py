"""Reads of the public catalogue: the search behind ``package_search`` and the portal, facets,
and the datastore queries. Everything here sees published datasets only."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Sum, TextField
from django.db.models.fields.json import KeyTransform
from django.db.models.functions import Cast, ExtractYear
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kotacerdas.core.errors import DomainError
from kotacerdas.opendata.models import (
    Dataset,
    DatasetStatus,
    DatastoreRow,
    DownloadCount,
    Group,
    Resource,
    Tag,
)
from kotacerdas.tenants.models import Opd, Tenant

ORG_NAMESPACE = uuid.UUID("6f1c1f36-7a3e-4f63-9a55-3c1b7d7a0b11")
FACET_FIELDS = {"organization", "groups", "tags", "res_format", "license_id", "year"}


class SearchQueryError(DomainError):
    """A ``q``/``fq``/``sort`` that cannot be understood (CKAN answers 409 "Search Query Error")."""

    code = "search_query_error"
    status = 409


def opd_name(opd: Opd) -> str:
    """The OPD's CKAN organization name: its acronym as a slug (unique per tenant)."""
    return slugify(opd.acronym) or f"opd-{opd.pk}"


def opd_uuid(opd_pk: int) -> str:
    return str(uuid.uuid5(ORG_NAMESPACE, f"opd:{opd_pk}"))


def opd_by_name_or_id(tenant: Tenant, ident: str) -> Opd | None:
    for opd in Opd.objects.filter(tenant=tenant, is_active=True):
        if ident in {opd_name(opd), opd_uuid(opd.pk)}:
            return opd
    return None


def published(tenant: Tenant) -> QuerySet[Dataset]:
    return Dataset.objects.filter(tenant=tenant).published()


def ever_published(tenant: Tenant) -> QuerySet[Dataset]:
    """Published datasets and the withdrawn ones (CKAN's "deleted" state): see ``search``."""
    return Dataset.objects.filter(
        tenant=tenant, status__in=[DatasetStatus.PUBLISHED, DatasetStatus.WITHDRAWN]
    )


def _parse_time(value: str, *, field_name: str) -> dt.datetime | None:
    if value == "*":
        return None
    value = value.strip()
    if value.upper().startswith("NOW"):
        return timezone.now()
    parsed = parse_datetime(value)
    if parsed is None:
        day = parse_date(value)
        if day is not None:
            parsed = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
    if parsed is None:
        raise SearchQueryError(
            _(
                "Waktu “%(value)s” pada %(field)s tidak dikenal (pakai ISO 8601, mis. 2026-01-31T00:00:00Z)."
            )
            % {"value": value, "field": field_name}
        )
    if timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed


# field:[A TO B] | field:"quoted" | field:word ; optional leading +/-
_TERM = re.compile(
    r'(?P<neg>[+-]?)(?P<field>[A-Za-z_.]+):(?:\[(?P<lo>[^\]]+?)\s+TO\s+(?P<hi>[^\]]+?)\]|"(?P<q>[^"]*)"|(?P<w>[^\s"()]+))'
)


def _term_q(tenant: Tenant, field_name: str, value: str) -> Q:  # noqa: PLR0911 - one return per Solr field
    if field_name in {"organization", "owner_org"}:
        opd = opd_by_name_or_id(tenant, value)
        return Q(opd=opd) if opd else Q(pk__in=[])
    if field_name == "groups":
        return Q(groups__name=value)
    if field_name == "tags":
        return Q(tags__name=value)
    if field_name == "res_format":
        return Q(resources__format__iexact=value)
    if field_name == "license_id":
        return Q(license_id=value)
    if field_name == "name":
        return Q(name=value)
    if field_name == "id":
        try:
            return Q(pk=uuid.UUID(value))
        except ValueError:
            return Q(pk__in=[])
    if field_name == "year":
        return Q(metadata_year=value) if value.isdigit() else Q(pk__in=[])
    if field_name in {"state", "dataset_type", "type", "capacity", "+state", "site_id"}:
        return Q()  # every dataset the API shows is active, public, of type "dataset"
    raise SearchQueryError(_("Kolom pencarian “%(field)s” tidak dikenal.") % {"field": field_name})


def parse_fq(tenant: Tenant, fq: str) -> Q:
    """Solr filter queries as harvesters send them: ``organization:x``, ``tags:"a b"``,
    ``metadata_modified:[2026-01-01T00:00:00Z TO *]``, joined by spaces or AND."""
    query = Q()
    rest = _TERM.sub(" ", fq)
    if re.sub(r"\b(AND)\b|[()\s]", "", rest):
        raise SearchQueryError(_("Filter “%(fq)s” tidak dapat dibaca.") % {"fq": fq[:200]})
    for m in _TERM.finditer(fq):
        field_name = m["field"]
        if m["lo"] is not None:
            if field_name not in {"metadata_modified", "metadata_created"}:
                raise SearchQueryError(
                    _("Rentang hanya untuk metadata_modified dan metadata_created.")
                )
            column = "modified_at" if field_name == "metadata_modified" else "created_at"
            lo = _parse_time(m["lo"], field_name=field_name)
            hi = _parse_time(m["hi"], field_name=field_name)
            term = Q()
            if lo is not None:
                term &= Q(**{f"{column}__gte": lo})
            if hi is not None:
                term &= Q(**{f"{column}__lte": hi})
        else:
            term = _term_q(tenant, field_name, m["q"] if m["q"] is not None else m["w"])
        query &= ~term if m["neg"] == "-" else term
    return query


SORTS = {
    "id": "id",
    "name": "name",
    "title_string": "title",
    "title": "title",
    "metadata_modified": "modified_at",
    "metadata_created": "created_at",
}


def parse_sort(sort: str) -> list[Any]:
    """CKAN's ``sort`` (``"id asc"``, ``"metadata_modified desc, name asc"``); ``score`` is
    accepted and ignored (there is no relevance ranking). Always ends on ``id`` so that the
    order is total and paging stable."""
    order: list[Any] = []
    for part in [p.strip() for p in sort.split(",") if p.strip()]:
        bits = part.split()
        name = bits[0]
        direction = bits[1].lower() if len(bits) > 1 else "asc"
        if direction not in {"asc", "desc"} or len(bits) > 2:
            raise SearchQueryError(_("Urutan “%(sort)s” tidak dapat dibaca.") % {"sort": part})
        if name == "score":
            continue
        if name not in SORTS:
            raise SearchQueryError(
                _("Tidak dapat mengurutkan menurut “%(field)s”.") % {"field": name}
            )
        column = SORTS[name]
        order.append(F(column).desc() if direction == "desc" else F(column).asc())
    if not order:
        order = [F("modified_at").desc()]
    order.append(F("id").asc())
    return order


@dataclass
class SearchResult:
    count: int
    datasets: list[Dataset]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    facet_titles: dict[str, dict[str, str]] = field(default_factory=dict)


def search(
    tenant: Tenant,
    *,
    q: str = "",
    fq: str = "",
    sort: str = "",
    rows: int = 10,
    start: int = 0,
    facet_fields: list[str] | None = None,
    facet_limit: int = 50,
    include_withdrawn: bool = False,
    where: Q | None = None,
) -> SearchResult:
    """CKAN's ``package_search`` over the tenant's published datasets.

    Paging in id order (the order harvesters use) is stable while datasets are published: a
    dataset's id is minted at its first publication (``services.publication``) and ids are
    time-ordered, so a new one comes after every page already read. Pages are contiguous
    (each holds ``rows`` datasets until the last), so ``ckanapi``'s pager, which moves
    ``start`` on by the number of results, and a harvester's, which moves it by ``rows``,
    read the same sequence. With ``include_withdrawn`` (CKAN's ``include_deleted``) a
    withdrawn dataset keeps its place in the "deleted" state, so a withdrawal moves nothing
    back past a harvester's ``start``; without it, as in CKAN, it leaves the result set."""
    base = (ever_published(tenant) if include_withdrawn else published(tenant)).annotate(
        metadata_year=ExtractYear("modified_at")
    )
    text = q.strip()
    if text and text != "*:*":
        if _TERM.fullmatch(text):
            base = base.filter(parse_fq(tenant, text))
        else:
            for word in text.split()[:10]:
                base = base.filter(
                    Q(title__icontains=word)
                    | Q(notes__icontains=word)
                    | Q(name__icontains=word)
                    | Q(
                        pk__in=Tag.objects.filter(tenant=tenant, name__icontains=word).values(
                            "datasets"
                        )
                    )
                )
    if fq.strip():
        base = base.filter(parse_fq(tenant, fq))
    if where is not None:  # the portal's own filters (the command centre's period)
        base = base.filter(where)
    # Joins in fq (tags, groups, formats) can repeat a dataset: page over distinct ids.
    matched = Dataset.objects.filter(pk__in=base.values("pk").distinct())
    count = matched.count()
    page = list(
        matched.select_related("opd", "tenant")
        .prefetch_related("tags", "groups", "spatial_regions", "resources__current_version")
        .order_by(*parse_sort(sort))[start : start + rows]
    )
    result = SearchResult(count=count, datasets=page)
    for name in facet_fields or []:
        counts, titles = facet(tenant, matched, name, limit=facet_limit)
        result.facets[name] = counts
        result.facet_titles[name] = titles
    return result


def facet(  # noqa: PLR0912 - one branch per facet field
    tenant: Tenant, matched: QuerySet[Dataset], name: str, *, limit: int = 50
) -> tuple[dict[str, int], dict[str, str]]:
    """Counts of ``name``'s values among ``matched`` datasets, counted in SQL."""
    if name not in FACET_FIELDS:
        raise SearchQueryError(_("Faset “%(field)s” tidak tersedia.") % {"field": name})
    titles: dict[str, str] = {}
    counts: dict[str, int] = {}
    rows: Any
    if name == "organization":
        rows = (
            matched.values("opd_id", "opd__acronym", "opd__name")
            .annotate(n=Count("pk", distinct=True))
            .order_by("-n", "opd__acronym")[:limit]
        )
        for r in rows:
            key = slugify(r["opd__acronym"]) or f"opd-{r['opd_id']}"
            counts[key] = r["n"]
            titles[key] = r["opd__name"]
    elif name == "groups":
        rows = (
            Group.objects.filter(datasets__in=matched)
            .values("name", "title")
            .annotate(n=Count("datasets", distinct=True))
            .order_by("-n", "name")[:limit]
        )
        for r in rows:
            counts[r["name"]] = r["n"]
            titles[r["name"]] = r["title"]
    elif name == "tags":
        rows = (
            Tag.objects.filter(datasets__in=matched)
            .values("name")
            .annotate(n=Count("datasets", distinct=True))
            .order_by("-n", "name")[:limit]
        )
        for r in rows:
            counts[r["name"]] = r["n"]
            titles[r["name"]] = r["name"]
    elif name == "res_format":
        rows = (
            Resource.objects.filter(dataset__in=matched)
            .values("format")
            .annotate(n=Count("dataset", distinct=True))
            .order_by("-n", "format")[:limit]
        )
        for r in rows:
            counts[r["format"]] = r["n"]
            titles[r["format"]] = r["format"]
    elif name == "license_id":
        rows = (
            matched.values("license_id")
            .annotate(n=Count("pk", distinct=True))
            .order_by("-n", "license_id")[:limit]
        )
        for r in rows:
            counts[r["license_id"]] = r["n"]
            titles[r["license_id"]] = r["license_id"]
    else:  # year of the last change
        rows = (
            matched.annotate(y=ExtractYear("modified_at"))
            .values("y")
            .annotate(n=Count("pk", distinct=True))
            .order_by("-y")[:limit]
        )
        for r in rows:
            counts[str(r["y"])] = r["n"]
            titles[str(r["y"])] = str(r["y"])
    return counts, titles


# ---- datastore -----------------------------------------------------------------------------

CKAN_TYPES = {
    "integer": "int",
    "number": "numeric",
    "boolean": "bool",
    "date": "date",
    "datetime": "timestamp",
    "time": "time",
    "year": "int",
}


def _coerce(value: Any, table_type: str, column: str) -> Any:
    if value is None:
        return None
    try:
        if table_type in {"integer", "year"}:
            return int(value)
        if table_type == "number":
            number = float(value)
            return int(number) if number.is_integer() else number
        if table_type == "boolean":
            if isinstance(value, bool):
                return value
            return str(value).lower() in {"true", "1", "ya", "yes"}
    except (TypeError, ValueError):
        raise DomainError(
            _("Nilai filter “%(value)s” tidak cocok dengan tipe kolom “%(column)s”.")
            % {"value": value, "column": column},
            code="filters",
            status=409,
        ) from None
    return value if isinstance(value, str) else str(value)


@dataclass
class DatastorePage:
    fields: list[dict[str, Any]]
    records: list[dict[str, Any]]
    total: int | None


def datastore_query(  # noqa: PLR0912 - CKAN's parameters, each checked
    resource: Resource,
    *,
    q: str = "",
    filters: dict[str, Any] | None = None,
    fields: list[str] | None = None,
    sort: str = "",
    limit: int = 100,
    offset: int = 0,
    include_total: bool = True,
) -> DatastorePage:
    """Rows of the resource's current version. ``filters`` compare typed values (a string "5"
    matches an integer column's 5). On PostgreSQL the filter is a JSONB containment, which
    the GIN index on the rows serves."""
    version = resource.current_version
    assert version is not None  # noqa: S101 - callers check datastore_active
    schema_fields = version.schema.get("fields", [])
    types = {f["name"]: f.get("type", "string") for f in schema_fields}
    rows = DatastoreRow.objects.filter(version=version)
    for column, wanted in (filters or {}).items():
        if column not in types:
            raise DomainError(
                _("Kolom “%(column)s” tidak ada.") % {"column": column}, code="filters", status=409
            )
        values = wanted if isinstance(wanted, list) else [wanted]
        values = [_coerce(v, types[column], column) for v in values]
        if connection.vendor == "postgresql":
            condition = Q()
            for value in values:
                condition |= Q(data__contains={column: value})
            rows = rows.filter(condition)
        else:
            rows = rows.alias(**{"_f": KeyTransform(column, "data")}).filter(**{"_f__in": values})
    if q.strip():
        rows = rows.alias(_text=Cast("data", TextField())).filter(_text__icontains=q.strip())
    order: list[Any] = []
    for part in [p.strip() for p in sort.split(",") if p.strip()]:
        bits = part.rsplit(" ", 1)
        column, direction = (
            (bits[0].strip('" '), bits[1].lower())
            if len(bits) == 2 and bits[1].lower() in {"asc", "desc"}
            else (part.strip('" '), "asc")
        )
        if column == "_id":
            order.append(F("row_number").desc() if direction == "desc" else F("row_number").asc())
            continue
        if column not in types:
            raise DomainError(
                _("Kolom “%(column)s” tidak ada.") % {"column": column}, code="sort", status=409
            )
        transform = KeyTransform(column, "data")
        order.append(transform.desc() if direction == "desc" else transform.asc())
    order.append(F("row_number").asc())
    wanted_fields = fields or [f["name"] for f in schema_fields]
    unknown = [f for f in wanted_fields if f not in types and f != "_id"]
    if unknown:
        raise DomainError(
            _("Kolom “%(column)s” tidak ada.") % {"column": unknown[0]}, code="fields", status=409
        )
    total = rows.count() if include_total else None
    records = []
    for row_number, data in rows.order_by(*order).values_list("row_number", "data")[
        offset : offset + limit
    ]:
        record: dict[str, Any] = {"_id": row_number}
        for name in wanted_fields:
            if name != "_id":
                record[name] = data.get(name)
        records.append(record)
    out_fields: list[dict[str, Any]] = [{"id": "_id", "type": "int"}]
    for f in schema_fields:
        if f["name"] not in wanted_fields:
            continue
        info = {k: v for k, v in f.items() if k not in {"name", "type"}}
        item: dict[str, Any] = {"id": f["name"], "type": CKAN_TYPES.get(f.get("type", ""), "text")}
        if info:
            item["info"] = {
                "label": info.get("title", ""),
                "notes": info.get("description", ""),
                **info,
            }
        out_fields.append(item)
    return DatastorePage(fields=out_fields, records=records, total=total)


def downloads_of_period(
    tenant: Tenant,
    start: dt.datetime | None,
    end: dt.datetime | None,
    *,
    opd_id: int | None = None,
) -> QuerySet[DownloadCount]:
    """Downloads are counted per month: those of the months that begin inside ``[start,
    end)`` (the tenant's dates; either side open), of one OPD's datasets."""
    qs = DownloadCount.objects.filter(tenant=tenant)
    if start is not None:
        qs = qs.filter(month__gte=timezone.localtime(start).date().replace(day=1))
    if end is not None:
        qs = qs.filter(month__lt=timezone.localtime(end).date())
    if opd_id is not None:
        qs = qs.filter(dataset__opd_id=opd_id)
    return qs


def downloads_per_month(
    tenant: Tenant,
    *,
    months: int = 12,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
) -> list[tuple[dt.date, int]]:
    """The last ``months`` months' downloads, or those of the months of a period."""
    rows = (
        downloads_of_period(tenant, start, end)
        .values("month")
        .annotate(n=Sum("count"))
        .order_by("-month")
    )
    if start is None and end is None:
        rows = rows[:months]
    return sorted((r["month"], int(r["n"])) for r in rows)
