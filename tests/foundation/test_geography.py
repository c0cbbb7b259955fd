"""Tenant geography: the administrator sets the map view and the boundary; maps read them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kotacerdas.accounts.models import User
from kotacerdas.tenants.geo import validate_boundary
from kotacerdas.tenants.maps import map_config
from kotacerdas.tenants.models import Tenant

# A small square around the alun-alun of Kota Serang, [lng, lat] as GeoJSON wants.
SQUARE = [[106.14, -6.13], [106.16, -6.13], [106.16, -6.11], [106.14, -6.11], [106.14, -6.13]]
POLYGON = {"type": "Polygon", "coordinates": [SQUARE]}


@pytest.mark.parametrize(
    "shape",
    [
        POLYGON,
        {"type": "MultiPolygon", "coordinates": [[SQUARE], [SQUARE]]},
        {"type": "Feature", "properties": {}, "geometry": POLYGON},
        {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": POLYGON}]},
    ],
)
def test_polygonal_geojson_in_indonesia_is_accepted(shape: dict[str, Any]) -> None:
    validate_boundary(shape)


@pytest.mark.parametrize(
    ("shape", "code"),
    [
        ({"type": "Point", "coordinates": [106.15, -6.12]}, "geojson_type"),
        (
            {"type": "Polygon", "coordinates": [[[lat, lng] for lng, lat in SQUARE]]},
            "geojson_outside",
        ),
        ({"type": "Polygon", "coordinates": [SQUARE[:-1]]}, "geojson_ring"),
        ({"type": "Polygon", "coordinates": [[["a", "b"]] * 4]}, "geojson"),
        ({"type": "FeatureCollection", "features": []}, "geojson"),
        ([1, 2], "geojson"),
    ],
)
def test_other_shapes_are_refused_with_a_reason(shape: Any, code: str) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_boundary(shape)
    assert refused.value.code == code


def _upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("batas.geojson", content, content_type="application/geo+json")


@pytest.mark.django_db
def test_region_admin_sets_the_view_and_boundary_that_every_map_reads(
    client: Client, kota: Tenant, admin_kota: User
) -> None:
    client.force_login(admin_kota)
    page = client.get(f"/{kota.slug}/wilayah/peta/")
    assert page.status_code == 200
    assert "boundary_url" not in map_config(kota)
    saved = client.post(
        f"/{kota.slug}/wilayah/peta/",
        {
            "center_lat": "-6.115",
            "center_lng": "106.155",
            "zoom": "14",
            "boundary_file": _upload(json.dumps(POLYGON).encode()),
        },
    )
    assert saved.status_code == 302
    tenant = Tenant.objects.get(pk=kota.pk)
    assert tenant.map_view == {"center": [-6.115, 106.155], "zoom": 14}
    config = map_config(tenant, markers=[])
    assert config["center"] == [-6.115, 106.155] and config["markers"] == []
    assert config["boundary_url"] == f"/{kota.slug}/wilayah/batas.geojson?v=1"
    shape = Client().get(config["boundary_url"])  # public, cacheable
    assert shape.status_code == 200 and shape["Content-Type"] == "application/geo+json"
    assert json.loads(shape.content) == POLYGON
    assert "max-age=86400" in shape["Cache-Control"]
    # The settings page itself opens there and draws it.
    html = client.get(f"/{kota.slug}/wilayah/peta/").content.decode()
    assert "batas.geojson?v=1" in html and 'data-center="-6.115,106.155"' in html

    cleared = client.post(
        f"/{kota.slug}/wilayah/peta/",
        {"center_lat": "-6.115", "center_lng": "106.155", "zoom": "14", "clear_boundary": "on"},
    )
    assert cleared.status_code == 302
    assert "boundary_url" not in map_config(Tenant.objects.get(pk=kota.pk))
    assert Client().get(f"/{kota.slug}/wilayah/batas.geojson").status_code == 404


@pytest.mark.django_db
def test_a_bad_boundary_file_or_view_is_refused_and_nothing_changes(
    client: Client, kota: Tenant, admin_kota: User
) -> None:
    before = Tenant.objects.get(pk=kota.pk).map_view
    client.force_login(admin_kota)
    for data in (
        {
            "center_lat": "-6.1",
            "center_lng": "106.1",
            "zoom": "14",
            "boundary_file": _upload(b"{no"),
        },
        {
            "center_lat": "-6.1",
            "center_lng": "106.1",
            "zoom": "14",
            "boundary_file": _upload(json.dumps({"type": "Point", "coordinates": [1, 2]}).encode()),
        },
        {"center_lat": "-6.1", "center_lng": "106.1", "zoom": "40"},
        {"center_lat": "-96.1", "center_lng": "106.1", "zoom": "12"},
    ):
        response = client.post(f"/{kota.slug}/wilayah/peta/", data)
        assert response.status_code == 422
        assert 'class="error"' in response.content.decode()
    assert Tenant.objects.get(pk=kota.pk).map_view == before


@pytest.mark.django_db
def test_only_the_tenants_own_administrator_reaches_the_map_settings(
    client: Client, kota: Tenant, ani: User, admin_kab: User, dewi: User
) -> None:
    for user in (ani, admin_kab, dewi):
        client.force_login(user)
        assert client.get(f"/{kota.slug}/wilayah/peta/").status_code == 404
        assert client.post(f"/{kota.slug}/wilayah/peta/", {"zoom": "3"}).status_code == 404


@pytest.mark.django_db
def test_region_admin_sets_centre_points_of_their_own_kecamatan_only(
    client: Client, admin_kota: User
) -> None:
    from kotacerdas.regions.models import Region

    client.force_login(admin_kota)
    own = Region.objects.filter(code__startswith="36.73.", level=3).order_by("code").first()
    other = Region.objects.filter(code__startswith="36.04.", level=3).order_by("code").first()
    assert own is not None and other is not None
    url = f"/admin/regions/region/{own.pk}/change/"
    saved = client.post(url, {"center_lat": "-6.130000", "center_lng": "106.160000"})
    assert saved.status_code == 302
    own.refresh_from_db()
    assert (float(own.center_lat or 0), float(own.center_lng or 0)) == (-6.13, 106.16)
    listing = client.get("/admin/regions/region/?q=").content.decode()
    assert own.name in listing and other.name not in listing
    # Another kabupaten's kecamatan is outside their list: Django's admin treats it as missing.
    response = client.post(
        f"/admin/regions/region/{other.pk}/change/", {"center_lat": "1", "center_lng": "1"}
    )
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.center_lat is None
