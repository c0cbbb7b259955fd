"""Example devices for both Serang tenants (marked ``is_example``): water-level posts on the
Cibanten (Kota Serang) and Ciujung (Kabupaten Serang), air-quality monitors in the city centre
and in the Cikande industrial area, with Siaga rules per post and the ISPU rule per kind.
Coordinates and thresholds are illustrative, not the water authority's."""

from __future__ import annotations

from typing import Any

from kotacerdas.sensors import ispu
from kotacerdas.sensors.models import AlertRule, Device
from kotacerdas.sensors.services import device_register, rule_save
from kotacerdas.tenants.models import Opd, Tenant

# (uid, name, kind, owner OPD, lat, lng, Siaga III/II/I thresholds in cm or None)
DEVICES: dict[str, list[tuple[str, str, str, str, float, float, tuple[int, int, int] | None]]] = {
    "36.73": [
        (
            "contoh-cibanten-kaujon",
            "Pos Cibanten – Kaujon",
            "water_level",
            "BPBD",
            -6.1183,
            106.1545,
            (150, 200, 250),
        ),
        (
            "contoh-cibanten-kasemen",
            "Pos Cibanten – Kasemen",
            "water_level",
            "BPBD",
            -6.0705,
            106.1610,
            (160, 210, 260),
        ),
        (
            "contoh-udara-alun-alun",
            "Udara Alun-alun Kota Serang",
            "air_quality",
            "DLH",
            -6.1203,
            106.1502,
            None,
        ),
    ],
    "36.04": [
        (
            "contoh-ciujung-kragilan",
            "Pos Ciujung – Kragilan",
            "water_level",
            "BPBD",
            -6.1380,
            106.2905,
            (180, 240, 300),
        ),
        (
            "contoh-ciujung-pamarayan",
            "Pos Ciujung – Pamarayan",
            "water_level",
            "BPBD",
            -6.2800,
            106.2890,
            (200, 260, 320),
        ),
        (
            "contoh-udara-cikande",
            "Udara Kawasan Industri Cikande",
            "air_quality",
            "DLH",
            -6.2030,
            106.3500,
            None,
        ),
    ],
}


def siaga_levels(thresholds: tuple[int, int, int]) -> list[dict[str, Any]]:
    three, two, one = thresholds
    return [
        {
            "code": "siaga3",
            "name": "Siaga III (Waspada)",
            "threshold": three,
            "incident": False,
            "color": "#f5c400",
        },
        {
            "code": "siaga2",
            "name": "Siaga II (Siaga)",
            "threshold": two,
            "incident": True,
            "color": "#e08a00",
        },
        {
            "code": "siaga1",
            "name": "Siaga I (Awas)",
            "threshold": one,
            "incident": True,
            "color": "#d7263d",
        },
    ]


def load_demo(*, password: str) -> None:
    for code, devices in DEVICES.items():
        tenant = Tenant.objects.filter(region_id=code).first()
        if tenant is None:
            continue
        for uid, name, kind, acronym, lat, lng, thresholds in devices:
            device = Device.objects.filter(uid=uid).first()
            if device is None:
                device = device_register(
                    tenant=tenant,
                    actor=None,
                    name=name,
                    kind=kind,
                    opd=Opd.objects.filter(tenant=tenant, acronym=acronym).first(),
                    latitude=lat,
                    longitude=lng,
                    expected_interval=300,
                    uid=uid,
                    is_example=True,
                ).device
            if thresholds is not None:
                rule = AlertRule.objects.filter(
                    tenant=tenant, device=device, name=f"Siaga {name}"
                ).first()
                rule_save(
                    tenant=tenant,
                    device=device,
                    rule=rule,
                    data={
                        "name": f"Siaga {name}",
                        "quantity": "water_level",
                        "levels": siaga_levels(thresholds),
                        "hysteresis": 10,
                        "min_duration": 600,
                        "clear_duration": 1800,
                    },
                )
        rule = AlertRule.objects.filter(
            tenant=tenant, device=None, kind="air_quality", name="ISPU"
        ).first()
        rule_save(
            tenant=tenant,
            device=None,
            rule=rule,
            data={
                "name": "ISPU",
                "kind": "air_quality",
                "quantity": "ispu",
                "levels": ispu.category_levels(),
                "hysteresis": 5,
                "min_duration": 3600,
                "clear_duration": 3600,
            },
        )
        rise = AlertRule.objects.filter(
            tenant=tenant, device=None, kind="water_level", name="Kenaikan cepat"
        ).first()
        rule_save(
            tenant=tenant,
            device=None,
            rule=rise,
            data={
                "name": "Kenaikan cepat",
                "kind": "water_level",
                "quantity": "water_level",
                "rule_type": "rate_of_rise",
                "rise": 40,
                "window": 1800,
                "levels": [
                    {
                        "code": "naik-cepat",
                        "name": "Kenaikan cepat (40 cm/30 menit)",
                        "incident": False,
                    }
                ],
                "clear_duration": 1800,
            },
        )
