"""Seams to the complaints app (ids only: this app never imports it).

Its escalation view (``complaints/escalation.py``) calls ``incident_create_from_complaint``,
and the desk's ``incident_followup`` view passes the complaints app's submit-and-dispose as
``submit`` to ``incident_create_followup_complaint``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import User
from kotacerdas.core.errors import DomainError, InvalidTransition
from kotacerdas.core.lifecycle import lock
from kotacerdas.emergency.models import EventKind, Incident, State
from kotacerdas.emergency.services._common import _event
from kotacerdas.emergency.services.incidents import IncidentData, incident_create
from kotacerdas.tenants.models import Tenant


@transaction.atomic
def incident_create_from_complaint(
    *, tenant: Tenant, actor: User, complaint_id: int, data: IncidentData, received_at: dt.datetime
) -> Incident:
    """Escalate a complaint into an incident; escalating the same complaint again returns
    the incident made the first time."""
    existing = Incident.objects.filter(tenant=tenant, source_complaint_id=complaint_id).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return incident_create(
                tenant=tenant,
                actor=actor,
                data=data,
                received_at=received_at,
                source_complaint_id=complaint_id,
            )
    except IntegrityError:
        # Two escalations of the same complaint raced: the other one made the incident.
        return Incident.objects.get(tenant=tenant, source_complaint_id=complaint_id)


FollowupSubmit = Callable[..., int]


@transaction.atomic
def incident_create_followup_complaint(
    *, incident: Incident, actor: User, opd_id: int, summary: str, submit: FollowupSubmit
) -> int:
    """From a closed incident, open a follow-up complaint for an OPD (e.g. clearing a fallen
    tree the next day). ``submit(tenant=, actor=, opd_id=, title=, description=, kelurahan=,
    landmark=, latitude=, longitude=)`` is the complaints app's service and returns the new
    complaint's id. Done once per incident."""
    incident = lock(incident)
    if incident.followup_complaint_id is not None:
        return incident.followup_complaint_id
    if incident.state != State.CLOSED:
        raise InvalidTransition(_("Aduan tindak lanjut hanya dari insiden yang sudah ditutup."))
    if not summary.strip():
        raise DomainError(_("Tuliskan apa yang perlu ditindaklanjuti."), code="summary_required")
    # The complaint is data once filed (the OPD, the public tracking page and exports read it),
    # so it is written in Bahasa Indonesia whatever the staff member's language; its address
    # is the place the call-taker wrote down (none for an alert: its point and kelurahan are
    # the place), never the alert's rendered sentence.
    complaint_id = submit(
        tenant=incident.tenant,
        actor=actor,
        opd_id=opd_id,
        title=f"Tindak lanjut insiden 112 {incident.number}: {incident.category.name}",
        description=summary.strip(),
        kelurahan=incident.kelurahan,
        landmark=incident.landmark,
        latitude=incident.latitude,
        longitude=incident.longitude,
    )
    incident.followup_complaint_id = complaint_id
    incident.save(update_fields=["followup_complaint_id"])
    _event(
        tenant=incident.tenant,
        kind=EventKind.UPDATED,
        actor=actor,
        incident=incident,
        action="followup",
        note=str(complaint_id),
    )
    return complaint_id
