"""What a complaint photo costs the web request now, against what it cost before (issue #12
item 3): the request checks and decodes the photo (``photo_check``); the re-encoding without
EXIF (``photo_public_copy``) runs after commit in the ``publish_photos`` worker. The baseline,
measured in the same run and interleaved, is both together (the request's work before).

Run: ``.venv/bin/python bench/complaint_photo.py [rounds]``; prints JSON.
"""

from __future__ import annotations

import io
import json
import os
import statistics
import sys
import time

import django


def main(rounds: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.settings")
    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from kotacerdas.complaints.photos import photo_check, photo_public_copy

    # A 1600x1200 phone-like photo: smooth content with noise, EXIF with GPS.
    noise = Image.frombytes("RGB", (400, 300), os.urandom(400 * 300 * 3))
    image = noise.resize((1600, 1200), Image.Resampling.BICUBIC)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "S", 2: (6.0, 7.0, 12.0)}
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90, exif=exif)
    raw = buffer.getvalue()

    def upload() -> SimpleUploadedFile:
        return SimpleUploadedFile("foto.jpg", raw, content_type="image/jpeg")

    request_now: list[float] = []
    request_before: list[float] = []
    for _ in range(rounds):  # interleaved: the machine's load moves both alike
        started = time.perf_counter()
        photo_check(upload())
        request_now.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        original = photo_check(upload())
        photo_public_copy(original.read())
        request_before.append((time.perf_counter() - started) * 1000)
    now, before = statistics.median(request_now), statistics.median(request_before)
    print(
        json.dumps(
            {
                "photo_bytes": len(raw),
                "rounds": rounds,
                "request_ms_median_now": round(now, 1),
                "request_ms_median_before_baseline": round(before, 1),
                "moved_to_worker_ms": round(before - now, 1),
                "ratio_now_before": round(now / before, 2),
                "load_average": os.getloadavg(),
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
