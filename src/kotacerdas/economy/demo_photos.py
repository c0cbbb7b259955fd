"""Pictures for the demo villages, homestays and products, drawn here with Pillow (simple scenes,
nothing downloaded or copied) and stored through ``services.photo_add``, the path of a real
upload: the same checks, re-encoding, thumbnail and storage."""

from __future__ import annotations

import io
from collections.abc import Callable

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from kotacerdas.economy import services
from kotacerdas.economy.models import Homestay, Photo, Product, TourismVillage

WIDTH, HEIGHT = 960, 640
SKY, SEA, SAND, GRASS, HILL = "#8ec9ef", "#2f7fb5", "#e8d3a0", "#5fa94b", "#3f7d3a"
WOOD, ROOF, FISH, PLATE = "#9b6a3c", "#7a3b1f", "#b8c4cc", "#f4f1ea"

Scene = Callable[[ImageDraw.ImageDraw], None]


def _landscape(draw: ImageDraw.ImageDraw, *, horizon: int, ground: str) -> None:
    draw.rectangle((0, 0, WIDTH, horizon), fill=SKY)
    draw.ellipse((780, 50, 880, 150), fill="#ffd75e")  # the sun
    draw.rectangle((0, horizon, WIDTH, HEIGHT), fill=ground)


def _tree(draw: ImageDraw.ImageDraw, x: int, y: int, size: int) -> None:
    draw.rectangle((x - size // 10, y - size, x + size // 10, y), fill=WOOD)
    draw.ellipse((x - size // 2, y - 2 * size, x + size // 2, y - size + size // 4), fill=HILL)


def _hut(draw: ImageDraw.ImageDraw, x: int, y: int, width: int, *, stilts: int = 0) -> None:
    """A bamboo house with its bottom-left corner at (x, y), raised on ``stilts`` pixels."""
    height = width * 2 // 3
    floor = y - stilts
    for post in range(x + 10, x + width, width // 4):
        draw.rectangle((post, floor, post + 8, y), fill=WOOD)
    draw.rectangle((x, floor - height, x + width, floor), fill="#d9b26f", outline=WOOD, width=4)
    draw.polygon(
        [
            (x - 30, floor - height),
            (x + width // 2, floor - height - width // 2),
            (x + width + 30, floor - height),
        ],
        fill=ROOF,
    )
    draw.rectangle((x + width // 2 - 25, floor - 90, x + width // 2 + 25, floor), fill=WOOD)
    draw.rectangle((x + 25, floor - height + 30, x + 85, floor - height + 80), fill=SKY)


def _fish(draw: ImageDraw.ImageDraw, x: int, y: int, length: int, colour: str) -> None:
    """A fish facing left, its mouth at (x, y)."""
    half = length // 5
    draw.polygon(
        [(x + length - 10, y), (x + length + half, y - half), (x + length + half, y + half)],
        fill=colour,
    )
    draw.ellipse((x, y - half, x + length, y + half), fill=colour, outline="#5b6770", width=3)
    draw.ellipse(
        (x + half // 2, y - half // 3, x + half // 2 + 10, y - half // 3 + 10), fill="#222"
    )


def waterfall_hills(draw: ImageDraw.ImageDraw) -> None:
    _landscape(draw, horizon=380, ground=GRASS)
    draw.polygon([(0, 420), (260, 150), (520, 420)], fill=HILL)
    draw.polygon([(380, 420), (640, 120), (960, 420)], fill="#4d8c43")
    draw.rectangle((560, 190, 610, 470), fill="#e9f6ff")  # the curug
    draw.ellipse((500, 440, 680, 520), fill="#7cc3e8")  # its pool
    for x in (90, 180, 760, 860):
        _tree(draw, x, 600, 90)


def bamboo_homestay(draw: ImageDraw.ImageDraw) -> None:
    _landscape(draw, horizon=400, ground=GRASS)
    draw.polygon([(0, 400), (300, 200), (700, 400)], fill=HILL)
    _hut(draw, 330, 590, 300)
    for x in (120, 230, 760, 870):
        _tree(draw, x, 610, 100)


def orchard_homestay(draw: ImageDraw.ImageDraw) -> None:
    _landscape(draw, horizon=360, ground=GRASS)
    _hut(draw, 520, 580, 260)
    for x, y in ((120, 560), (300, 600), (850, 600)):
        _tree(draw, x, y, 110)
        for dx, dy in ((-25, -150), (20, -175), (5, -125)):  # durians
            draw.ellipse((x + dx - 14, y + dy - 18, x + dx + 14, y + dy + 18), fill="#8a9a2c")


def island_sea(draw: ImageDraw.ImageDraw) -> None:
    _landscape(draw, horizon=330, ground=SEA)
    draw.ellipse((300, 270, 700, 400), fill=SAND)
    draw.ellipse((360, 230, 640, 350), fill=GRASS)
    for x in (430, 500, 570):
        _tree(draw, x, 320, 60)
    draw.polygon([(120, 520), (330, 520), (300, 560), (150, 560)], fill=WOOD)  # a boat
    draw.line((225, 520, 225, 420), fill=WOOD, width=6)
    draw.polygon([(230, 425), (230, 510), (300, 510)], fill="#f2f2f2")


def stilt_homestay(draw: ImageDraw.ImageDraw) -> None:
    _landscape(draw, horizon=300, ground=SEA)
    draw.rectangle((0, 480, WIDTH, HEIGHT), fill=SAND)
    _hut(draw, 340, 560, 280, stilts=90)
    _tree(draw, 150, 560, 110)


def _table(draw: ImageDraw.ImageDraw) -> None:
    draw.rectangle((0, 0, WIDTH, HEIGHT), fill="#c89a63")
    for y in range(0, HEIGHT, 80):
        draw.line((0, y, WIDTH, y), fill="#b5884f", width=3)


def dried_fish(draw: ImageDraw.ImageDraw) -> None:
    _table(draw)
    draw.rectangle((60, 60, 900, 580), fill="#e6dcc6", outline=WOOD, width=10)  # a drying rack
    for row, y in enumerate((170, 320, 470)):
        for x in range(120 + 40 * (row % 2), 760, 220):
            _fish(draw, x, y, 160, "#c9b48a")


def fish_crackers(draw: ImageDraw.ImageDraw) -> None:
    _table(draw)
    draw.ellipse((140, 60, 820, 600), fill=PLATE, outline="#d0c8b8", width=6)
    for x, y in (
        (300, 200),
        (480, 170),
        (640, 240),
        (260, 360),
        (450, 330),
        (620, 400),
        (400, 470),
    ):
        draw.ellipse((x - 70, y - 55, x + 70, y + 55), fill="#f3e2b3", outline="#d9bf7f", width=4)


def milkfish(draw: ImageDraw.ImageDraw) -> None:
    _table(draw)
    draw.ellipse((90, 110, 870, 540), fill=PLATE, outline="#d0c8b8", width=6)
    _fish(draw, 200, 270, 420, "#c08a4a")
    _fish(draw, 230, 400, 380, "#b07a3e")


def _upload(scene: Scene, name: str) -> SimpleUploadedFile:
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    scene(ImageDraw.Draw(image))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return SimpleUploadedFile(f"{name}.png", out.getvalue(), content_type="image/png")


VILLAGE_SCENES: dict[str, Scene] = {"cikolelet": waterfall_hills, "pulau-tunda": island_sea}
HOMESTAY_SCENES: dict[str, Scene] = {
    "Homestay Saung Bambu (contoh)": bamboo_homestay,
    "Homestay Bukit Durian (contoh)": orchard_homestay,
    "Homestay Nelayan (contoh)": stilt_homestay,
}
PRODUCT_SCENES: dict[str, Scene] = {
    "ikan-asin": dried_fish,
    "kerupuk-ikan": fish_crackers,
    "bandeng-presto": milkfish,
}
CAPTION = "Gambar contoh"


def add_village_photos(*, village: TourismVillage) -> None:
    """A picture of ``village`` and of each of its homestays, unless it has photos already."""
    if Photo.objects.filter(village=village).exists():
        return
    scene = VILLAGE_SCENES.get(village.slug)
    if scene is not None:
        services.photo_add(
            upload=_upload(scene, village.slug), actor=None, village=village, caption=CAPTION
        )
    for homestay in Homestay.objects.filter(village=village).order_by("pk"):
        scene = HOMESTAY_SCENES.get(homestay.name)
        if scene is not None:
            services.photo_add(
                upload=_upload(scene, "homestay"),
                actor=None,
                village=village,
                homestay=homestay,
                caption=CAPTION,
            )


def add_product_photo(*, product: Product) -> None:
    """A picture of ``product``, unless it has photos already."""
    scene = PRODUCT_SCENES.get(product.slug)
    if scene is not None and not Photo.objects.filter(product=product).exists():
        services.photo_add(
            upload=_upload(scene, product.slug), actor=None, product=product, caption=CAPTION
        )
