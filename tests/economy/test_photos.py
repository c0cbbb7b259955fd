"""Photos of villages, their homestays and products: uploaded by the manager or producer through
the back office, re-encoded without metadata, shown light (thumbnails with their size, lazy) on
the public pages, in the JSON-LD ``image`` and the Open Graph preview."""

from __future__ import annotations

import io
import re

import extruct
import pytest
from django.test import Client
from PIL import Image

from kotacerdas.accounts.models import User
from kotacerdas.core.errors import DomainError
from kotacerdas.economy import demo, services
from kotacerdas.economy.models import Homestay, Photo, Product, TourismVillage
from kotacerdas.economy.services import photos
from kotacerdas.tenants.models import Tenant
from tests.economy.conftest import fetch, jpeg, upload

BASE = "/kabupaten-serang/wisata"


def _image(client: Client, url: str) -> tuple[Image.Image, dict[str, str]]:
    status, body, response = fetch(client, url)
    assert status == 200
    return Image.open(io.BytesIO(body)), dict(response.headers)


def test_the_manager_uploads_a_homestay_photo_and_it_shows_small_lazy_and_without_location(
    client: Client, sikonde: TourismVillage, pokdarwis: User
) -> None:
    homestay = Homestay.objects.get(village=sikonde, name__startswith="Homestay Saung")
    client.force_login(pokdarwis)
    page = f"{BASE}/kelola/desa/{sikonde.pk}/foto/"
    assert client.get(page).status_code == 200
    sent = client.post(page, {"image": upload(jpeg()), "caption": "Kamar depan"})
    assert sent.status_code == 302
    sent = client.post(
        page, {"image": upload(jpeg(800, 1200)), "caption": "Teras", "part": f"h{homestay.pk}"}
    )
    assert sent.status_code == 302
    general, of_homestay = Photo.objects.filter(village=sikonde).order_by("pk")
    assert of_homestay.homestay == homestay and general.homestay is None

    client.logout()
    full, _headers = _image(client, f"{BASE}/foto/{general.pk}.jpg")
    assert full.format == "JPEG" and max(full.size) == 1600
    assert not full.getexif()  # no camera model, no GPS
    thumb, headers = _image(client, f"{BASE}/foto/{general.pk}-kecil.jpg")
    assert "immutable" in headers["Cache-Control"]
    assert max(thumb.size) == 480

    url = f"{BASE}/desa/cikolelet/"
    html = client.get(url).text
    tag = re.search(rf'<img src="{BASE}/foto/{general.pk}-kecil.jpg"[^>]*>', html)
    assert tag is not None
    assert 'width="480" height="360"' in tag[0] and 'loading="lazy"' in tag[0]
    data = extruct.extract(html, base_url="http://testserver" + url, uniform=True)
    [destination] = data["json-ld"]
    assert destination["image"] == [f"http://testserver{BASE}/foto/{general.pk}.jpg"]
    [lodging] = [i for i in destination["includesAttraction"] if i.get("name") == homestay.name]
    assert lodging["image"] == [f"http://testserver{BASE}/foto/{of_homestay.pk}.jpg"]
    og = data["opengraph"][0]
    assert og["og:image"] == f"http://testserver{BASE}/foto/{general.pk}.jpg"
    assert og["og:image:width"] == "1600"


def test_the_producer_adds_a_product_photo_that_the_product_page_and_json_ld_carry(
    client: Client, sikonde: TourismVillage
) -> None:
    product = Product.objects.get(slug="ikan-asin")
    client.force_login(User.objects.get(username="produsen-kab"))
    page = f"{BASE}/kelola/produk/{product.pk}/foto/"
    assert client.post(page, {"image": upload(jpeg(600, 600))}).status_code == 302
    photo = Photo.objects.get(product=product)
    url = f"{BASE}/produk/pengolah-ikan-pontang/ikan-asin/"
    html = client.get(url).text
    [data] = extruct.extract(html, base_url="http://testserver" + url, syntaxes=["json-ld"])[
        "json-ld"
    ]
    assert data["image"] == [f"http://testserver{BASE}/foto/{photo.pk}.jpg"]
    assert (
        f'<meta property="og:image" content="http://testserver{BASE}/foto/{photo.pk}.jpg">' in html
    )


def test_bad_photos_get_a_clear_400_and_store_nothing(
    client: Client, sikonde: TourismVillage, pokdarwis: User
) -> None:
    client.force_login(pokdarwis)
    page = f"{BASE}/kelola/desa/{sikonde.pk}/foto/"
    text = client.post(page, {"image": upload(b"bukan foto sama sekali")})
    assert text.status_code == 400 and "Jenis gambar tidak diterima" in text.text
    cut = client.post(page, {"image": upload(jpeg()[:3000])})
    assert cut.status_code == 400 and "rusak" in cut.text
    assert client.post(page, {"caption": "tanpa berkas"}).status_code == 400
    assert not Photo.objects.exists()


