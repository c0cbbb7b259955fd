from __future__ import annotations

from decimal import Decimal

from ninja import Schema
from pydantic import Field


class NikIn(Schema):
    nik: str = Field(max_length=64, description="NIK atau nomor yang hendak diperiksa (16 angka).")


class NikErrorOut(Schema):
    code: str
    message: str


class NikRegionOut(Schema):
    province: str
    regency: str
    district: str


class NikOut(Schema):
    valid: bool
    errors: list[NikErrorOut]
    region: NikRegionOut | None
    birth_date: str | None
    sex: str | None


class RequirementOut(Schema):
    name: str
    name_en: str = Field(description="English name; empty when none is set.")
    required: bool
    accepted_types: list[str]


class ServiceOut(Schema):
    code: str
    name: str
    name_en: str = Field(description="English name; empty when none is set.")
    opd: str
    description: str
    description_en: str = Field(description="English description; empty when none is set.")
    sla_amount: Decimal
    sla_unit: str
    fee: Decimal
    fulfilment: list[str]
    requirements: list[RequirementOut]
