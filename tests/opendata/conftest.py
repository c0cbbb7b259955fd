"""Opendata fixtures: producers and the walidata of the Serang tenants, and small files."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

import openpyxl
import pytest

from kotacerdas.accounts.models import User
from kotacerdas.opendata import services
from kotacerdas.opendata.models import Dataset, Resource
from kotacerdas.tenants.models import Opd, Tenant


def account(username: str) -> User:
    return User.objects.select_related("tenant", "opd").get(username=username)


@pytest.fixture
def producer(db: None) -> User:
    """The Disdukcapil operator of Kota Serang (an OPD producing data)."""
    return account("disdukcapil-kota")


@pytest.fixture
def walidata(db: None) -> User:
    """Kota Serang's region administrator at Diskominfo, the walidata."""
    return account("admin-kota")


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def make_dataset(
    tenant: Tenant,
    *,
    opd: str = "Disdukcapil",
    title: str = "Jumlah penduduk per kecamatan",
    **kw: Any,
) -> Dataset:
    return services.dataset_create(
        tenant=tenant,
        opd=Opd.objects.get(tenant=tenant, acronym=opd),
        actor=None,
        title=title,
        **kw,
    )


def publish_table(
    tenant: Tenant,
    *,
    title: str,
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    opd: str = "Disdukcapil",
    actions: Sequence[str] = ("submit", "approve", "publish"),
    **kw: Any,
) -> tuple[Dataset, Resource]:
    """A published dataset with one loaded CSV resource (the walidata acting throughout);
    ``actions`` stops its workflow earlier (an approved draft, say)."""
    dataset = make_dataset(tenant, opd=opd, title=title, **kw)
    resource = services.resource_create(dataset=dataset, actor=None, name=title, format="CSV")
    version = services.version_upload(
        resource=resource, actor=None, content=csv_bytes(header, rows), filename="data.csv"
    )
    services.version_confirm(version=version, actor=None)
    for action in actions:
        dataset = services.dataset_transition(dataset=dataset, action=action, actor=None)
    resource.refresh_from_db()
    return dataset, resource
