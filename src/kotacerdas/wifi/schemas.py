from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import AnyHttpUrl, Field, StringConstraints

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=150)]


class HotspotIn(Schema):
    name: Name
    lat: float = Field(ge=-11, le=6, allow_inf_nan=False)
    long: float = Field(ge=94, le=142, allow_inf_nan=False)
    check_url: AnyHttpUrl | None = None
    check_host: Annotated[str, StringConstraints(max_length=255)] = ""
    check_interval_s: int = Field(default=300, ge=10, le=86_400)
    ssid: Annotated[str, StringConstraints(max_length=32)] = ""
    site_type: str = "lainnya"


class HotspotOut(Schema):
    id: int
    name: str
    site_type: str
    lat: Decimal
    long: Decimal
    ssid: str
    status: str
    health: str
    health_since: dt.datetime
    last_checked_at: dt.datetime | None
    check_url: str
    check_interval_s: int


class PublicHotspotOut(Schema):
    id: int
    name: str
    site_type: str
    lat: Decimal
    long: Decimal
    ssid: str
    health: str
