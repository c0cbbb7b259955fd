from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SensorsConfig(AppConfig):
    """City sensors: device registry, ingestion over MQTT/HTTP, history, alerts to 112."""

    name = "kotacerdas.sensors"
    label = "sensors"
    verbose_name = _("Sensor kota")
    api_prefix = "/sensors"
    # ThingsBoard's HTTP device API sits at the API root: POST /api/v1/<token>/telemetry.
    api_extra_routers = {"": "kotacerdas.sensors.device_api.router"}
