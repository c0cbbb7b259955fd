"""Demo tourism villages and fisheries OVOP products of Kabupaten Serang, all marked as
examples ("contoh"): the names of the places are real, every other detail is invented.
Accounts: ``pokdarwis-kab`` (manager of Cikolelet) and ``produsen-kab`` (a fish-processing
group in Pontang), with the demo password."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from kotacerdas.accounts.models import Role
from kotacerdas.accounts.services import staff_upsert
from kotacerdas.economy.demo_photos import add_product_photo, add_village_photos
from kotacerdas.economy.models import (
    Attraction,
    Event,
    Homestay,
    Permit,
    Producer,
    Product,
    Signal,
    TourismVillage,
    TourPackage,
    VillageClass,
)
from kotacerdas.regions.models import Region
from kotacerdas.tenants.models import Tenant


def load_demo(*, password: str) -> None:
    tenant = Tenant.objects.filter(region_id="36.04").first()
    if tenant is None:
        return
    manager = staff_upsert(
        username="pokdarwis-kab",
        role=Role.VILLAGE_MANAGER,
        tenant=tenant,
        full_name="Pokdarwis Cikolelet (contoh)",
        email="pokdarwis-kab@demo.kotacerdas.id",
        password=password,
    )
    producer_user = staff_upsert(
        username="produsen-kab",
        role=Role.PRODUCER,
        tenant=tenant,
        full_name="Kelompok Pengolah Ikan Pontang (contoh)",
        email="produsen-kab@demo.kotacerdas.id",
        password=password,
    )
    today = timezone.localdate()
    cikolelet, created = TourismVillage.objects.get_or_create(
        tenant=tenant,
        slug="cikolelet",
        defaults={
            "village": Region.objects.get(code="36.04.31.2009"),
            "name": "Desa Wisata Cikolelet (contoh)",
            "village_class": VillageClass.BERKEMBANG,
            "class_assessed_on": dt.date(2025, 8, 1),
            "pokdarwis": "Pokdarwis Cikolelet",
            "contact_phone": "0254-000000",
            "story": "Desa di lereng perbukitan Cinangka dengan curug, kebun dan budaya Sunda-Banten. "
            "Data contoh untuk demo.",
            "story_en": "A hillside village in Cinangka with waterfalls, gardens and Sundanese-Bantenese "
            "culture. Example data for the demo.",
            "access": "Dari Serang ke arah Anyer, belok di Cinangka; sekitar 1,5 jam berkendara.",
            "facilities": ["toilet", "parkir", "musala", "warung"],
            "lat": Decimal("-6.193000"),
            "lng": Decimal("105.933000"),
            "signal": Signal.GOOD,
            "is_example": True,
        },
    )
    cikolelet.managers.add(manager)
    if created:
        Attraction.objects.bulk_create(
            [
                Attraction(
                    village=cikolelet, name="Curug Lawang (contoh)", kind=Attraction.Kind.NATURE
                ),
                Attraction(
                    village=cikolelet, name="Kebun durian (contoh)", kind=Attraction.Kind.EDUCATION
                ),
                Attraction(
                    village=cikolelet,
                    name="Kesenian rampak bedug (contoh)",
                    kind=Attraction.Kind.CULTURE,
                ),
            ]
        )
        Homestay.objects.bulk_create(
            [
                Homestay(
                    village=cikolelet,
                    name="Homestay Saung Bambu (contoh)",
                    rooms=3,
                    price_per_night=Decimal(250000),
                ),
                Homestay(
                    village=cikolelet,
                    name="Homestay Bukit Durian (contoh)",
                    rooms=2,
                    price_per_night=Decimal(200000),
                ),
            ]
        )
        TourPackage.objects.create(
            village=cikolelet,
            name="Jelajah curug dan kebun (contoh)",
            price=Decimal(150000),
            days=1,
        )
        Event.objects.create(
            village=cikolelet,
            name="Festival durian Cikolelet (contoh)",
            starts_on=today + dt.timedelta(days=30),
            ends_on=today + dt.timedelta(days=31),
        )
    tunda, created = TourismVillage.objects.get_or_create(
        tenant=tenant,
        slug="pulau-tunda",
        defaults={
            "village": Region.objects.get(code="36.04.13.2009"),
            "name": "Desa Wisata Pulau Tunda (contoh)",
            "village_class": VillageClass.RINTISAN,
            "story": "Pulau kecil di Teluk Banten untuk menyelam dan memancing. Data contoh.",
            "story_en": "A small island in Banten Bay for diving and fishing. Example data.",
            "access": "Perahu dari Pelabuhan Karangantu, sekitar 2 jam.",
            "facilities": ["toilet", "musala"],
            "lat": Decimal("-5.815000"),
            "lng": Decimal("106.280000"),
            "signal": Signal.WEAK,
            "is_example": True,
        },
    )
    if created:
        Attraction.objects.create(
            village=tunda, name="Taman karang (contoh)", kind=Attraction.Kind.MARINE
        )
        Homestay.objects.create(
            village=tunda,
            name="Homestay Nelayan (contoh)",
            rooms=4,
            price_per_night=Decimal(300000),
        )
    add_village_photos(village=cikolelet)
    add_village_photos(village=tunda)
    group, _created = Producer.objects.get_or_create(
        tenant=tenant,
        slug="pengolah-ikan-pontang",
        defaults={
            "village": Region.objects.get(code="36.04.12.2001"),
            "name": "Kelompok Pengolah Ikan Pontang (contoh)",
            "kind": Producer.Kind.FISHING_GROUP,
            "lat": Decimal("-6.040000"),
            "lng": Decimal("106.260000"),
            "is_example": True,
        },
    )
    group.members.add(producer_user)
    products = [
        (
            "ikan-asin",
            "Ikan asin jambal (contoh)",
            35000,
            60000,
            "kg",
            4,
            "Pengemasan rapi dan izin lengkap.",
        ),
        (
            "kerupuk-ikan",
            "Kerupuk ikan tenggiri (contoh)",
            15000,
            25000,
            "pak",
            3,
            "Rasa baik; label perlu diperbaiki.",
        ),
        ("bandeng-presto", "Bandeng presto (contoh)", 45000, 55000, "pak", None, ""),
    ]
    for slug, name, low, high, unit, stars, reason in products:
        product, created = Product.objects.get_or_create(
            producer=group,
            slug=slug,
            defaults={
                "name": name,
                "group": "hasil_perikanan",
                "description": "Olahan hasil laut Pontang. Data contoh.",
                "price_min": Decimal(low),
                "price_max": Decimal(high),
                "unit": unit,
                "capacity_per_month": 500,
                "stars": stars,
                "stars_reason": reason,
                "rated_on": dt.date(2025, 10, 1) if stars else None,
            },
        )
        if created:
            Permit.objects.create(
                product=product,
                kind=Permit.Kind.PIRT,
                number=f"P-IRT 2133604{len(slug):02d}0001-29",
                expires_on=dt.date(2029, 6, 30),
            )
            if stars:
                Permit.objects.create(
                    product=product,
                    kind=Permit.Kind.HALAL,
                    number=f"ID36110000{len(slug):04d}0925",
                    expires_on=today + dt.timedelta(days=45),
                )
        add_product_photo(product=product)
