from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TYPE_CHECKING

from django.apps import apps
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

if TYPE_CHECKING:
    from kotacerdas.tenants.models import Tenant

# The portal pages (the list of tenants, a tenant's home) are in tenants/views.py: core
# imports no app above it. They read these two helpers.


def public_entries() -> list[dict[str, str]]:
    """Services that apps offer on a tenant's home page (``public_entry`` on their AppConfig)."""
    entries = []
    for config in apps.get_app_configs():
        entry = getattr(config, "public_entry", None)
        if entry:
            entries.append({"app": config.label, **entry})
    return entries


def staff_entries(user: object, tenant: Tenant) -> list[dict[str, str]]:
    """Work areas that apps offer to this tenant's staff (``staff_entries`` on their AppConfig:
    a list of dicts with ``url``, ``title`` and the ``roles`` that may use it)."""
    # Duck-typed (accounts.User): core does not import accounts.
    can_see = getattr(user, "can_see_tenant", None)
    if not getattr(user, "is_authenticated", False) or can_see is None or not can_see(tenant):
        return []
    platform = bool(getattr(user, "is_platform_admin", False))
    role = getattr(user, "role", None)
    return [
        {"app": config.label, "url": entry["url"], "title": entry["title"]}
        for config in apps.get_app_configs()
        for entry in getattr(config, "staff_entries", ())
        if platform or role in entry["roles"]
    ]


HEALTH_TIMEOUT = 2.0  # seconds: a load balancer must learn of an outage quickly
# Static files every page needs; production serves them from collectstatic's manifest.
ESSENTIAL_STATIC = ("core/app.css", "vendor/htmx/htmx.min.js")
_health_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="healthz")


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    finally:
        connection.close()  # this worker thread's connection goes back to the pool
    return True


def static_problem() -> str | None:
    """Why pages cannot render their static files, or None. Only manifest storage (production)
    can fail: a missing or incomplete ``staticfiles.json`` makes every page a 500."""
    if not isinstance(staticfiles_storage, ManifestFilesMixin):
        return None
    try:
        manifest, _manifest_hash = staticfiles_storage.load_manifest()
    except ValueError:
        return "static manifest unreadable: run `kotacerdas collectstatic`"
    if not manifest:
        return "static manifest missing: run `kotacerdas collectstatic`"
    for name in ESSENTIAL_STATIC:
        hashed = manifest.get(name)
        if hashed is None or not staticfiles_storage.exists(hashed):
            return f"static file {name} missing from the manifest: run `kotacerdas collectstatic`"
    return None


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers within HEALTH_TIMEOUT and static files are servable;
    otherwise 503 with the reason."""
    body: dict[str, str] = {"status": "ok", "database": "ok", "static": "ok"}
    future = _health_pool.submit(_database_ok)
    try:
        database_ok = future.result(timeout=HEALTH_TIMEOUT)
    except FutureTimeout:
        database_ok = False
        body["database"] = "timeout"
    else:
        if not database_ok:
            body["database"] = "unreachable"
    problem = static_problem()
    if problem:
        body["static"] = problem
    if not database_ok or problem:
        body["status"] = "error"
        return JsonResponse(body, status=503)
    return JsonResponse(body)


def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """Browsers ask for /favicon.ico whatever the page says; send them to the static icon."""
    response = HttpResponseRedirect(static("core/favicon.svg"))
    response["Cache-Control"] = "public, max-age=86400"
    return response


def rate_limited(request: HttpRequest, exception: Exception) -> HttpResponse:
    message = _("Terlalu banyak permintaan. Tunggu sebentar, lalu coba lagi.")
    if request.path.startswith("/api/"):
        return JsonResponse({"error": {"code": "rate_limited", "message": message}}, status=429)
    return render(
        request,
        "core/error.html",
        {"title": _("Terlalu banyak permintaan"), "message": message},
        status=429,
    )
