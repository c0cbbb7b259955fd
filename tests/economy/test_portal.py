"""The public portal: filters, village and product pages, structured data read back by a real
parser (extruct), Open Graph, and the read-only API."""

from __future__ import annotations

from typing import Any

import extruct
from django.test import Client

from kotacerdas.economy.models import TourismVillage


def _data(html: str, url: str) -> dict[str, list[dict[str, Any]]]:
    data: dict[str, list[dict[str, Any]]] = extruct.extract(
        html, base_url=url, syntaxes=["json-ld", "opengraph"], uniform=True
    )
    return data


def test_village_page_carries_destination_lodging_offer_and_event(
    client: Client, sikonde: TourismVillage
) -> None:
    url = "/kabupaten-serang/wisata/desa/cikolelet/"
    page = client.get(url)
    assert page.status_code == 200
    data = _data(page.text, "http://testserver" + url)
    [destination] = data["json-ld"]
    assert destination["@type"] == "TouristDestination"
    assert destination["name"] == "Desa Wisata Cikolelet (contoh)"
    kinds = {item["@type"] for item in destination["includesAttraction"]}
    assert kinds == {"TouristAttraction", "LodgingBusiness"}
    lodging = [i for i in destination["includesAttraction"] if i["@type"] == "LodgingBusiness"]
    assert {i["makesOffer"]["price"] for i in lodging} == {"250000", "200000"}
    assert all(i["makesOffer"]["priceCurrency"] == "IDR" for i in lodging)
    [event] = destination["subjectOf"]
    assert event["@type"] == "Event" and event["startDate"]
    og = data["opengraph"][0]
    assert og["og:title"] == "Desa Wisata Cikolelet (contoh)"


def test_product_page_shows_permits_and_stars_and_is_a_schema_org_product(
    client: Client, sikonde: TourismVillage
) -> None:
    url = "/kabupaten-serang/wisata/produk/pengolah-ikan-pontang/ikan-asin/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Sertifikat halal" in page.text and "PIRT" in page.text
    assert "4 dari 5 bintang" in page.text
    [product] = _data(page.text, "http://testserver" + url)["json-ld"]
    assert product["@type"] == "Product"
    assert product["offers"]["@type"] == "AggregateOffer"
    assert (product["offers"]["lowPrice"], product["offers"]["highPrice"]) == ("35000", "60000")
    assert product["brand"]["name"] == "Kelompok Pengolah Ikan Pontang (contoh)"


def test_portal_filters_by_attraction_kind_class_kecamatan_and_product_group(
    client: Client, sikonde: TourismVillage
) -> None:
    base = "/kabupaten-serang/wisata/"
    cikolelet = 'desa/cikolelet/"><strong>'
    tunda = 'desa/pulau-tunda/"><strong>'
    assert tunda in client.get(base + "?daya_tarik=bahari").text
    assert cikolelet not in client.get(base + "?daya_tarik=bahari").text
    assert cikolelet in client.get(base + "?kelas=berkembang").text
    assert tunda not in client.get(base + "?kecamatan=36.04.31").text
    assert "Ikan asin" in client.get(base + "?kelompok=hasil_perikanan").text
    assert "Ikan asin" not in client.get(base + "?kelompok=kerajinan").text
    assert client.get(base + "?kelas=%00&kecamatan=%00").status_code in (200, 400)


def test_public_api_pages_villages_and_gives_the_smart_data_model(
    client: Client, sikonde: TourismVillage
) -> None:
    first = client.get("/api/v1/economy/kabupaten-serang/villages?limit=1")
    assert first.status_code == 200
    [row] = first.json()
    rest = client.get(
        f"/api/v1/economy/kabupaten-serang/villages?limit=50&after={row['id']}"
    ).json()
    assert len(rest) == 1 and rest[0]["id"] > row["id"]
    entity = client.get(f"/api/v1/economy/kabupaten-serang/villages/{sikonde.pk}/smart-data").json()
    assert entity["type"] == "TouristDestination"
    assert entity["id"].startswith("urn:ngsi-ld:TouristDestination:")
    assert entity["location"] == {"type": "Point", "coordinates": [105.933, -6.193]}
    products = client.get("/api/v1/economy/kabupaten-serang/products").json()
    assert {p["stars"] for p in products} == {4, 3, None}
    assert client.get("/api/v1/economy/kabupaten-serang/villages?limit=0").status_code == 400
    assert client.get("/api/v1/economy/tidak-ada/villages").status_code == 404
