"""The period a leader looks at: a month, a quarter, a year or custom dates, in the tenant's
time zone, as a half-open range of aware datetimes, with the period before it to compare."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.core.errors import DomainError
from kotacerdas.tenants.models import Tenant

KINDS = ("bulan", "triwulan", "tahun", "kustom")
MIN_YEAR = 2000
MAX_CUSTOM_DAYS = 366 * 5


@dataclass(frozen=True)
class Period:
    kind: str
    start: dt.datetime
    end: dt.datetime  # exclusive
    label: str

    @property
    def first_day(self) -> dt.date:
        return self.start.date()

    @property
    def last_day(self) -> dt.date:
        return (self.end - dt.timedelta(days=1)).date()

    def params(self) -> dict[str, str]:
        """The query parameters that select this period again."""
        if self.kind == "kustom":
            return {"periode": "kustom", "dari": f"{self.first_day}", "sampai": f"{self.last_day}"}
        return {"periode": self.kind, "acuan": f"{self.first_day}"}


def _zone(where: Tenant | str) -> zoneinfo.ZoneInfo:
    """The time zone of a tenant, or one named (the national view uses Asia/Jakarta)."""
    return zoneinfo.ZoneInfo(where if isinstance(where, str) else where.time_zone)


def _at(day: dt.date, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=zone)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


MONTHS = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]


def build(tenant: Tenant | str, kind: str, first: dt.date, last: dt.date | None = None) -> Period:
    zone = _zone(tenant)
    if kind == "bulan":
        start = first.replace(day=1)
        end = _add_months(start, 1)
        label = f"{MONTHS[start.month - 1]} {start.year}"
    elif kind == "triwulan":
        start = dt.date(first.year, (first.month - 1) // 3 * 3 + 1, 1)
        end = _add_months(start, 3)
        label = _("Triwulan %(q)s %(year)s") % {"q": (start.month - 1) // 3 + 1, "year": start.year}
    elif kind == "tahun":
        start, end = dt.date(first.year, 1, 1), dt.date(first.year + 1, 1, 1)
        label = str(start.year)
    else:
        assert last is not None  # noqa: S101 - parse() checks it
        start, end = first, last + dt.timedelta(days=1)
        label = f"{first:%d-%m-%Y} – {last:%d-%m-%Y}"
    return Period(kind, _at(start, zone), _at(end, zone), label)


def previous(tenant: Tenant | str, period: Period) -> Period:
    """The period of the same kind just before ``period`` (custom: the same number of days)."""
    if period.kind == "bulan":
        return build(tenant, "bulan", _add_months(period.first_day, -1))
    if period.kind == "triwulan":
        return build(tenant, "triwulan", _add_months(period.first_day, -3))
    if period.kind == "tahun":
        return build(tenant, "tahun", dt.date(period.first_day.year - 1, 1, 1))
    days = (period.last_day - period.first_day).days + 1
    return build(
        tenant,
        "kustom",
        period.first_day - dt.timedelta(days=days),
        period.first_day - dt.timedelta(days=1),
    )


def months_until(tenant: Tenant | str, period: Period, count: int = 12) -> list[Period]:
    """The ``count`` calendar months ending with the one that holds the period's last day."""
    last = build(tenant, "bulan", period.last_day)
    return [
        build(tenant, "bulan", _add_months(last.first_day, -i)) for i in range(count - 1, -1, -1)
    ]


def _date(raw: str, name: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        raise DomainError(
            _("Tanggal “%(name)s” harus berformat TTTT-BB-HH.") % {"name": name},
            code="invalid_date",
        ) from None
    if not MIN_YEAR <= day.year <= timezone.localdate().year + 1:
        raise DomainError(
            _("Tanggal “%(name)s” di luar rentang yang didukung.") % {"name": name},
            code="invalid_date",
        )
    return day


def parse(tenant: Tenant | str, data: Any) -> Period:
    """The period from query parameters ``periode`` (bulan, triwulan, tahun, kustom) with
    ``acuan`` (a day inside it; today by default) or ``dari``/``sampai`` for kustom.
    Raises ``DomainError`` (400) on anything else."""
    kind = data.get("periode") or "bulan"
    if kind not in KINDS:
        raise DomainError(
            _("Periode harus salah satu dari: %(kinds)s.") % {"kinds": ", ".join(KINDS)},
            code="invalid_period",
        )
    if kind == "kustom":
        first = _date(data.get("dari") or "", "dari")
        last = _date(data.get("sampai") or "", "sampai")
        if last < first or (last - first).days >= MAX_CUSTOM_DAYS:
            raise DomainError(
                _("Rentang tanggal tidak sah: “sampai” harus setelah “dari”, paling lama 5 tahun."),
                code="invalid_period",
            )
        return build(tenant, kind, first, last)
    raw = data.get("acuan") or ""
    today = timezone.localtime(timezone.now(), _zone(tenant)).date()
    return build(tenant, kind, _date(raw, "acuan") if raw else today)
