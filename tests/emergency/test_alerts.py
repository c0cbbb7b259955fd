"""The seam the sensors app calls: one open incident per alert key, escalated in place."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kotacerdas.accounts.models import User
from kotacerdas.core.errors import DomainError
from kotacerdas.core.messages import Params, text
from kotacerdas.emergency import services
from kotacerdas.emergency.models import DeskEvent, EventKind, Incident, State
from kotacerdas.regions.models import Region
from kotacerdas.tenants.models import Tenant
from tests.emergency.conftest import agency

ALERT = "tests.emergency_alert"


@text(ALERT)
def alert_text(params: Params) -> tuple[str, str]:
    """The seam's own tests: a place and a description from the parameters."""
    return str(params["place"]), f"Tinggi muka air {params['level']}"


def open_alert(tenant, level: str = "Siaga III", **kw):  # type: ignore[no-untyped-def]
    args = {
        "tenant": tenant,
        "source_key": "pos-cibanten-1",
        "kind": "bencana",
        "level": level,
        "message": ALERT,
        "params": {"place": "Pos duga air Cibanten 1", "level": level},
        "lat": -6.1201,
        "lng": 106.1503,
        "url": "https://example.org/sensor/1",
        **kw,
    }
    return services.incident_open_from_alert(**args)


def test_an_escalating_alert_updates_the_same_open_incident(kota: Tenant) -> None:
    first = open_alert(kota)
    assert first.state == State.NEW
    assert first.category.code == "bencana"
    assert first.created_by is None
    again = open_alert(kota)  # the same reading again: nothing new
    assert again.pk == first.pk
    escalated = open_alert(kota, level="Siaga I")
    assert escalated.pk == first.pk
    assert Incident.objects.filter(tenant=kota, source_key="pos-cibanten-1").count() == 1
    first.refresh_from_db()
    assert first.alert_level == "Siaga I"
    assert (first.landmark_text, first.description_text) == (
        "Pos duga air Cibanten 1",
        "Tinggi muka air Siaga I",
    )
    notes = list(DeskEvent.objects.filter(incident=first, kind=EventKind.ALERT))
    assert [e.note for e in notes] == ["Siaga III → Siaga I"]


def test_after_the_desk_closes_it_a_new_alert_opens_a_new_incident(
    kota: Tenant, dispatcher: User
) -> None:
    first = open_alert(kota)
    services.incident_dispatch(
        incident=first, actor=dispatcher, assignments=[(agency(kota, "bpbd"), None)]
    )
    for action in ("arrive", "resolve", "close"):
        services.incident_step(incident=first, actor=dispatcher, action=action)
    ended = services.incident_close_from_alert(
        tenant=kota, source_key="pos-cibanten-1", message=ALERT, params={"place": "", "level": ""}
    )
    assert ended is None  # nothing open any more
    second = open_alert(kota)
    assert second.pk != first.pk


def test_alert_end_is_noted_and_other_tenants_keys_are_separate(kota: Tenant, kab: Tenant) -> None:
    mine = open_alert(kota)
    theirs = open_alert(kab, lat=None, lng=None)
    assert theirs.pk != mine.pk
    assert theirs.kelurahan is None and theirs.latitude is None
    ended = services.incident_close_from_alert(
        tenant=kota,
        source_key="pos-cibanten-1",
        message=ALERT,
        params={"place": "Air surut", "level": ""},
    )
    assert ended is not None and ended.pk == mine.pk
    [note] = DeskEvent.objects.filter(incident=mine, action="alert_ended")
    assert note.note_text == "Air surut"


def test_unknown_kind_uses_the_sensor_category_and_the_nearest_village(kota: Tenant) -> None:
    village = Region.objects.get(code="36.73.06.1001")
    Region.objects.filter(pk=village.pk).update(
        center_lat=Decimal("-6.120000"), center_lng=Decimal("106.150000")
    )
    incident = open_alert(kota, kind="kualitas-udara", source_key="aqi-1")
    assert incident.category.code == services.ALERT_CATEGORY_CODE
    assert incident.kelurahan_id == village.pk


def test_an_empty_key_or_an_unknown_message_is_refused(kota: Tenant) -> None:
    with pytest.raises(DomainError):
        open_alert(kota, source_key="  ")
    with pytest.raises(DomainError):
        open_alert(kota, message="tests.no_such_text")
