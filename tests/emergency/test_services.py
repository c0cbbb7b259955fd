from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from kotacerdas.accounts.models import User
from kotacerdas.core.errors import Conflict, DomainError, InvalidTransition
from kotacerdas.emergency import services
from kotacerdas.emergency.models import (
    Call,
    DeskEvent,
    DeskPolicy,
    Incident,
    NumberBlock,
    RegulatorReport,
    State,
    Unit,
    UnitStatus,
)
from kotacerdas.emergency.selectors import incident_breaches, policy_for
from kotacerdas.regions.models import Region
from kotacerdas.tenants.models import Tenant
from tests.emergency.conftest import agency, fire_data, minutes

T0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


def prank(kota: Tenant, taker, number="0819 1234 5678", kind="prank"):  # type: ignore[no-untyped-def]
    return services.call_log(tenant=kota, taker=taker, caller_number=number, call_type=kind)


def test_sixth_prank_call_blocks_the_number_for_24_hours(kota: Tenant, calltaker: User) -> None:
    with time_machine.travel(T0, tick=False) as clock:
        for _ in range(5):
            result = prank(kota, calltaker)
            assert result.caller_blocked is False
            clock.shift(minutes(10))
        sixth = prank(kota, calltaker)
        assert sixth.caller_blocked is True
        assert sixth.invalid_calls_in_window == 6
        block = NumberBlock.objects.get(tenant=kota, number="+6281912345678")
        assert block.until == T0 + minutes(50) + dt.timedelta(hours=24)
        clock.shift(dt.timedelta(hours=24, minutes=1))
        assert not NumberBlock.objects.active().filter(pk=block.pk).exists()


def test_ghost_calls_count_and_old_calls_fall_out_of_the_window(
    kota: Tenant, calltaker: User
) -> None:
    with time_machine.travel(T0, tick=False) as clock:
        for _ in range(3):
            prank(kota, calltaker, kind="ghost")
        clock.shift(dt.timedelta(hours=25))
        for _ in range(5):
            assert prank(kota, calltaker).caller_blocked is False
        assert prank(kota, calltaker, kind="informasi").caller_blocked is False
        assert prank(kota, calltaker, kind="ghost").caller_blocked is True


def test_a_blocked_number_can_still_report_a_real_emergency(kota: Tenant, calltaker: User) -> None:
    for _ in range(6):
        prank(kota, calltaker, number="081277770000")
    result = services.call_log(
        tenant=kota,
        taker=calltaker,
        caller_number="081277770000",
        call_type="normal",
        incident=fire_data(kota),
    )
    assert result.caller_blocked is True
    assert result.incident is not None


def test_tenth_invalid_call_puts_the_number_on_the_regulator_list(
    kota: Tenant, calltaker: User
) -> None:
    for i in range(10):
        assert RegulatorReport.objects.filter(tenant=kota).exists() is (i == 10)
        result = prank(kota, calltaker, number="081266660000")
    assert result.regulator_listed is True
    assert RegulatorReport.objects.get(tenant=kota, number="+6281266660000").invalid_calls == 10


def test_policy_is_configurable_per_tenant(kota: Tenant, kab: Tenant, calltaker: User) -> None:
    DeskPolicy.objects.filter(tenant=kota).update(block_after=2)
    for _ in range(2):
        assert prank(kota, calltaker, number="081255550000").caller_blocked is False
    assert prank(kota, calltaker, number="081255550000").caller_blocked is True


def test_supervisor_unblocks_with_a_reason(kota: Tenant, calltaker: User, supervisor: User) -> None:
    for _ in range(6):
        prank(kota, calltaker, number="081244440000")
    block = NumberBlock.objects.get(number="+6281244440000")
    with pytest.raises(DomainError):
        services.number_unblock(block=block, actor=supervisor, reason=" ")
    services.number_unblock(
        block=block, actor=supervisor, reason="Salah klasifikasi, penelepon tunanetra"
    )
    block.refresh_from_db()
    assert block.unblocked_by == supervisor
    assert prank(kota, calltaker, number="081244440000", kind="informasi").caller_blocked is False


def test_odd_numbers_are_kept_as_typed(kota: Tenant, calltaker: User) -> None:
    call = prank(kota, calltaker, number=" Tidak ada ", kind="ghost").call
    assert call.caller_number == "tidakada"
    assert call.caller_number_raw == "Tidak ada"
    assert prank(kota, calltaker, number="0812-3456-7890").call.caller_number == "+6281234567890"
    with pytest.raises(DomainError):
        prank(kota, calltaker, number="   ")


def test_retried_call_with_the_same_key_is_logged_once(kota: Tenant, calltaker: User) -> None:
    for _ in range(2):
        services.call_log(
            tenant=kota,
            taker=calltaker,
            caller_number="081200001111",
            call_type="normal",
            incident=fire_data(kota),
            idempotency_key="cti-42",
        )
    assert Call.objects.filter(idempotency_key="cti-42").count() == 1
    assert Incident.objects.filter(calls__idempotency_key="cti-42").count() == 1


