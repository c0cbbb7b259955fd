from __future__ import annotations

import datetime as dt

import pytest
from time_machine import TimeMachineFixture

from kotacerdas.sensors.models import AlertRule, RuleType
from kotacerdas.sensors.services import Registered, device_register, rule_save
from kotacerdas.tenants.models import Opd, Tenant

NOW = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)


def ms(when: dt.datetime) -> int:
    return int(when.timestamp() * 1000)


@pytest.fixture
def frozen(time_machine: TimeMachineFixture) -> dt.datetime:
    time_machine.move_to(NOW, tick=False)
    return NOW


@pytest.fixture
def post(kota: Tenant) -> Registered:
    """A water-level post on the Cibanten owned by Kota Serang's BPBD."""
    return device_register(
        tenant=kota,
        actor=None,
        name="Pos Cibanten Kaujon",
        kind="water_level",
        opd=Opd.objects.get(tenant=kota, acronym="BPBD"),
        latitude=-6.12,
        longitude=106.15,
        expected_interval=300,
    )


@pytest.fixture
def siaga_rule(kota: Tenant, post: Registered) -> AlertRule:
    return rule_save(
        tenant=kota,
        device=post.device,
        data={
            "name": "Siaga Cibanten",
            "quantity": "water_level",
            "rule_type": RuleType.THRESHOLD,
            "levels": [
                {"code": "siaga3", "name": "Siaga III", "threshold": 150, "incident": False},
                {"code": "siaga2", "name": "Siaga II", "threshold": 200, "incident": True},
                {"code": "siaga1", "name": "Siaga I", "threshold": 250, "incident": True},
            ],
            "hysteresis": 10,
            "min_duration": 600,
            "clear_duration": 1800,
        },
    )
