"""Satu Data's indicators for the leaders' dashboard (see ``core/kpis.py``): how many datasets
the portal publishes, how many were updated in the period, and how often they are
downloaded. Filterable by OPD (the dataset's producer); open data has no kecamatan."""

from __future__ import annotations

from dataclasses import replace

from django.db.models import QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kotacerdas.core.kpis import Dimension, Direction, KpiQuery, for_app
from kotacerdas.opendata import selectors
from kotacerdas.opendata.models import Dataset, DatasetStatus
from kotacerdas.tenants import list_filters

APP = "opendata"
_register = for_app(APP, dimension=Dimension.GOVERNANCE)


def _published(q: KpiQuery) -> QuerySet[Dataset]:
    qs = Dataset.objects.filter(tenant=q.tenant, status=DatasetStatus.PUBLISHED)
    if q.opd_id is not None:
        qs = qs.filter(opd_id=q.opd_id)
    return qs


def datasets_published(q: KpiQuery) -> float | None:
    if q.kecamatan:
        return None
    return float(_published(q).filter(published_at__lt=q.end).count())


def datasets_updated(q: KpiQuery) -> float | None:
    if q.kecamatan:
        return None
    return float(_published(q).filter(modified_at__gte=q.start, modified_at__lt=q.end).count())


def downloads(q: KpiQuery) -> float | None:
    """Downloads counted per month: the months that begin inside the period."""
    if q.kecamatan:
        return None
    qs = selectors.downloads_of_period(q.tenant, q.start, q.end, opd_id=q.opd_id)
    total = qs.aggregate(n=Sum("count"))["n"]
    return float(total) if total is not None else None


def _portal(q: KpiQuery, by: str) -> str:
    """The portal's datasets published by the period's end (``terbit``, a state: only the end
    of a period that has ended) or updated in it. Open data has no kecamatan."""
    url = reverse("opendata:portal", kwargs={"tenant_slug": q.tenant.slug})
    return list_filters.link(url, replace(q, kecamatan=None), period=by != "terbit", tanggal=by)


def _statistics(q: KpiQuery) -> str:
    """The portal's statistics: the downloads of the period's months."""
    url = reverse("opendata:statistics", kwargs={"tenant_slug": q.tenant.slug})
    return list_filters.link(url, replace(q, kecamatan=None))


_register(
    code="datasets_published",
    name=_("Dataset terbuka terbit"),
    description=_("Jumlah dataset yang terbit di portal Satu Data pada akhir periode."),
    unit="dataset",
    direction=Direction.UP,
    compute=datasets_published,
    list_url=lambda q: _portal(q, "terbit"),
    snapshot=True,
)
_register(
    code="datasets_updated",
    name=_("Dataset terbuka diperbarui"),
    description=_("Jumlah dataset terbit yang datanya atau metadatanya diperbarui dalam periode."),
    unit="dataset",
    direction=Direction.UP,
    compute=datasets_updated,
    list_url=lambda q: _portal(q, "diperbarui"),
)
_register(
    code="downloads",
    name=_("Unduhan data terbuka"),
    description=_("Jumlah unduhan berkas dataset terbit dalam bulan-bulan periode."),
    unit="unduhan",
    direction=Direction.UP,
    compute=downloads,
    list_url=_statistics,
)
