from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SensorsConfig(AppConfig):
    """City sensors: device registry, ingestion over MQTT/HTTP, history, alerts to 112."""

    name = "kotacerdas.sensors"
    label = "sensors"
    verbose_name = _("Sensor kota")
    url_prefix = "sensor"
    api_prefix = "/sensors"
    # ThingsBoard's HTTP device API sits at the API root: POST /api/v1/<token>/telemetry.
    api_extra_routers = {"": "kotacerdas.sensors.device_api.router"}
    opendata_datasets = "kotacerdas.sensors.opendata.tables"

    @property
    def public_entry(self) -> dict[str, object]:
        return {
            "url": "sensors:public",
            "title": _("Tinggi muka air dan kualitas udara"),
            "description": _("Pos pantau sungai, kualitas udara dan peringatan yang berlaku."),
        }

    @property
    def staff_entries(self) -> list[dict[str, object]]:
        from kotacerdas.accounts.models import STAFF_ROLES

        return [
            {"url": "sensors:staff_map", "title": _("Peta sensor"), "roles": set(STAFF_ROLES)},
            {"url": "sensors:alerts", "title": _("Peringatan sensor"), "roles": set(STAFF_ROLES)},
        ]
