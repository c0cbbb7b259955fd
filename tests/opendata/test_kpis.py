"""Satu Data's dashboard indicators, counted by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from kotacerdas.core.kpis import KpiQuery
from kotacerdas.opendata import services
from kotacerdas.opendata.models import DownloadCount
from kotacerdas.tenants.models import Opd, Tenant
from tests.conftest import kpi
from tests.opendata.conftest import make_dataset, publish_table

pytestmark = pytest.mark.django_db


def test_published_updated_and_downloads(kota: Tenant, kab: Tenant) -> None:
    now = timezone.now()
    start, end = now - dt.timedelta(days=40), now + dt.timedelta(days=1)
    first, _r = publish_table(kota, title="Satu", header=["a"], rows=[[1]])
    publish_table(kota, title="Dua", header=["a"], rows=[[1]], opd="DPUPR")
    make_dataset(kota, title="Draf")
    publish_table(kab, title="Kabupaten", header=["a"], rows=[[1]])
    services.download_count(dataset=first)
    services.download_count(dataset=first)
    DownloadCount.objects.create(tenant=kota, dataset=first, month=dt.date(2020, 1, 1), count=50)
    q = KpiQuery(tenant=kota, start=start, end=end)
    assert kpi("opendata.datasets_published").compute(q) == 2.0
    assert kpi("opendata.datasets_updated").compute(q) == 2.0
    assert kpi("opendata.downloads").compute(q) == 2.0
    dpupr = Opd.objects.get(tenant=kota, acronym="DPUPR")
    by_opd = KpiQuery(tenant=kota, start=start, end=end, opd_id=dpupr.pk)
    assert kpi("opendata.datasets_published").compute(by_opd) == 1.0
    assert kpi("opendata.downloads").compute(by_opd) is None
    assert (
        kpi("opendata.downloads").compute(KpiQuery(kota, start, end, kecamatan="36.73.01")) is None
    )
