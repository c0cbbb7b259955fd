"""The command-centre map: the registered layers, counted and clustered in SQL.

A layer with at most ``POINT_LIMIT`` positioned rows is sent as points; a bigger one as grid
clusters (rows grouped by rounded latitude and longitude, with a count per status), whose
cell shrinks as the map zooms in. Only position, status and a count leave the database.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, FloatField, Q, Sum
from django.db.models.functions import Cast, Floor

from kotacerdas.core import map_layers
from kotacerdas.core.map_layers import MapLayer
from kotacerdas.regions.models import Level, Region
from kotacerdas.tenants.models import Tenant

POINT_LIMIT = 2000
CLUSTER_LIMIT = 5000


def cell_size(zoom: int) -> float:
    """Degrees per grid cell: about 60 screen pixels at ``zoom``."""
    cells: int = 2 ** max(1, min(zoom, 18))  # cells around the world at this zoom
    return 360.0 / cells * 60 / 256


def layer_data(
    layer: MapLayer,
    tenant: Tenant,
    *,
    kecamatan: str | None,
    zoom: int,
    opd_id: int | None = None,
) -> dict[str, Any]:
    """The layer's rows in the tenant (of one kecamatan; of one OPD, for a layer that has an
    ``opd_field``, and none for a layer without one)."""
    rows = layer.rows(tenant, kecamatan).filter(
        **{f"{layer.lat}__isnull": False, f"{layer.lng}__isnull": False}
    )
    if opd_id is not None:
        rows = rows.filter(**{layer.opd_field: opd_id}) if layer.opd_field else rows.none()
    legend = [
        {"status": status, "label": str(label), "color": colour}
        for status, (label, colour) in layer.statuses.items()
    ]
    colours = {status: colour for status, (_label, colour) in layer.statuses.items()}
    total = rows.count()
    if total <= POINT_LIMIT:
        points = [
            {
                "lat": float(lat),
                "lng": float(lng),
                "status": status,
                "color": colours.get(status, "#888888"),
            }
            for lat, lng, status in rows.order_by().values_list(layer.lat, layer.lng, layer.status)
        ]
        return {"key": layer.key, "total": total, "points": points, "legend": legend}
    cell = cell_size(zoom)
    lat = Cast(F(layer.lat), FloatField())
    lng = Cast(F(layer.lng), FloatField())
    grouped = (
        rows.order_by()
        .annotate(cy=Floor(lat / cell), cx=Floor(lng / cell))
        .values("cy", "cx")
        .annotate(
            n=Count("pk"),
            lat_sum=Sum(lat),
            lng_sum=Sum(lng),
            **{
                f"s_{i}": Count("pk", filter=Q(**{layer.status: status}))
                for i, status in enumerate(layer.statuses)
            },
        )
        .order_by("-n")[:CLUSTER_LIMIT]
    )
    statuses = list(layer.statuses)
    clusters = []
    for row in grouped:
        counts = {s: row[f"s_{i}"] for i, s in enumerate(statuses) if row[f"s_{i}"]}
        top = max(counts, key=counts.__getitem__) if counts else ""
        clusters.append(
            {
                "lat": row["lat_sum"] / row["n"],
                "lng": row["lng_sum"] / row["n"],
                "count": row["n"],
                "by_status": counts,
                "color": colours.get(top, "#888888"),
            }
        )
    return {"key": layer.key, "total": total, "clusters": clusters, "legend": legend}


def layer_choices(*, opd_scoped: bool = False) -> list[tuple[str, str]]:
    """The layers a viewer may switch on: for an OPD's scope, those whose rows know their OPD."""
    return [
        (layer.key, str(layer.name))
        for layer in map_layers.registered()
        if not opd_scoped or layer.opd_field is not None
    ]


def kecamatan_centres(tenant: Tenant) -> list[dict[str, Any]]:
    """The tenant's kecamatan with a recorded centre point (name and code are public)."""
    return [
        {"code": code, "name": name, "lat": float(lat or 0), "lng": float(lng or 0)}
        for code, name, lat, lng in Region.objects.filter(
            level=Level.DISTRICT,
            parent_id=tenant.region_id,
            center_lat__isnull=False,
            center_lng__isnull=False,
        ).values_list("code", "name", "center_lat", "center_lng")
    ]