def test_incident_location_must_be_a_kelurahan_of_the_tenant(kab: Tenant, calltaker: User) -> None:
    data = fire_data(kab)
    assert data.kelurahan.code.startswith("36.73")
    with pytest.raises(DomainError, match="Kelurahan"):
        services.incident_create(tenant=kab, actor=calltaker, data=data, received_at=T0)
    kecamatan = services.IncidentData(
        **{**data.__dict__, "kelurahan": Region.objects.get(code="36.04.05")}
    )
    with pytest.raises(DomainError):
        services.incident_create(tenant=kab, actor=calltaker, data=kecamatan, received_at=T0)


def test_incident_walks_through_to_closed_with_every_step_recorded(
    kota: Tenant, fire: Incident, dispatcher: User, damkar_system: User
) -> None:
    damkar, psc = agency(kota, "damkar"), agency(kota, "psc119")
    unit = damkar.units.first()
    assert unit is not None
    incident = services.incident_dispatch(
        incident=fire,
        actor=dispatcher,
        assignments=[(damkar, unit), (psc, None)],
        expected_version=1,
    )
    assert incident.state == State.DISPATCHED
    unit.refresh_from_db()
    assert unit.status == UnitStatus.ASSIGNED
    incident = services.incident_step(
        incident=incident, actor=damkar_system, action="acknowledge", agency=damkar
    )
    incident = services.incident_step(
        incident=incident, actor=damkar_system, action="depart", agency=damkar
    )
    incident = services.incident_step(
        incident=incident, actor=damkar_system, action="arrive", agency=damkar
    )
    assert incident.state == State.ON_SCENE
    incident = services.incident_step(
        incident=incident,
        actor=dispatcher,
        action="resolve",
        expected_version=incident.version,
        note="Api padam",
    )
    incident = services.incident_step(
        incident=incident, actor=dispatcher, action="close", expected_version=incident.version
    )
    assert incident.state == State.CLOSED
    assert incident.field_report == "Api padam"
    assert all(
        getattr(incident, f)
        for f in (
            "dispatched_at",
            "acknowledged_at",
            "en_route_at",
            "on_scene_at",
            "resolved_at",
            "closed_at",
        )
    )
    unit.refresh_from_db()
    assert unit.status == UnitStatus.AVAILABLE
    steps = list(
        DeskEvent.objects.filter(incident=incident, kind="step").values_list(
            "to_state", "actor__username"
        )
    )
    assert steps == [
        ("dispatched", "dispatcher-kota"),
        ("acknowledged", "damkar-kota"),
        ("en_route", "damkar-kota"),
        ("on_scene", "damkar-kota"),
        ("resolved", "dispatcher-kota"),
        ("closed", "dispatcher-kota"),
    ]


def test_a_second_agency_step_records_its_time_without_moving_the_incident_back(
    kota: Tenant, fire: Incident, dispatcher: User
) -> None:
    damkar, psc = agency(kota, "damkar"), agency(kota, "psc119")
    incident = services.incident_dispatch(
        incident=fire, actor=dispatcher, assignments=[(damkar, None), (psc, None)]
    )
    incident = services.incident_step(
        incident=incident, actor=dispatcher, action="arrive", agency=damkar
    )
    incident = services.incident_step(
        incident=incident, actor=dispatcher, action="acknowledge", agency=psc
    )
    assert incident.state == State.ON_SCENE
    assert incident.dispatches.get(agency=psc).acknowledged_at is not None


def test_stale_version_is_refused_with_a_clear_message(
    kota: Tenant, fire: Incident, dispatcher: User, supervisor: User
) -> None:
    damkar, polres = agency(kota, "damkar"), agency(kota, "polres")
    services.incident_dispatch(
        incident=fire, actor=supervisor, assignments=[(damkar, None)], expected_version=1
    )
    with pytest.raises(Conflict, match="Supervisor 112"):
        services.incident_dispatch(
            incident=fire, actor=dispatcher, assignments=[(polres, None)], expected_version=1
        )


def test_retried_step_is_applied_once(kota: Tenant, fire: Incident, dispatcher: User) -> None:
    damkar = agency(kota, "damkar")
    for _ in range(2):  # same key: the retry is a no-op
        services.incident_dispatch(
            incident=fire,
            actor=dispatcher,
            assignments=[(damkar, None)],
            expected_version=1,
            idempotency_key="k1",
        )
    fire.refresh_from_db()
    for _ in range(2):  # no key, same target state: also a no-op, even with the old version
        incident = services.incident_step(
            incident=fire, actor=dispatcher, action="depart", expected_version=2
        )
    assert incident.version == 3
    assert DeskEvent.objects.filter(incident=fire, kind="step").count() == 2


def test_invalid_moves_are_refused(kota: Tenant, fire: Incident, dispatcher: User) -> None:
    with pytest.raises(InvalidTransition):
        services.incident_step(incident=fire, actor=dispatcher, action="close", expected_version=1)
    with pytest.raises(InvalidTransition):
        services.incident_step(incident=fire, actor=dispatcher, action="depart", expected_version=1)
    with pytest.raises(InvalidTransition):
        services.incident_step(
            incident=fire, actor=dispatcher, action="explode", expected_version=1
        )


