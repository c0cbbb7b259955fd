"""The registry of map layers that apps offer the leaders' command-centre map.

Like ``core/kpis.py``: an app registers its layers from its ``kpis.py`` (imported by
``CoreConfig.ready``), so the dashboard draws them without importing another app's models.

A layer hands over a queryset of its rows for one tenant (optionally one kecamatan) and the
names of its latitude, longitude and status fields; the dashboard counts and clusters it in
SQL. Only those three fields and a public label ever leave the app: never personal data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.functional import Promise

if TYPE_CHECKING:
    from kotacerdas.tenants.models import Tenant


@dataclass(frozen=True)
class MapLayer:
    app: str
    code: str
    name: str | Promise
    # (tenant, kecamatan code or None) -> the rows to draw; rows without a position are skipped.
    rows: Callable[[Tenant, str | None], QuerySet[Any]]
    lat: str
    lng: str
    status: str
    # Label and colour of each status value; a value missing here is drawn grey.
    statuses: dict[str, tuple[str | Promise, str]] = field(default_factory=dict)
    # The lookup from a row to its OPD's id (None: the rows belong to no OPD, and an OPD
    # operator is not shown the layer).
    opd_field: str | None = None

    @property
    def key(self) -> str:
        return f"{self.app}.{self.code}"


_registry: dict[str, MapLayer] = {}


def register(layer: MapLayer) -> MapLayer:
    _registry[layer.key] = layer
    return layer


def registered() -> list[MapLayer]:
    return list(_registry.values())


def get(key: str) -> MapLayer | None:
    return _registry.get(key)
