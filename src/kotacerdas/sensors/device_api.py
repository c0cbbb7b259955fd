"""ThingsBoard's HTTP device API: ``POST /api/v1/<device token>/telemetry`` (and
``/attributes``), for devices without MQTT. The token in the path is the device's credential;
an unknown or retired token gets 401 and nothing is stored."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from kotacerdas.core.api_errors import ErrorOut
from kotacerdas.core.errors import DomainError
from kotacerdas.sensors import protocols
from kotacerdas.sensors.ingestion import ingest
from kotacerdas.sensors.models import Device
from kotacerdas.sensors.services import device_by_token

router = Router(tags=["sensors-device"])


class IngestOut(Schema):
    stored: int
    duplicates: int
    rejected: dict[str, int]


def _device(token: str) -> Device:
    device = device_by_token(token)
    if device is None:
        raise DomainError(
            _("Token perangkat tidak dikenal."), code="unknown_device_token", status=401
        )
    return device


def _decode(request: HttpRequest) -> object:
    try:
        return protocols.load_json(request.body)
    except protocols.PayloadError as exc:
        raise DomainError(str(exc), code="bad_payload") from None


@router.post(
    "/{token}/telemetry",
    auth=None,
    response={200: IngestOut, 400: ErrorOut, 401: ErrorOut},
    summary="Telemetri perangkat (API HTTP perangkat ThingsBoard)",
    openapi_extra={
        "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}}
    },
)
def telemetry(request: HttpRequest, token: str) -> Status[IngestOut]:
    """Body: ``{"ts": <ms>, "values": {...}}``, a flat ``{...}``, or a list of those."""
    device = _device(token)
    data = _decode(request)
    try:
        readings = protocols.thingsboard_telemetry(device.pk, data)
    except protocols.PayloadError as exc:
        raise DomainError(str(exc), code="bad_payload") from None
    result = ingest(readings)
    return Status(
        200,
        IngestOut(
            stored=result.stored, duplicates=result.duplicates, rejected=dict(result.rejected)
        ),
    )


@router.post(
    "/{token}/attributes",
    auth=None,
    response={200: IngestOut, 400: ErrorOut, 401: ErrorOut},
    summary="Atribut perangkat (API HTTP perangkat ThingsBoard)",
    openapi_extra={
        "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}}
    },
)
def attributes(request: HttpRequest, token: str) -> Status[IngestOut]:
    """Client attributes; numeric ones that are declared quantities (e.g. ``battery``) are
    stored as readings, the rest is accepted and ignored."""
    device = _device(token)
    data = _decode(request)
    if not isinstance(data, dict):
        raise DomainError(_("Atribut harus berupa objek JSON."), code="bad_payload")
    specs = set(device.quantities.values_list("key", flat=True))
    readings = protocols.thingsboard_telemetry(
        device.pk, {k: v for k, v in data.items() if k in specs}
    )
    result = ingest(readings)
    return Status(
        200,
        IngestOut(
            stored=result.stored, duplicates=result.duplicates, rejected=dict(result.rejected)
        ),
    )
