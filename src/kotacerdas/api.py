"""The JSON API root at ``/api/v1``. Each app contributes one router."""

from __future__ import annotations

from importlib import import_module

from django.apps import apps
from ninja import NinjaAPI

from kotacerdas.accounts.auth import SessionAuth, TokenAuth
from kotacerdas.core import api_errors, api_responses
from kotacerdas.regions.api import router as regions_router

api = NinjaAPI(
    title="kotacerdas API",
    version="1",
    description=(
        "API platform kota cerdas. Mesin mengautentikasi dengan `Authorization: Bearer <token>` "
        "(buat dengan `kotacerdas create_api_token --user NAMA`); peramban memakai sesi. "
        'Semua galat berbentuk `{"error": {"code": "...", "message": "..."}}`.'
    ),
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
)
api_errors.install(api)
api_responses.declare_platform_errors(api)

api.add_router("/regions", regions_router)

# Each domain app with ``api_prefix`` on its AppConfig contributes ``<app>.api.router``.
for _config in apps.get_app_configs():
    _prefix = getattr(_config, "api_prefix", None)
    if _prefix:
        api.add_router(_prefix, import_module(f"{_config.name}.api").router)
    # ``api_extra_routers = {"<prefix>": "<module>.router"}`` for routes outside the app's
    # prefix (e.g. a device protocol that fixes its own paths).
    for _extra_prefix, _path in getattr(_config, "api_extra_routers", {}).items():
        _module, _, _name = _path.rpartition(".")
        api.add_router(_extra_prefix, getattr(import_module(_module), _name))
