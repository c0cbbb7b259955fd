"""What every Open311 resource shares: the constants of the specification, the error that
becomes a ``{code, description}`` list, rendering as XML or JSON, and ``open311_view``, which
resolves ``jurisdiction_id`` into a tenant."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any
from xml.etree import ElementTree as ET

import orjson
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.complaints.config import config_for_jurisdiction
from kotacerdas.core.errors import DomainError

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)  # when this endpoint's behaviour last changed
MAX_RANGE = dt.timedelta(days=90)
MAX_PAGE_SIZE = 1000
CONTENT_TYPES = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
# XML names of list items; JSON drops these wrappers.
ITEM_NAMES = {
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "notes": "note",
}


class Open311Error(Exception):
    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status = status
        self.description = description


# --- rendering -------------------------------------------------------------------------------


# Characters XML 1.0 cannot carry at all, not even escaped (C0 controls other than tab, line
# feed and carriage return; lone surrogates; U+FFFE and U+FFFF). Stored text may hold them
# (an anonymous report can contain anything); the feed drops them so it stays well-formed.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return w3c(value)
    return _NOT_XML.sub("", str(value))


def w3c(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return w3c(value)
    if isinstance(value, Mapping):
        return {k: _json_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    return None if value == "" else value


def _xml_fill(parent: ET.Element, name: str, value: Any) -> None:
    element = ET.SubElement(parent, name)
    if isinstance(value, Mapping):
        for key, item in value.items():
            _xml_fill(element, key, item)
    elif isinstance(value, list):
        for item in value:
            _xml_fill(element, ITEM_NAMES.get(name, "item"), item)
    else:
        element.text = _text(value)


def render(
    fmt: str, root: str, body: Any, status: int = 200, *, plain: bool = False
) -> HttpResponse:
    """``body`` is a list (JSON array; XML ``<root><item/>…</root>``) or a mapping (object).
    ``plain``: it holds only JSON types already, with None for every empty value."""
    if fmt == "json":
        return HttpResponse(
            orjson.dumps(body if plain else _json_value(body)),
            status=status,
            content_type=CONTENT_TYPES[fmt],
        )
    else:
        element = ET.Element(root)
        if isinstance(body, list):
            for item in body:
                _xml_fill(element, ITEM_NAMES[root], item)
        else:
            for key, item in body.items():
                _xml_fill(element, key, item)
        content = '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(
            element, encoding="unicode"
        )
    return HttpResponse(content.encode(), status=status, content_type=CONTENT_TYPES[fmt])


def open311_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Checks the format, resolves ``jurisdiction_id`` into a tenant and renders errors."""

    @wraps(view)
    def wrapper(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
        if fmt not in CONTENT_TYPES:
            return render(
                "xml",
                "errors",
                [
                    {
                        "code": 400,
                        "description": _("Format tidak didukung: gunakan .xml atau .json."),
                    }
                ],
                400,
            )
        try:
            params = request.POST if request.method == "POST" else request.GET
            code = (
                params.get("jurisdiction_id", "").strip()
                or request.GET.get("jurisdiction_id", "").strip()
            )
            if not code:
                raise Open311Error(400, _("jurisdiction_id wajib diisi."))
            config = config_for_jurisdiction(code)
            if config is None:
                raise Open311Error(
                    404, _("jurisdiction_id “%(code)s” tidak dikenal.") % {"code": code}
                )
            return view(request, fmt, config.tenant, **kwargs)
        except Open311Error as error:
            return render(
                fmt,
                "errors",
                [{"code": error.status, "description": error.description}],
                error.status,
            )
        except DomainError as error:
            status = error.status if error.status in (400, 403, 404, 422) else 400
            return render(fmt, "errors", [{"code": status, "description": error.message}], status)

    return wrapper
