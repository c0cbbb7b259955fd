"""Helpers every write of the desk shares: its event row, replay and version checks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import User
from kotacerdas.core.errors import Conflict
from kotacerdas.emergency.models import DeskEvent, Dispatch, Incident, Unit
from kotacerdas.tenants.models import Tenant


def _event(
    *,
    tenant: Tenant,
    kind: str,
    actor: User | None,
    incident: Incident | None = None,
    dispatch: Dispatch | None = None,
    unit: Unit | None = None,
    action: str = "",
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    data: dict[str, Any] | None = None,
    idempotency_key: str | None = None,
    at: dt.datetime | None = None,
) -> DeskEvent:
    return DeskEvent.objects.create(
        tenant=tenant,
        kind=kind,
        actor=actor,
        incident=incident,
        dispatch=dispatch,
        unit=unit,
        action=action,
        from_state=from_state,
        to_state=to_state,
        note=note[:2000],
        data=data or {},
        idempotency_key=idempotency_key or None,
        created_at=at or timezone.now(),
    )


def _replayed(tenant: Tenant, idempotency_key: str | None) -> bool:
    return (
        bool(idempotency_key)
        and DeskEvent.objects.filter(tenant=tenant, idempotency_key=idempotency_key).exists()
    )


def _check_version(incident: Incident, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != incident.version:
        last = incident.events.select_related("actor").order_by("-pk").first()
        who = last.actor.display_name if last and last.actor else _("orang lain")
        raise Conflict(
            _(
                "Insiden %(number)s baru saja diubah oleh %(who)s (sekarang: %(state)s). "
                "Perubahan Anda tidak disimpan; muat ulang lalu periksa sebelum mencoba lagi."
            )
            % {"number": incident.number, "who": who, "state": incident.get_state_display()},
            code="stale_version",
        )
