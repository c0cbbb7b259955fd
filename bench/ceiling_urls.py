"""The framework ceiling of ``complaints_load.py``: Django views, behind the platform's own
middleware, that each run the one statement of the physical ceiling (``ceiling_app.py``)
through Django's connection, and the platform's URLs beside them."""

from __future__ import annotations

from typing import Any

import orjson
from ceiling_sql import GET_PAGE, INSERT, insert_params
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

from kotacerdas.complaints import open311


@csrf_exempt
def post(request: HttpRequest, tenant: int, category: int) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute(INSERT, insert_params(tenant, category))
        row = cursor.fetchone()
    body = orjson.dumps([{"service_request_id": str(row[0])}])
    return HttpResponse(body, content_type="application/json; charset=utf-8")


def get(request: HttpRequest, tenant: int) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute(GET_PAGE, [tenant])
        names = [c.name for c in cursor.description]
        rows: list[dict[str, Any]] = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    return HttpResponse(orjson.dumps(rows), content_type="application/json; charset=utf-8")


urlpatterns = [
    path("ceiling/django/post/<int:tenant>/<int:category>", post),
    path("ceiling/django/get/<int:tenant>", get),
    # Ours without the public feed cache: the same view the platform serves through it.
    path("ceiling/uncached/open311/v2/requests.<str:fmt>", open311.request_list),
    path("", include("kotacerdas.urls")),
]