def test_a_busy_unit_cannot_be_sent_twice(
    kota: Tenant, fire: Incident, dispatcher: User, calltaker: User
) -> None:
    damkar = agency(kota, "damkar")
    unit = damkar.units.first()
    assert unit is not None
    services.incident_dispatch(incident=fire, actor=dispatcher, assignments=[(damkar, unit)])
    other = services.call_log(
        tenant=kota,
        taker=calltaker,
        caller_number="081200002222",
        call_type="normal",
        incident=fire_data(kota),
    ).incident
    assert other is not None
    with pytest.raises(Conflict, match="bertugas"):
        services.incident_dispatch(incident=other, actor=dispatcher, assignments=[(damkar, unit)])


def test_swapping_a_dispatch_unit_frees_the_old_one_and_every_unit_state_is_right(
    kota: Tenant, fire: Incident, dispatcher: User, calltaker: User
) -> None:
    damkar = agency(kota, "damkar")
    first, second, third = list(damkar.units.order_by("name"))
    units = Unit.objects.filter(agency__tenant=kota)
    before = dict(units.values_list("pk", "status"))

    def states() -> dict[int, str]:
        return dict(units.values_list("pk", "status"))

    services.incident_dispatch(incident=fire, actor=dispatcher, assignments=[(damkar, first)])
    assert states() == {**before, first.pk: UnitStatus.ASSIGNED}
    services.incident_dispatch(incident=fire, actor=dispatcher, assignments=[(damkar, second)])
    assert states() == {**before, second.pk: UnitStatus.ASSIGNED}
    assert fire.dispatches.get().unit_id == second.pk
    # the freed unit can go to another incident at once
    other = services.call_log(
        tenant=kota,
        taker=calltaker,
        caller_number="081200004444",
        call_type="normal",
        incident=fire_data(kota),
    ).incident
    assert other is not None
    services.incident_dispatch(incident=other, actor=dispatcher, assignments=[(damkar, first)])
    assert states() == {**before, first.pk: UnitStatus.ASSIGNED, second.pk: UnitStatus.ASSIGNED}
    services.incident_dispatch(incident=fire, actor=dispatcher, assignments=[(damkar, third)])
    assert states() == {**before, first.pk: UnitStatus.ASSIGNED, third.pk: UnitStatus.ASSIGNED}
    for action in ("arrive", "resolve"):
        services.incident_step(incident=fire, actor=dispatcher, action=action)
    assert states() == {**before, first.pk: UnitStatus.ASSIGNED}


def test_complaint_escalation_and_followup_seams(
    kota: Tenant, fire: Incident, dispatcher: User
) -> None:
    first = services.incident_create_from_complaint(
        tenant=kota, actor=dispatcher, complaint_id=77, data=fire_data(kota), received_at=T0
    )
    again = services.incident_create_from_complaint(
        tenant=kota, actor=dispatcher, complaint_id=77, data=fire_data(kota), received_at=T0
    )
    assert first.pk == again.pk
    submitted = []

    def submit(**kwargs):  # type: ignore[no-untyped-def]
        submitted.append(kwargs)
        return 501

    with pytest.raises(InvalidTransition):
        services.incident_create_followup_complaint(
            incident=fire, actor=dispatcher, opd_id=1, summary="x", submit=submit
        )
    Incident.objects.filter(pk=fire.pk).update(state=State.CLOSED)
    for _ in range(2):
        assert (
            services.incident_create_followup_complaint(
                incident=fire,
                actor=dispatcher,
                opd_id=1,
                summary="Potong pohon besok pagi",
                submit=submit,
            )
            == 501
        )
    assert len(submitted) == 1
    assert submitted[0]["kelurahan"].code == "36.73.06.1001"


def test_targets_are_breached_only_once_their_time_has_passed(
    kota: Tenant, calltaker: User, dispatcher: User
) -> None:
    policy = policy_for(kota)
    with time_machine.travel(T0, tick=False) as clock:
        incident = services.call_log(
            tenant=kota,
            taker=calltaker,
            caller_number="081200004444",
            call_type="normal",
            incident=fire_data(kota),
        ).incident
        assert incident is not None
        clock.shift(minutes(2))
        assert incident_breaches(incident, policy).any is False
        clock.shift(dt.timedelta(seconds=1))
        assert incident_breaches(incident, policy).dispatch is True
        incident = services.incident_dispatch(
            incident=incident, actor=dispatcher, assignments=[(agency(kota, "damkar"), None)]
        )
        clock.shift(minutes(13) - dt.timedelta(seconds=1))  # exactly 15 minutes, nobody moving
        assert incident_breaches(incident, policy).moving is False
        clock.shift(dt.timedelta(seconds=1))
        assert incident_breaches(incident, policy).moving is True
