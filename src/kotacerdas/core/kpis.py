"""The registry of key performance indicators that every app offers the leaders' dashboard.

An app declares its indicators in ``<app>/kpis.py`` with the registrar of :func:`for_app`
(or :func:`register` for a ``Kpi`` it built itself); the module is imported by ``CoreConfig.ready`` for every installed app that has one, so the dashboard (and
planning's KPI feeds, and open data) read indicators without importing another app's models.

Each ``compute`` runs in SQL over its own app's rows (aggregate queries only, bounded by the
query's period) and returns ``None`` when there is no data, never a made-up zero.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from django.utils import translation
from django.utils.functional import Promise

if TYPE_CHECKING:
    from kotacerdas.tenants.models import Tenant

_T = TypeVar("_T")


class Direction(StrEnum):
    """Whether a higher value is better (``UP``) or worse (``DOWN``)."""

    UP = "up"
    DOWN = "down"


class Dimension(StrEnum):
    """The six dimensions of the Gerakan Menuju Smart City."""

    GOVERNANCE = "governance"
    BRANDING = "branding"
    ECONOMY = "economy"
    LIVING = "living"
    SOCIETY = "society"
    ENVIRONMENT = "environment"


@dataclass(frozen=True)
class KpiQuery:
    """What a KPI is computed for: one tenant, a half-open period ``[start, end)`` of aware
    datetimes, and optionally one kecamatan (its Kemendagri code) or one OPD."""

    tenant: Tenant
    start: dt.datetime
    end: dt.datetime
    kecamatan: str | None = None
    opd_id: int | None = None
    # Results shared by the computations of this one query (see ``shared``); a new query
    # (``dataclasses.replace`` too) starts empty.
    _shared: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)
    _lock: threading.Lock = field(
        default_factory=threading.Lock, init=False, repr=False, compare=False
    )

    def shared(self, key: str, compute: Callable[[], _T]) -> _T:
        """``compute()`` once for this query, whichever of its KPIs asks first: the dashboard
        hands the same query to a figure's ``compute``, ``breakdown`` and ``verdict`` (on
        several threads at once), so KPIs read from one costly result (the SPBE scoring)
        share it. The others wait while it is computed."""
        with self._lock:
            if key not in self._shared:
                self._shared[key] = compute()
            return self._shared[key]  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Part:
    """One part of a KPI's figure: its code (for the filtered list), a public label (data: in
    Indonesian, with its English form when there is one) and value."""

    code: str
    label: str
    value: float
    label_en: str = ""


@dataclass(frozen=True)
class Verdict:
    """A qualitative reading of a figure (the SPBE predicate "Baik"), in Indonesian and
    English: it is data from the app (a regulation's names), not a gettext string."""

    name: str
    name_en: str = ""

    @property
    def local(self) -> str:
        """The English name on an English page when there is one, else the Indonesian."""
        if self.name_en and (translation.get_language() or "").startswith("en"):
            return self.name_en
        return self.name


@dataclass(frozen=True)
class Kpi:
    app: str  # the Django app label that computes it
    code: str  # unique within the app, snake_case
    name: str | Promise
    description: str | Promise
    unit: str  # "%", "jam", "hari", "laporan", "indeks", …
    direction: Direction
    dimension: Dimension
    compute: Callable[[KpiQuery], float | None]
    target: float | None = None
    # The list page that explains the figure, filtered like the query; None when there is none.
    list_url: Callable[[KpiQuery], str] | None = None
    # True when that list shows only an OPD's rows for a query with ``opd_id`` (from the link
    # or the operator's own role); an OPD operator is sent only to such lists.
    opd_list: bool = False
    # True when the figure is a state "now" (open incidents), not a count over the period.
    snapshot: bool = False
    # Optional: the figure of every calendar month of the query's period at once (one query
    # grouped by month in the tenant's time zone), keyed by the month's first day; a month
    # without data may be absent. The dashboard's sparklines and month comparisons use it
    # instead of computing the months one by one.
    per_month: Callable[[KpiQuery], dict[dt.date, float | None]] | None = None
    # Optional: the figure split into parts (incidents by kind), largest first, and the list
    # page of one part's rows, filtered like the query.
    breakdown: Callable[[KpiQuery], list[Part]] | None = None
    part_url: Callable[[KpiQuery, str], str] | None = None
    # Optional: the qualitative reading of the figure (a snapshot's only).
    verdict: Callable[[KpiQuery], Verdict | None] | None = None

    @property
    def key(self) -> str:
        return f"{self.app}.{self.code}"


_registry: dict[str, Kpi] = {}


def register(kpi: Kpi) -> Kpi:
    """Add ``kpi``; registering the same key twice replaces it (module reloads in tests)."""
    _registry[kpi.key] = kpi
    return kpi


@dataclass(frozen=True)
class Registrar:
    """Registers one app's KPIs: the app label, and the GMSC dimension most of them share."""

    app: str
    dimension: Dimension

    def __call__(
        self,
        code: str,
        name: str | Promise,
        description: str | Promise,
        unit: str,
        *,
        direction: Direction,
        compute: Callable[[KpiQuery], float | None],
        dimension: Dimension | None = None,
        target: float | None = None,
        list_url: Callable[[KpiQuery], str] | None = None,
        snapshot: bool = False,
        opd_list: bool = False,
        per_month: Callable[[KpiQuery], dict[dt.date, float | None]] | None = None,
        breakdown: Callable[[KpiQuery], list[Part]] | None = None,
        part_url: Callable[[KpiQuery, str], str] | None = None,
        verdict: Callable[[KpiQuery], Verdict | None] | None = None,
    ) -> Kpi:
        return register(
            Kpi(
                app=self.app,
                code=code,
                name=name,
                description=description,
                unit=unit,
                direction=direction,
                dimension=dimension or self.dimension,
                compute=compute,
                target=target,
                list_url=list_url,
                snapshot=snapshot,
                opd_list=opd_list,
                per_month=per_month,
                breakdown=breakdown,
                part_url=part_url,
                verdict=verdict,
            )
        )


def for_app(app: str, *, dimension: Dimension) -> Registrar:
    """``kpi = for_app("complaints", dimension=Dimension.GOVERNANCE)``, then
    ``kpi("received", _("…"), _("…"), "aduan", direction=Direction.UP, compute=received)``."""
    return Registrar(app=app, dimension=dimension)


def registered(app: str | None = None) -> list[Kpi]:
    """Every registered KPI (of one app), in registration order."""
    return [k for k in _registry.values() if app is None or k.app == app]


def get(key: str) -> Kpi | None:
    return _registry.get(key)
