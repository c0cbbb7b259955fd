"""The endpoint: the action table, ``help_show``, reading GET parameters or a JSON/form POST
body, and CKAN's envelope and error shapes."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from kotacerdas.core.errors import DomainError
from kotacerdas.opendata import selectors
from kotacerdas.opendata.ckan.catalogue import (
    current_package_list_with_resources,
    group_list,
    group_show,
    organization_list,
    organization_show,
    package_list,
    package_search,
    package_show,
    site_read,
    status_show,
    tag_list,
)
from kotacerdas.opendata.ckan.common import ActionError, Ctx, not_found
from kotacerdas.opendata.ckan.datastore import datastore_search, resource_show
from kotacerdas.tenants.access import tenant_from_slug


def help_show(ctx: Ctx) -> Any:
    """The documentation of an action (``name``), as CKAN's ``help`` links expect."""
    name = str(ctx.require("name"))
    fn = ACTIONS.get(name)
    if fn is None:
        raise not_found(f"Action {name} not found")
    return (fn.__doc__ or f"{name}: see docs/opendata.md").strip()


ACTIONS: dict[str, Callable[[Ctx], Any]] = {
    fn.__name__: fn
    for fn in [
        site_read,
        status_show,
        package_list,
        package_show,
        package_search,
        current_package_list_with_resources,
        organization_list,
        organization_show,
        group_list,
        group_show,
        tag_list,
        resource_show,
        datastore_search,
        help_show,
    ]
}


def _params(request: HttpRequest) -> dict[str, Any]:
    params: dict[str, Any] = dict(request.GET.items())
    if request.method == "POST" and request.body:
        if request.content_type == "application/json" or request.body[:1] in (b"{", b"["):
            body = json.loads(request.body)
            if not isinstance(body, dict):
                raise ActionError(
                    400,
                    {
                        "__type": "Bad request",
                        "message": "Bad request - JSON Error: Request data JSON decoded to '...' but it needs to be a dictionary.",
                    },
                )
            params.update(body)
        else:
            params.update(dict(request.POST.items()))
    return params


@csrf_exempt
def action_view(request: HttpRequest, tenant_slug: str, action: str) -> JsonResponse:
    tenant = tenant_from_slug(tenant_slug)
    help_url = request.build_absolute_uri(f"/{tenant.slug}/api/3/action/help_show?name={action}")
    status = 200
    body: dict[str, Any]
    try:
        if request.method not in {"GET", "POST"}:
            raise ActionError(405, {"__type": "Bad request", "message": "Method not allowed"})
        fn = ACTIONS.get(action)
        if fn is None:
            raise ActionError(
                400,
                {
                    "__type": "Bad request",
                    "message": f"Bad request - Action name not known: {action}",
                },
            )
        try:
            params = _params(request)
        except (ValueError, UnicodeDecodeError):
            raise ActionError(
                400,
                {
                    "__type": "Bad request",
                    "message": "Bad request - JSON Error: Could not read request body as JSON",
                },
            ) from None
        ctx = Ctx(request, tenant, params)
        body = {"help": help_url, "success": True, "result": fn(ctx)}
    except selectors.SearchQueryError as exc:
        status, body = (
            409,
            {
                "help": help_url,
                "success": False,
                "error": {
                    "__type": "Search Query Error",
                    "message": f"Search Query is invalid: {exc.message}",
                },
            },
        )
    except ActionError as exc:
        status, body = exc.status, {"help": help_url, "success": False, "error": exc.error}
    except DomainError as exc:
        status, body = (
            409,
            {
                "help": help_url,
                "success": False,
                "error": {"__type": "Validation Error", exc.code: [exc.message]},
            },
        )
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response
