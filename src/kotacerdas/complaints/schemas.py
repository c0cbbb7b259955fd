from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field


class ComplaintIn(Schema):
    tenant: str = Field(description="Kode Kemendagri pemerintah daerah, misalnya 36.73")
    category: str = Field(description="Kode kategori (service_code Open311)")
    description: str = Field(max_length=4000)
    lat: float | None = Field(default=None, ge=-90, le=90)
    long: float | None = Field(default=None, ge=-180, le=180)
    region: str | None = Field(
        default=None, description="Kode kelurahan/desa, misalnya 36.73.01.1002"
    )
    address: str = Field(default="", max_length=255)
    confidentiality: Literal["biasa", "anonim", "rahasia"] = "anonim"
    channel: Literal["api", "app"] = "api"
    reporter_name: str = Field(default="", max_length=150)
    reporter_email: str = Field(default="", max_length=254)
    reporter_phone: str = Field(default="", max_length=30)
    attributes: dict[str, list[str]] = Field(default_factory=dict)


class ComplaintCreatedOut(Schema):
    ticket: str
    status: str
    tracking_url: str
    created: bool


class PublicComplaintOut(Schema):
    ticket: str
    category: str
    status: str
    status_label: str
    description: str
    address: str
    lat: float | None
    long: float | None
    created_at: dt.datetime
    updated_at: dt.datetime


class StaffComplaintOut(Schema):
    id: int
    ticket: str
    category: str
    status: str
    severity: str
    classification: str
    confidentiality: str
    channel: str
    created_at: dt.datetime
    due_at: dt.datetime | None
    overdue: bool


class ResponseIn(Schema):
    body: str = Field(max_length=4000)
    is_public: bool = True


class ResponseOut(Schema):
    id: int
    body: str
    is_public: bool
    created_at: dt.datetime


class CategoryOut(Schema):
    code: str
    name: str
    group: str
    opd: str
