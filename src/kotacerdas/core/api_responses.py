"""Every operation of /api/v1 declares the error statuses the platform itself may answer with,
whatever the operation's own code does: a malformed request (400), an oversized body (413, at
the ASGI edge), invalid data (422), a rate limit (429); 401 where authentication is required
and 404 where the path or a ``tenant`` parameter names an object. Operations declare their own further codes (409, ...)
in ``response={...}`` as usual; this fills in only what is missing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ninja import NinjaAPI

ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}
PLATFORM_ERRORS = {
    400: "Permintaan tidak sah (karakter terlarang, badan yang tidak terbaca).",
    413: "Badan permintaan terlalu besar.",
    422: "Data tidak sah.",
    429: "Terlalu banyak permintaan.",
}


def _declare(doc: dict[str, Any]) -> dict[str, Any]:
    for path, operations in doc.get("paths", {}).items():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            codes = dict(PLATFORM_ERRORS)
            if operation.get("security"):
                codes[401] = "Perlu autentikasi."
            names = {str(p.get("name", "")) for p in operation.get("parameters", [])}
            if "{" in path or any("tenant" in name for name in names):
                codes[404] = "Tidak ditemukan (atau bukan milik Anda)."
            responses = operation["responses"]
            declared = {str(code) for code in responses}
            for code, description in codes.items():
                if str(code) in declared:
                    continue
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": ERROR_REF}},
                    },
                )
    return doc


def declare_platform_errors(api: NinjaAPI) -> None:
    """Wraps ``api.get_openapi_schema`` so the document declares the platform's errors."""
    original: Callable[..., dict[str, Any]] = api.get_openapi_schema

    def get_openapi_schema(*args: Any, **kwargs: Any) -> dict[str, Any]:
        return _declare(original(*args, **kwargs))

    api.get_openapi_schema = get_openapi_schema  # type: ignore[method-assign,assignment]
