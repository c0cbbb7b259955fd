"""The filters a dashboard figure hands to the list page behind it, so that the list shows
the rows the figure counts: ``dari`` and ``sampai`` (ISO dates, both days included, in the
tenant's time zone) and ``kecamatan`` (the Kemendagri code of one of the tenant's kecamatan).

A KPI's ``list_url`` builds the link with :func:`link`; the list page reads it back with
:func:`parse` and applies the range to the same timestamp the KPI counts by.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.core.errors import DomainError
from kotacerdas.core.kpis import KpiQuery
from kotacerdas.regions.models import Region
from kotacerdas.tenants.models import Opd, Tenant

MAX_DAYS = 366 * 5


@dataclass(frozen=True)
class ListFilter:
    """A half-open range ``[start, end)`` of aware datetimes (either side may be open) and a
    kecamatan code; all None when the list is not filtered."""

    first: dt.date | None = None
    last: dt.date | None = None
    zone: str = "Asia/Jakarta"
    kecamatan: str | None = None

    @property
    def active(self) -> bool:
        return self.first is not None or self.last is not None or self.kecamatan is not None

    @property
    def start(self) -> dt.datetime | None:
        if self.first is None:
            return None
        return dt.datetime(
            self.first.year, self.first.month, self.first.day, tzinfo=ZoneInfo(self.zone)
        )

    @property
    def end(self) -> dt.datetime | None:
        if self.last is None:
            return None
        day = self.last + dt.timedelta(days=1)
        return dt.datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(self.zone))

    def range(self, field: str) -> dict[str, dt.datetime]:
        """Keyword filters that keep ``field`` inside the range."""
        bounds = {}
        if self.start is not None:
            bounds[f"{field}__gte"] = self.start
        if self.end is not None:
            bounds[f"{field}__lt"] = self.end
        return bounds


def params(q: KpiQuery, *, period: bool = True) -> dict[str, str]:
    """The query parameters that select the rows of ``q``. ``period=False`` (a figure of the
    state now) keeps only the end of a period that has ended."""
    zone = ZoneInfo(q.tenant.time_zone)
    first = timezone.localtime(q.start, zone).date()
    last = timezone.localtime(q.end - dt.timedelta(microseconds=1), zone).date()
    result = {}
    if period:
        result["dari"] = first.isoformat()
    if period or q.end <= timezone.now():
        result["sampai"] = last.isoformat()
    if q.kecamatan:
        result["kecamatan"] = q.kecamatan
    return result


def link(url: str, q: KpiQuery, *, period: bool = True, opd: bool = False, **extra: str) -> str:
    """``url`` with the filters of ``q`` (and ``extra`` parameters); with ``opd``, also the
    query's OPD as ``opd`` (for a list that narrows to one OPD's rows)."""
    if opd and q.opd_id is not None:
        extra["opd"] = str(q.opd_id)
    return f"{url}?{urlencode({**extra, **params(q, period=period)})}"


def _day(data: Any, name: str) -> dt.date | None:
    raw = data.get(name) or ""
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw) if len(raw) == 10 and raw.isascii() else None
    except ValueError:
        return None


def parse(tenant: Tenant, data: Any) -> ListFilter:
    """The filters in ``data`` (a QueryDict). Raises ``DomainError`` (400) on a date that is
    not TTTT-BB-HH, a range backwards or over five years, or a kecamatan outside the tenant."""
    first, last = _day(data, "dari"), _day(data, "sampai")
    for name, day in (("dari", first), ("sampai", last)):
        if data.get(name) and day is None:
            raise DomainError(
                _("Tanggal “%(name)s” harus berformat TTTT-BB-HH.") % {"name": name},
                code="invalid_date",
            )
    if first and last and not 0 <= (last - first).days < MAX_DAYS:
        raise DomainError(
            _("Rentang tanggal tidak sah: “sampai” harus setelah “dari”, paling lama 5 tahun."),
            code="invalid_range",
        )
    kecamatan = data.get("kecamatan") or None
    if (
        kecamatan
        and not Region.objects.districts_of(tenant.region_id).filter(code=kecamatan).exists()
    ):
        raise DomainError(
            _("Kecamatan “%(code)s” tidak ada di wilayah ini.") % {"code": kecamatan[:20]},
            code="invalid_kecamatan",
        )
    return ListFilter(first, last, tenant.time_zone, kecamatan)


def opd(tenant: Tenant, data: Any) -> int | None:
    """The id of the tenant's OPD in ``opd`` (a figure of one OPD links with it), or None.
    Raises ``DomainError`` (400) on anything but the id of one of the tenant's OPDs."""
    raw = data.get("opd") or ""
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) < 19) or not (
        Opd.objects.filter(tenant=tenant, pk=int(raw)).exists()
    ):
        raise DomainError(_("OPD tidak dikenal."), code="unknown_opd")
    return int(raw)
