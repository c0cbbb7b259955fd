"""A tenant's geography: its map view and the validation of its boundary (GeoJSON)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Indonesia with a margin: a boundary outside this box is a mistake (swapped lat/lng, say).
INDONESIA_LAT = (-12.0, 7.0)
INDONESIA_LNG = (94.0, 142.0)
MAX_BOUNDARY_POSITIONS = 100_000
MAX_BOUNDARY_BYTES = 5 * 1024 * 1024
POLYGONAL = {"Polygon", "MultiPolygon"}


def _geometries(value: Any) -> Iterator[dict[str, Any]]:
    if not isinstance(value, dict):
        raise ValidationError(_("GeoJSON harus berupa objek."), code="geojson")
    kind = value.get("type")
    if kind == "FeatureCollection":
        features = value.get("features")
        if not isinstance(features, list) or not features:
            raise ValidationError(_("FeatureCollection tanpa feature."), code="geojson")
        for feature in features:
            yield from _geometries(feature)
    elif kind == "Feature":
        yield from _geometries(value.get("geometry"))
    elif kind in POLYGONAL:
        yield value
    else:
        raise ValidationError(
            _("Batas wilayah harus Polygon atau MultiPolygon (juga di dalam Feature)."),
            code="geojson_type",
        )


def _rings(geometry: dict[str, Any]) -> Iterator[Any]:
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if geometry["type"] == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        raise ValidationError(_("Koordinat batas wilayah kosong."), code="geojson")
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise ValidationError(_("Koordinat batas wilayah kosong."), code="geojson")
        yield from polygon


def validate_boundary(value: Any) -> None:
    """Raises ``ValidationError`` unless ``value`` is a Polygon or MultiPolygon (bare, in a
    Feature or a FeatureCollection) with closed rings of [lng, lat] positions in Indonesia."""
    if value is None:
        return
    positions = 0
    for geometry in _geometries(value):
        for ring in _rings(geometry):
            if not isinstance(ring, list) or len(ring) < 4 or ring[0] != ring[-1]:
                raise ValidationError(
                    _("Setiap cincin poligon harus tertutup dan berisi minimal 4 titik."),
                    code="geojson_ring",
                )
            for position in ring:
                positions += 1
                if (
                    not isinstance(position, list)
                    or len(position) < 2
                    or not all(isinstance(c, int | float) for c in position[:2])
                ):
                    raise ValidationError(_("Koordinat tidak valid."), code="geojson")
                lng, lat = position[0], position[1]
                if not (
                    INDONESIA_LNG[0] <= lng <= INDONESIA_LNG[1]
                    and INDONESIA_LAT[0] <= lat <= INDONESIA_LAT[1]
                ):
                    raise ValidationError(
                        _(
                            "Koordinat %(lng)s, %(lat)s di luar Indonesia. GeoJSON memakai urutan [bujur, lintang]."
                        )
                        % {"lng": lng, "lat": lat},
                        code="geojson_outside",
                    )
    if positions > MAX_BOUNDARY_POSITIONS:
        raise ValidationError(
            _("Batas wilayah terlalu rinci (lebih dari %(n)s titik); sederhanakan dahulu.")
            % {"n": f"{MAX_BOUNDARY_POSITIONS:,}"},
            code="geojson_size",
        )


def parse_boundary(data: bytes) -> dict[str, Any]:
    """A boundary read from an uploaded GeoJSON file; ``ValidationError`` when it is not one."""
    if len(data) > MAX_BOUNDARY_BYTES:
        raise ValidationError(_("Berkas GeoJSON lebih dari 5 MB."), code="geojson_size")
    try:
        value = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise ValidationError(_("Berkas bukan GeoJSON yang valid."), code="geojson") from None
    validate_boundary(value)
    assert isinstance(value, dict)  # noqa: S101 - validate_boundary accepts only objects
    return value
