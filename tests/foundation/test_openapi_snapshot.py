"""The committed OpenAPI document must match the code, so API changes show up in review.
After an intended change run `make openapi` and commit docs/openapi.json."""

from __future__ import annotations

import json
from pathlib import Path

from kotacerdas.api import api

SNAPSHOT = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def test_openapi_document_matches_the_committed_snapshot() -> None:
    current = json.loads(json.dumps(api.get_openapi_schema(), sort_keys=True))
    assert current == json.loads(SNAPSHOT.read_text(encoding="utf-8")), "run `make openapi`"
