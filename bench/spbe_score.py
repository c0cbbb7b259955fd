"""SPBE calculator: the exact (Fraction) engine alone, and POST /api/v1/spbe/score end to end
through Django's test client (in-process, no network). Needs a migrated database:
    DATABASE_URL=sqlite:///var/bench.sqlite3 .venv/bin/kotacerdas migrate
    DATABASE_URL=sqlite:///var/bench.sqlite3 .venv/bin/python bench/spbe_score.py
"""

from __future__ import annotations

import json
import os
import random
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.settings")
django.setup()

from django.test import Client  # noqa: E402

from kotacerdas.spbe import api as spbe_api  # noqa: E402
from kotacerdas.spbe.scoring import route_to_next_predicate, score  # noqa: E402
from kotacerdas.spbe.selectors import framework_spec  # noqa: E402

N = 2000
random.seed(7)
vectors = [{n: random.randint(1, 5) for n in range(1, 48)} for _ in range(N)]
spec = framework_spec()

start = time.perf_counter()
for levels in vectors:
    score(spec, levels)
    route_to_next_predicate(spec, levels)
engine_ms = (time.perf_counter() - start) * 1000 / N

spbe_api.RATE = "1000000/m"  # measure the calculator, not the rate limiter's refusals
client = Client()
latencies = []
for levels in vectors[:500]:
    body = json.dumps({"levels": {str(k): v for k, v in levels.items()}})
    t0 = time.perf_counter()
    response = client.post("/api/v1/spbe/score", body, content_type="application/json")
    latencies.append((time.perf_counter() - t0) * 1000)
    assert response.status_code == 200, response.content
latencies.sort()
print(
    json.dumps(
        {
            "engine_score_and_route_ms_per_vector": round(engine_ms, 3),
            "api_score_requests": len(latencies),
            "api_score_p50_ms": round(statistics.median(latencies), 2),
            "api_score_p95_ms": round(latencies[int(len(latencies) * 0.95)], 2),
        },
        indent=2,
    )
)
