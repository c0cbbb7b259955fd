"""What every action shares: the call (``Ctx``: tenant, request, parameters), CKAN's error
types, and the published datasets an action may show."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from kotacerdas.opendata import selectors
from kotacerdas.opendata.models import Dataset
from kotacerdas.tenants.models import Tenant

CKAN_VERSION = "2.10.4"


class ActionError(Exception):
    def __init__(self, status: int, error: dict[str, Any]):
        super().__init__(error.get("message", ""))
        self.status = status
        self.error = error


def not_found(message: str = "Not found") -> ActionError:
    return ActionError(404, {"__type": "Not Found Error", "message": message})


def validation(field: str, message: str) -> ActionError:
    return ActionError(409, {"__type": "Validation Error", field: [message]})


class Ctx:
    """One call: the tenant, the request (for absolute URLs) and the parameters."""

    def __init__(self, request: HttpRequest, tenant: Tenant, params: dict[str, Any]):
        self.request = request
        self.tenant = tenant
        self.params = params

    def url(self, path: str) -> str:
        return self.request.build_absolute_uri(path)

    def get(self, name: str, default: Any = None) -> Any:
        return self.params.get(name, default)

    def require(self, name: str) -> Any:
        value = self.params.get(name)
        if value in (None, ""):
            raise validation(name, "Missing value")
        return value

    def int(self, name: str, default: int, *, low: int = 0, high: int | None = None) -> int:
        raw = self.params.get(name)
        if raw in (None, ""):
            return default
        try:
            value = int(str(raw))
        except (TypeError, ValueError):
            raise validation(name, "Invalid integer") from None
        if value < low:
            raise validation(name, f"Must be a natural number ({low} or more)")
        return min(value, high) if high is not None else value

    def bool(self, name: str, default: bool = False) -> bool:
        raw = self.params.get(name)
        if raw is None:
            return default
        if isinstance(raw, bool):
            return raw
        return str(raw).lower() in {"true", "1", "yes", "on"}

    def json_list(self, name: str) -> list[Any]:
        raw = self.params.get(name)
        if raw in (None, ""):
            return []
        if isinstance(raw, list):
            return raw
        if isinstance(raw, str):
            try:
                value = json.loads(raw)
            except ValueError:
                return [part.strip() for part in raw.split(",") if part.strip()]
            if isinstance(value, list):
                return value
            return [value]
        raise validation(name, "Must be a list")


def published_qs(ctx: Ctx) -> QuerySet[Dataset]:
    return (
        selectors.published(ctx.tenant)
        .select_related("opd")
        .prefetch_related("tags", "groups", "spatial_regions", "resources__current_version")
    )


def dataset_by_ident(ctx: Ctx, ident: str) -> Dataset:
    qs = published_qs(ctx)
    try:
        return qs.get(pk=uuid.UUID(str(ident)))
    except (ValueError, Dataset.DoesNotExist):
        pass
    try:
        return qs.get(name=str(ident))
    except Dataset.DoesNotExist:
        raise not_found() from None
