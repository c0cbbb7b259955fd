"""Seam for the sensors app: an alert opens (or escalates) one incident."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.core import messages
from kotacerdas.core.errors import DomainError
from kotacerdas.emergency.models import (
    OPEN_STATES,
    EventKind,
    Incident,
    IncidentCategory,
    State,
)
from kotacerdas.emergency.services._common import _event
from kotacerdas.regions.models import Region
from kotacerdas.tenants.models import Tenant

ALERT_CATEGORY_CODE = "peringatan-sensor"
# The nearest village centre is taken as the incident's kelurahan when it is this close
# (in degrees of latitude/longitude, about 11 km).
NEAREST_VILLAGE_DEGREES = Decimal("0.1")


def _alert_category(tenant: Tenant, kind: str) -> IncidentCategory:
    category = IncidentCategory.objects.filter(tenant=tenant, code=kind, is_active=True).first()
    if category is not None:
        return category
    category, _created = IncidentCategory.objects.get_or_create(
        tenant=tenant,
        code=ALERT_CATEGORY_CODE,
        defaults={"name": "Peringatan sensor", "name_en": "Sensor alert", "order": 90},
    )
    return category


def _nearest_village(tenant: Tenant, lat: Decimal | None, lng: Decimal | None) -> Region | None:
    """The tenant's village whose centre point is nearest (one query, ordered in SQL)."""
    if lat is None or lng is None:
        return None
    d = NEAREST_VILLAGE_DEGREES
    return (
        Region.objects.villages_of_regency(tenant.code)
        .filter(
            center_lat__range=(lat - d, lat + d),
            center_lng__range=(lng - d, lng + d),
        )
        .annotate(
            distance=(F("center_lat") - lat) * (F("center_lat") - lat)
            + (F("center_lng") - lng) * (F("center_lng") - lng)
        )
        .order_by("distance", "code")
        .first()
    )


def _alert_point(lat: float | None, lng: float | None) -> tuple[Decimal | None, Decimal | None]:
    if lat is None or lng is None:
        return None, None
    point = (Decimal(str(round(lat, 6))), Decimal(str(round(lng, 6))))
    if not (-11 <= point[0] <= 6 and 95 <= point[1] <= 141):
        return None, None  # a sensor outside Indonesia has a wrong position: keep no pin
    return point


@transaction.atomic
def incident_open_from_alert(
    *,
    tenant: Tenant,
    source_key: str,
    kind: str,
    level: str,
    message: str,
    params: dict[str, Any],
    lat: float | None,
    lng: float | None,
    url: str = "",
) -> Incident:
    """Open an incident for a sensor alert, or escalate the open one with the same key.

    ``message`` is a key of ``core.messages`` whose two texts are the incident's place and
    description, and ``params`` its parameters (JSON): they are rendered in the reader's
    language, never stored as sentences.

    Idempotent on ``(tenant, source_key)``: while an incident opened by that key is not
    closed, a second call updates it (level, parameters) and writes an alert event instead
    of opening another; the same level again changes nothing. After the desk has closed it, a
    new alert with the key opens a new incident. ``kind`` is one of the tenant's incident
    category codes (otherwise the "peringatan-sensor" category). The desk dispatches it like
    any other incident."""
    source_key = source_key.strip()[:200]
    if not source_key:
        raise DomainError(_("Kunci peringatan wajib diisi."), code="source_key_required")
    if not messages.is_known(message):
        raise DomainError(_("Pesan peringatan tidak dikenal."), code="unknown_message")
    level = level.strip()[:40]
    existing = (
        Incident.objects.select_for_update(of=("self",), no_key=True)
        .filter(tenant=tenant, source_key=source_key)
        .exclude(state=State.CLOSED)
        .first()
    )
    if existing is not None:
        return _alert_escalate(existing, level=level, params=params, url=url)
    latitude, longitude = _alert_point(lat, lng)
    try:
        with transaction.atomic():  # a savepoint: a concurrent alert may win the key
            incident = Incident.objects.create(
                tenant=tenant,
                category=_alert_category(tenant, kind),
                kelurahan=_nearest_village(tenant, latitude, longitude),
                landmark="",
                latitude=latitude,
                longitude=longitude,
                description="",
                message_key=message,
                params=params,
                received_at=timezone.now(),
                created_by=None,
                source_key=source_key,
                alert_level=level,
                source_url=url[:500],
            )
    except IntegrityError:
        existing = Incident.objects.select_for_update(of=("self",), no_key=True).get(
            tenant=tenant, source_key=source_key, state__in=list(OPEN_STATES)
        )
        return _alert_escalate(existing, level=level, params=params, url=url)
    _event(
        tenant=tenant,
        kind=EventKind.INCIDENT_CREATED,
        actor=None,
        incident=incident,
        action="alert",
        to_state=State.NEW,
        note=level,
    )
    return incident


def _alert_escalate(
    incident: Incident, *, level: str, params: dict[str, Any], url: str
) -> Incident:
    if level == incident.alert_level:
        return incident  # the same alert again (a retry or a repeated reading)
    previous = incident.alert_level
    incident.alert_level = level
    incident.params = params
    if url:
        incident.source_url = url[:500]
    incident.version += 1
    incident.save(update_fields=["alert_level", "params", "source_url", "version"])
    _event(
        tenant=incident.tenant,
        kind=EventKind.ALERT,
        actor=None,
        incident=incident,
        action="alert_level",
        from_state=incident.state,
        to_state=incident.state,
        note=f"{previous} → {level}",
    )
    return incident


@transaction.atomic
def incident_close_from_alert(
    *, tenant: Tenant, source_key: str, message: str, params: dict[str, Any]
) -> Incident | None:
    """The alert has ended: note it on the open incident with that key (the desk resolves
    and closes the incident itself); the note is ``message``, a key of ``core.messages``
    (its first text), with its ``params``. None when no open incident has the key."""
    if not messages.is_known(message):
        raise DomainError(_("Pesan peringatan tidak dikenal."), code="unknown_message")
    incident = (
        Incident.objects.select_for_update(of=("self",), no_key=True)
        .filter(tenant=tenant, source_key=source_key.strip()[:200])
        .exclude(state=State.CLOSED)
        .first()
    )
    if incident is None:
        return None
    _event(
        tenant=tenant,
        kind=EventKind.ALERT,
        actor=None,
        incident=incident,
        action="alert_ended",
        from_state=incident.state,
        to_state=incident.state,
        data={"message": message, "params": params},
    )
    return incident
