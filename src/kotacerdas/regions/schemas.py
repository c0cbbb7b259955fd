from __future__ import annotations

from ninja import Schema


class VillageOut(Schema):
    code: str
    name: str


class ChildOut(Schema):
    code: str
    name: str
    level: str
    villages: list[VillageOut] | None = None


class RegionOut(Schema):
    code: str
    name: str
    level: str
    parent_code: str | None
    children: list[ChildOut]
