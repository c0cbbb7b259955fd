"""Domain errors. Services raise these; the API and views translate them once."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain was broken. ``code`` is stable, ``message`` is for people."""

    code = "invalid"
    status = 400

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None):
        super().__init__(message)
        self.message = str(message)
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status


class NotFound(DomainError):
    code = "not_found"
    status = 404


class PermissionDenied(DomainError):
    code = "forbidden"
    status = 403


class Conflict(DomainError):
    """The object changed under the caller (optimistic locking) or already exists."""

    code = "conflict"
    status = 409


class InvalidTransition(DomainError):
    code = "invalid_transition"
    status = 409
