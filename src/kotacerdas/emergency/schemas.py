from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema


class IncidentIn(Schema):
    category: str = Field(..., description="Kode kategori, misalnya `kebakaran`.", max_length=40)
    kelurahan: str = Field(
        ..., description="Kode Kemendagri kelurahan/desa, misalnya `36.73.06.1001`.", max_length=13
    )
    landmark: str = Field(..., min_length=1, max_length=255)
    description: str = Field(..., min_length=1, max_length=5000)
    people_involved: str = Field("", max_length=255)
    latitude: Decimal | None = Field(None, ge=-90, le=90, max_digits=9, decimal_places=6)
    longitude: Decimal | None = Field(None, ge=-180, le=180, max_digits=9, decimal_places=6)


class CallIn(Schema):
    caller_number: str = Field(..., min_length=1, max_length=40)
    call_type: str = Field(..., description="`normal`, `ghost`, `prank` atau `informasi`.")
    caller_name: str = Field("", max_length=120)
    note: str = Field("", max_length=2000)
    received_at: dt.datetime | None = None
    incident: IncidentIn | None = None
    idempotency_key: str | None = Field(None, max_length=80)


class CallOut(Schema):
    id: int
    caller_number: str
    call_type: str
    received_at: dt.datetime
    incident_id: int | None
    caller_blocked: bool
    blocked_until: dt.datetime | None
    regulator_listed: bool
    invalid_calls_in_window: int


class DispatchOut(Schema):
    id: int
    agency: str
    unit: str | None
    dispatched_at: dt.datetime
    acknowledged_at: dt.datetime | None
    en_route_at: dt.datetime | None
    on_scene_at: dt.datetime | None


class IncidentOut(Schema):
    id: int
    number: str
    state: str
    version: int
    category: str
    kelurahan: str
    kecamatan: str
    landmark: str
    latitude: Decimal | None
    longitude: Decimal | None
    description: str
    people_involved: str
    received_at: dt.datetime
    dispatched_at: dt.datetime | None
    acknowledged_at: dt.datetime | None
    en_route_at: dt.datetime | None
    on_scene_at: dt.datetime | None
    resolved_at: dt.datetime | None
    closed_at: dt.datetime | None
    dispatches: list[DispatchOut]


class Assignment(Schema):
    agency: str = Field(..., description="Kode instansi, misalnya `damkar`.", max_length=40)
    unit_id: int | None = None


class DispatchIn(Schema):
    version: int = Field(
        ..., ge=1, description="Versi insiden yang Anda lihat (penguncian optimistis)."
    )
    assignments: list[Assignment] = Field(..., min_length=1, max_length=20)
    idempotency_key: str | None = Field(None, max_length=80)


class StepIn(Schema):
    action: str = Field(
        ..., description="`acknowledge`, `depart`, `arrive`, `resolve` atau `close`."
    )
    version: int | None = Field(
        None, ge=1, description="Versi yang Anda lihat; bila basi, 409. Wajib bagi dispatcher."
    )
    note: str = Field("", max_length=5000)
    idempotency_key: str | None = Field(None, max_length=80)


class UnitOut(Schema):
    id: int
    agency: str
    name: str
    status: str


class UnitStatusIn(Schema):
    status: str = Field(..., description="`available`, `assigned` atau `out_of_service`.")
    idempotency_key: str | None = Field(None, max_length=80)
