"""The single JSON error shape of ``/api/v1``: ``{"error": {"code", "message"}}``.

Messages are in the request's language (Indonesian unless ``Accept-Language`` asks for
English); codes never change."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.errors import AuthorizationError as NinjaAuthorizationError

from kotacerdas.core.errors import DomainError


class ErrorBody(Schema):
    code: str
    message: str
    details: list[dict[str, Any]] | None = None


class ErrorOut(Schema):
    error: ErrorBody


def error_response(
    api: NinjaAPI,
    request: HttpRequest,
    status: int,
    code: str,
    message: str,
    *,
    details: list[dict[str, Any]] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {"code": code, "message": message}
    if details:
        body["details"] = details
    return api.create_response(request, {"error": body}, status=status)


def _describe(errors: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    details = []
    for err in errors:
        loc = [
            str(part)
            for part in err.get("loc", [])
            if part not in ("body", "query", "path", "form", "payload")
        ]
        field = ".".join(loc) or "-"
        details.append({"field": field, "message": str(err.get("msg", ""))})
    first = details[0] if details else {"field": "-", "message": _("data tidak sah")}
    return (
        _("Data tidak sah pada “%(field)s”: %(message)s")
        % {"field": first["field"], "message": first["message"]},
        details,
    )


def install(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return error_response(api, request, exc.status, exc.code, exc.message)

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        message, details = _describe(list(exc.errors))
        return error_response(api, request, 400, "validation_error", message, details=details)

    @api.exception_handler(AuthenticationError)
    def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error_response(
            api, request, 401, "unauthenticated", _("Perlu masuk atau token API yang sah.")
        )

    @api.exception_handler(NinjaAuthorizationError)
    def authorization_error(request: HttpRequest, exc: NinjaAuthorizationError) -> HttpResponse:
        return error_response(
            api, request, 403, "forbidden", _("Anda tidak berhak melakukan tindakan ini.")
        )

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(api, request, 404, "not_found", _("Tidak ditemukan."))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
            # django-ninja's own wording, in English; the body was not valid JSON.
            return error_response(
                api,
                request,
                400,
                "malformed_body",
                _("Isi permintaan bukan JSON yang sah. Periksa tanda kutip, koma dan kurung."),
            )
        return error_response(api, request, exc.status_code, "error", str(exc))