def test_only_the_villages_managers_and_the_office_manage_its_photos(  # noqa: PLR0917 - fixtures
    client: Client,
    sikonde: TourismVillage,
    pokdarwis: User,
    other_manager: User,
    disparpora: User,
    citra: User,
) -> None:
    page = f"{BASE}/kelola/desa/{sikonde.pk}/foto/"
    assert client.get(page).status_code == 302  # anonymous: sign in first
    client.force_login(pokdarwis)
    client.post(page, {"image": upload(jpeg(400, 300))})
    photo = Photo.objects.get()
    for outsider in (other_manager, citra, User.objects.get(username="produsen-kab")):
        client.force_login(outsider)
        assert client.get(page).status_code == 404
    client.force_login(other_manager)
    own = f"{BASE}/kelola/desa/{TourismVillage.objects.get(slug='pulau-tunda').pk}/foto/"
    assert client.post(own, {"remove": photo.pk}).status_code == 404  # not a Pulau Tunda photo
    assert Photo.objects.filter(pk=photo.pk).exists()
    client.force_login(disparpora)
    assert client.post(page, {"remove": photo.pk}).status_code == 302
    assert not Photo.objects.exists()


def test_a_photo_of_an_unpublished_village_or_another_region_is_not_served(
    client: Client, sikonde: TourismVillage, pokdarwis: User
) -> None:
    client.force_login(pokdarwis)
    client.post(f"{BASE}/kelola/desa/{sikonde.pk}/foto/", {"image": upload(jpeg(400, 300))})
    photo = Photo.objects.get()
    client.logout()
    assert fetch(client, f"{BASE}/foto/{photo.pk}.jpg")[0] == 200
    assert fetch(client, f"/kota-serang/wisata/foto/{photo.pk}.jpg")[0] == 404
    TourismVillage.objects.filter(pk=sikonde.pk).update(published=False)
    assert fetch(client, f"{BASE}/foto/{photo.pk}.jpg")[0] == 404


def test_the_village_page_reads_its_photos_in_one_query_however_many(
    client: Client, sikonde: TourismVillage, pokdarwis: User
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(pokdarwis)
    page = f"{BASE}/kelola/desa/{sikonde.pk}/foto/"
    client.post(page, {"image": upload(jpeg(300, 200))})
    client.logout()

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{BASE}/desa/cikolelet/").status_code == 200
        return len(captured)

    one = queries()
    client.force_login(pokdarwis)
    attraction = sikonde.attractions.first()
    homestay = sikonde.homestays.first()
    assert attraction is not None and homestay is not None
    for part in (f"a{attraction.pk}", f"h{homestay.pk}", ""):
        client.post(page, {"image": upload(jpeg(300, 200)), "part": part})
    client.logout()
    assert Photo.objects.filter(village=sikonde).count() == 4
    assert queries() == one


def test_a_village_has_at_most_max_photos_and_a_refused_upload_leaves_no_file(  # type: ignore[no-untyped-def]
    sikonde: TourismVillage, pokdarwis: User, monkeypatch, settings
) -> None:
    monkeypatch.setattr(photos, "MAX_PHOTOS", 1)
    encode = photos._jpeg

    def meanwhile(image, side):  # type: ignore[no-untyped-def]
        # Another upload of the same village finishes while this one is being encoded.
        if side == services.PHOTO_SIDE and not Photo.objects.exists():
            Photo.objects.create(tenant=sikonde.tenant, village=sikonde, image="x.jpg")
        return encode(image, side)

    monkeypatch.setattr(photos, "_jpeg", meanwhile)
    with pytest.raises(DomainError) as refused:
        services.photo_add(upload=upload(jpeg(300, 200)), actor=pokdarwis, village=sikonde)
    assert refused.value.code == "too_many_photos"
    assert Photo.objects.count() == 1
    assert not list((settings.MEDIA_ROOT / "economy").rglob("*.jpg"))  # its files removed
    with pytest.raises(DomainError):  # refused before decoding now
        services.photo_add(upload=upload(jpeg(300, 200)), actor=pokdarwis, village=sikonde)


def test_the_demo_draws_pictures_of_its_villages_homestays_and_products(
    client: Client, kab: Tenant
) -> None:
    demo.load_demo(password="x")
    demo.load_demo(password="x")  # again: no second set
    cikolelet = TourismVillage.objects.get(tenant=kab, slug="cikolelet")
    of_village = Photo.objects.filter(village=cikolelet)
    assert of_village.count() == 3
    assert of_village.filter(homestay__isnull=False).count() == 2
    assert Photo.objects.filter(village__slug="pulau-tunda").count() == 2
    assert Photo.objects.filter(product__isnull=False).count() == 3
    assert all(photo.caption == "Gambar contoh" for photo in Photo.objects.all())

    html = client.get(f"{BASE}/desa/cikolelet/").text
    general = of_village.get(homestay__isnull=True)
    assert f'<img src="{BASE}/foto/{general.pk}-kecil.jpg"' in html
    picture, _headers = _image(client, f"{BASE}/foto/{general.pk}.jpg")
    assert picture.format == "JPEG" and picture.size == (general.width, general.height)
    assert len(picture.getcolors(maxcolors=100_000) or []) > 5  # a drawn scene, not a blank
    product = Photo.objects.get(product__slug="ikan-asin")
    html = client.get(f"{BASE}/produk/pengolah-ikan-pontang/ikan-asin/").text
    assert f"{BASE}/foto/{product.pk}.jpg" in html
