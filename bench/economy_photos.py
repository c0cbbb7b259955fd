"""Photo uploads of tourism villages and products: the re-encoding that ``photo_add`` does
(header check, JPEG decoded reduced, upright, 1600 px page copy and 480 px thumbnail) against
the baseline of decoding every pixel first, on phone-sized JPEGs. Each run is a fresh process
(Django set up, the upload read), so its peak resident memory is its own and the two sides
differ only by the decoding. No database is needed:
    .venv/bin/python bench/economy_photos.py
"""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import resource
import tempfile
import time

from PIL import Image, ImageOps

# 48 MP phones exist, but core.uploads refuses more than 40 MP before decoding anything.
SIZES = {"12mp": (4000, 3000), "39mp": (7200, 5400)}
RUNS = 3


def _setup() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.settings")
    django.setup()


def _make(path: str, size: tuple[int, int]) -> None:
    # A gradient with noise: compresses like a photo, not like a flat colour.
    small = Image.effect_noise((size[0] // 8, size[1] // 8), 60).convert("RGB")
    image = small.resize(size, Image.Resampling.BILINEAR)
    image.save(path, format="JPEG", quality=90)


def _ours(raw: bytes) -> tuple[int, int]:
    from kotacerdas.core.uploads import image_open_reduced
    from kotacerdas.economy.services.photos import PHOTO_SIDE, THUMB_SIDE, _jpeg

    with image_open_reduced(raw, max_side=PHOTO_SIDE) as decoded:
        upright = ImageOps.exif_transpose(decoded).convert("RGB")
    full, _w, _h = _jpeg(upright, PHOTO_SIDE)
    thumb, _w, _h = _jpeg(upright, THUMB_SIDE)
    return len(full), len(thumb)


def _baseline(raw: bytes) -> tuple[int, int]:
    """Decode every pixel, then shrink: what a plain ``Image.open().thumbnail()`` costs."""
    image = Image.open(io.BytesIO(raw))
    image.load()
    sizes = []
    for side in (1600, 480):
        copy = image.convert("RGB")
        copy.thumbnail((side, side))
        out = io.BytesIO()
        copy.save(out, format="JPEG", quality=80, optimize=True, progressive=True)
        sizes.append(len(out.getvalue()))
    return sizes[0], sizes[1]


def _child(kind: str, path: str, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    _setup()
    with open(path, "rb") as fh:
        raw = fh.read()
    start = time.perf_counter()
    full, thumb = (_ours if kind == "ours" else _baseline)(raw)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put(
        {
            "ms": elapsed * 1000,
            "peak_rss_mb": peak / 1024,
            "full": full,
            "thumb": thumb,
        }
    )


def _measure(kind: str, path: str) -> dict[str, float]:
    ctx = multiprocessing.get_context("spawn")
    results = []
    for _i in range(RUNS):
        queue = ctx.Queue()
        process = ctx.Process(target=_child, args=(kind, path, queue))
        process.start()
        results.append(queue.get(timeout=300))
        process.join()
    return {
        "ms_median": round(sorted(r["ms"] for r in results)[RUNS // 2], 1),
        "peak_rss_mb_max": round(max(r["peak_rss_mb"] for r in results), 1),
        "page_jpeg_kb": round(results[0]["full"] / 1024, 1),
        "thumb_jpeg_kb": round(results[0]["thumb"] / 1024, 1),
    }


def main() -> None:
    report: dict[str, object] = {"runs_per_case": RUNS}
    with tempfile.TemporaryDirectory() as tmp:
        for name, size in SIZES.items():
            path = os.path.join(tmp, f"{name}.jpg")
            _make(path, size)
            report[name] = {
                "upload_kb": round(os.path.getsize(path) / 1024, 1),
                "ours": _measure("ours", path),
                "baseline_full_decode": _measure("baseline", path),
            }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
